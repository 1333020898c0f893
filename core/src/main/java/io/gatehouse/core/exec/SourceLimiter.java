package io.gatehouse.core.exec;

import io.gatehouse.core.config.Durations;
import io.gatehouse.core.config.SourceLimits;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * The concurrency limit of one source: at most {@code maxConcurrentQueries} queries hold a slot at
 * once; the others wait in a queue of at most {@code maxQueued}, for at most {@code queueTimeout}.
 *
 * <p>The queue is fair between users: each user has its own FIFO queue and a freed slot goes to the
 * next user in round-robin order, so one user with 50 waiting queries delays another user's single
 * query by at most one query per user ahead of it. A freed slot is handed straight to the chosen
 * waiter (it is never returned to the pool first), so a newcomer cannot overtake the queue.
 */
public final class SourceLimiter {
  private final String sourceId;
  private final SourceLimits limits;
  /** Waiting queries by user, users in round-robin order: the next slot goes to the first user. */
  private final LinkedHashMap<String, Deque<Waiter>> queues = new LinkedHashMap<>();
  private int running;
  private int queued;
  private boolean closed;

  public SourceLimiter(String sourceId, SourceLimits limits) {
    this.sourceId = sourceId;
    this.limits = limits;
  }

  /**
   * Queries holding a slot and queries waiting for one, now; {@code maxConcurrentQueries} 0 means
   * no limit (queries are then counted, never queued).
   */
  public record Load(int running, int queued, int maxConcurrentQueries, int maxQueued) {}

  public synchronized Load load() {
    return new Load(running, queued, limits.maxConcurrentQueries(), limits.maxQueued());
  }

  public boolean limited() {
    return limits.limited();
  }

  /**
   * Takes a slot, waiting for one if all are busy.
   *
   * @param user whose queue the query waits in (null: the anonymous user)
   * @param cancelled polled while waiting; when true, the wait ends with QUERY_CANCELLED
   * @return releases the slot; idempotent, so every path that ends a query may call it
   * @throws GatehouseException RESOURCE_LIMIT when the queue is full or the wait times out
   */
  public Runnable acquire(String user, BooleanSupplier cancelled) {
    Waiter w;
    synchronized (this) {
      // Without a limit the slot is only counted, for metrics.
      if (!limits.limited() || running < limits.maxConcurrentQueries() && queued == 0) {
        running++;
        return releaser();
      }
      if (queued >= limits.maxQueued()) {
        throw new GatehouseException(ErrorCode.RESOURCE_LIMIT, "source '" + sourceId
            + "' is at its limit of " + limits.maxConcurrentQueries() + " concurrent "
            + plural(limits.maxConcurrentQueries(), "query", "queries") + " and its queue of "
            + limits.maxQueued() + " waiting " + plural(limits.maxQueued(), "query", "queries")
            + " is full; retry later, or raise limits.maxConcurrentQueries or limits.maxQueued"
            + " of source '" + sourceId + "'");
      }
      w = new Waiter();
      queues.computeIfAbsent(user == null ? "" : user, u -> new ArrayDeque<>()).addLast(w);
      queued++;
    }
    return await(w, user == null ? "" : user, cancelled);
  }

  private Runnable await(Waiter w, String user, BooleanSupplier cancelled) {
    long deadline = System.nanoTime() + limits.queueTimeout().toNanos();
    boolean interrupted = false;
    try {
      synchronized (this) {
        while (!w.granted) {
          long left = deadline - System.nanoTime();
          if (closed) {
            remove(w, user);
            throw new GatehouseException(ErrorCode.SOURCE_UNAVAILABLE, "the engine closed while the"
                + " query waited for a slot of source '" + sourceId + "'");
          }
          boolean isCancelled = interrupted || (cancelled != null && cancelled.getAsBoolean());
          if (left <= 0 || isCancelled) {
            remove(w, user);
            if (isCancelled) {
              throw new GatehouseException(ErrorCode.QUERY_CANCELLED,
                  "the query was cancelled while it waited for a slot of source '" + sourceId + "'");
            }
            throw new GatehouseException(ErrorCode.RESOURCE_LIMIT, "the query waited "
                + Durations.format(limits.queueTimeout()) + " for a slot of source '" + sourceId
                + "', whose " + limits.maxConcurrentQueries() + " concurrent "
                + plural(limits.maxConcurrentQueries(), "query slot is", "query slots are")
                + " all busy; retry later, or raise limits.maxConcurrentQueries or"
                + " limits.queueTimeout of source '" + sourceId + "'");
          }
          try {
            // Woken by a hand-over; the short cap is only for polling the cancel signal.
            TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      }
      return releaser();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The engine is closing: queries waiting for a slot fail now instead of at their timeout. */
  public synchronized void close() {
    closed = true;
    notifyAll();
  }

  private void remove(Waiter w, String user) {
    Deque<Waiter> q = queues.get(user);
    if (q != null && q.remove(w)) {
      queued--;
      if (q.isEmpty()) {
        queues.remove(user);
      }
    }
  }

  private Runnable releaser() {
    AtomicBoolean released = new AtomicBoolean();
    return () -> {
      if (released.compareAndSet(false, true)) {
        release();
      }
    };
  }

  private synchronized void release() {
    Iterator<Map.Entry<String, Deque<Waiter>>> it = queues.entrySet().iterator();
    if (!it.hasNext()) {
      running--;
      return;
    }
    Map.Entry<String, Deque<Waiter>> first = it.next();
    Waiter next = first.getValue().pollFirst();
    queued--;
    // The user just served goes to the back of the rotation (if it still waits for more).
    it.remove();
    if (!first.getValue().isEmpty()) {
      queues.put(first.getKey(), first.getValue());
    }
    next.granted = true;
    notifyAll();
  }

  private static String plural(int n, String one, String many) {
    return n == 1 ? one : many;
  }

  private static final class Waiter {
    boolean granted;
  }
}
