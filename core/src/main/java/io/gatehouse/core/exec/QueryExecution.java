package io.gatehouse.core.exec;

import io.gatehouse.core.config.Durations;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import io.gatehouse.core.spi.SourceConnector;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.calcite.sql.type.SqlTypeName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run-time state of one query: its deadline, the statements it has open at sources (so a
 * timeout or a cancel stops them there too), its parameter values and the SQL it sent.
 *
 * <p>The timeout is enforced three times: the source session's own statement timeout (set when the
 * pool connects), {@link Statement#setQueryTimeout} with the time left, and a timer here that cancels
 * every open statement and makes the engine stop reading. Whichever fires first wins, and the error is
 * always QUERY_TIMEOUT.
 */
public final class QueryExecution implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QueryExecution.class);
  /** The name under which generated code finds this object in the DataContext. */
  public static final String KEY = "gatehouse.execution";

  private final Map<String, SourceConnector> connectors;
  private final Duration timeout;
  private final long deadlineNanos;
  private final int fetchSize;
  private final List<SqlTypeName> parameterTypes;
  private final Object[] parameterValues;
  private final AtomicBoolean cancelFlag = new AtomicBoolean();
  private final Set<Statement> running = ConcurrentHashMap.newKeySet();
  private final List<SourceStatement> sent = Collections.synchronizedList(new ArrayList<>());
  private final Consumer<SourceStatement> listener;
  private final String user;
  private volatile boolean timedOut;
  private volatile boolean cancelled;
  private volatile boolean engineClosing;
  private volatile Runnable onClose;
  /** Run once, when the query stops for any reason: closed, cancelled, timed out, engine closing. */
  private final List<Runnable> onStop = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final AtomicBoolean stopped = new AtomicBoolean();
  /** Connections lent by a caller (a batch's one transaction), by source id; never closed here. */
  private final Map<String, java.sql.Connection> pinned = new ConcurrentHashMap<>();
  private volatile QueryMemory memory;
  private volatile ScheduledFuture<?> timer;
  private volatile ScheduledFuture<?> watcher;

  /**
   * @param connectors the sources the query may use, by id
   * @param parameterValues in internal form, indexed like the query's {@code ?}s
   */
  public QueryExecution(Map<String, SourceConnector> connectors, Duration timeout, int fetchSize,
      List<SqlTypeName> parameterTypes, Object[] parameterValues, Consumer<SourceStatement> listener) {
    this(connectors, timeout, fetchSize, parameterTypes, parameterValues, listener, null);
  }

  /**
   * @param user the Gatehouse user the query runs for (sources may label their statements with
   *     it), or null
   */
  public QueryExecution(Map<String, SourceConnector> connectors, Duration timeout, int fetchSize,
      List<SqlTypeName> parameterTypes, Object[] parameterValues, Consumer<SourceStatement> listener,
      String user) {
    this.user = user;
    this.connectors = connectors;
    this.timeout = timeout;
    this.deadlineNanos = System.nanoTime() + timeout.toNanos();
    this.fetchSize = fetchSize;
    this.parameterTypes = List.copyOf(parameterTypes);
    this.parameterValues = parameterValues.clone();
    this.listener = listener;
  }

  /** Arms the timer that cancels the query when its time is up. */
  public void start(ScheduledExecutorService scheduler) {
    timer = scheduler.schedule(this::onTimeout, timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Cancels the query when {@code signal} becomes true (polled every 100 ms until closed). */
  public void watch(AtomicBoolean signal, ScheduledExecutorService scheduler) {
    signal.set(false);
    watcher = scheduler.scheduleWithFixedDelay(() -> {
      if (signal.get() && !cancelled && !timedOut) {
        cancel();
      }
    }, 100, 100, TimeUnit.MILLISECONDS);
  }

  public SourceConnector connector(String sourceId) {
    SourceConnector c = connectors.get(sourceId);
    if (c == null) {
      throw new GatehouseException(ErrorCode.INTERNAL, "plan refers to a source outside the query");
    }
    return c;
  }

  public int fetchSize() {
    return fetchSize;
  }

  /** The Gatehouse user the query runs for, or null. */
  public String user() {
    return user;
  }

  public AtomicBoolean cancelFlag() {
    return cancelFlag;
  }

  public Object parameterValue(int index) {
    return index >= 0 && index < parameterValues.length ? parameterValues[index] : null;
  }

  /** The SQL type of a query parameter, or null for correlation variables. */
  public SqlTypeName parameterType(int index) {
    return index >= 0 && index < parameterTypes.size() ? parameterTypes.get(index) : null;
  }

  /** Time left before the deadline; throws QUERY_TIMEOUT when none is left. */
  public Duration remaining() {
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0) {
      onTimeout();
    }
    checkRunning();
    return Duration.ofNanos(left);
  }

  /** Throws if the query timed out or was cancelled. Called between rows. */
  public void checkRunning() {
    if (timedOut) {
      throw timeoutError();
    }
    if (engineClosing) {
      throw engineClosingError();
    }
    if (cancelled) {
      throw new GatehouseException(ErrorCode.QUERY_CANCELLED, "the query was cancelled");
    }
  }

  private static GatehouseException engineClosingError() {
    return new GatehouseException(ErrorCode.SOURCE_UNAVAILABLE,
        "the engine closed while the query ran; its statements were cancelled at the sources");
  }

  public GatehouseException timeoutError() {
    return new GatehouseException(ErrorCode.QUERY_TIMEOUT, "the query exceeded its timeout of "
        + Durations.format(timeout) + " and was cancelled at the source");
  }

  /** Classifies a driver failure of this query, knowing whether we cancelled it ourselves. */
  public GatehouseException translate(SourceConnector connector, SQLException e) {
    if (engineClosing) {
      return engineClosingError();
    }
    if (timedOut) {
      return timeoutError();
    }
    if (cancelled) {
      return new GatehouseException(ErrorCode.QUERY_CANCELLED, "the query was cancelled");
    }
    GatehouseException g = connector.translate(e);
    if (g.code() == ErrorCode.QUERY_TIMEOUT) {
      return timeoutError();
    }
    return g;
  }

  public void register(Statement statement) {
    running.add(statement);
    if (timedOut || cancelled || engineClosing) {
      cancelQuietly(statement);
    }
  }

  public void unregister(Statement statement) {
    running.remove(statement);
  }

  public void recordSent(String sourceId, String sql) {
    SourceStatement s = new SourceStatement(sourceId, sql);
    sent.add(s);
    if (listener != null) {
      listener.accept(s);
    }
  }

  /** The statements sent to sources so far, in order. */
  public List<SourceStatement> sent() {
    synchronized (sent) {
      return List.copyOf(sent);
    }
  }

  public boolean timedOut() {
    return timedOut;
  }

  /** Cancels the query: statements running at sources are cancelled there. */
  public void cancel() {
    if (!timedOut) {
      cancelled = true;
    }
    cancelFlag.set(true);
    running.forEach(QueryExecution::cancelQuietly);
    stopNow();
  }

  /**
   * The engine is closing: cancels the statements running at sources, so nothing keeps running
   * there once their connections are gone, and the query fails with SOURCE_UNAVAILABLE.
   */
  public void abortForShutdown() {
    engineClosing = true;
    cancelFlag.set(true);
    running.forEach(QueryExecution::cancelQuietly);
    stopNow();
  }

  /**
   * Runs {@code action} once, as soon as the query stops: its result closed, its start failed, or
   * it was cancelled or timed out (its statements are then cancelled at the sources, so the source
   * no longer works for it even if the caller never closes the result). For source slots.
   */
  public void onStop(Runnable action) {
    onStop.add(action);
    if (stopped.get()) {
      stopNow();
    }
  }

  private void stopNow() {
    stopped.set(true);
    for (Runnable r : onStop) {
      if (onStop.remove(r)) {
        r.run();
      }
    }
  }

  /**
   * Makes the query's statements at {@code sourceId} run on {@code connection}, which the caller
   * owns (borrowed, configured and given back by it), instead of borrowing one from the pool each.
   */
  public void pin(String sourceId, java.sql.Connection connection) {
    pinned.put(sourceId, connection);
  }

  /**
   * Charges rows the engine's operators hold for this query to {@code account}, which is closed
   * (its reservation given back to the engine's budget) when the query stops.
   */
  public void useMemory(QueryMemory account) {
    memory = account;
    onStop(account::close);
  }

  /** The query's memory account, or null when nothing limits it. */
  public QueryMemory memory() {
    return memory;
  }

  /** The connection lent for a source by {@link #pin}, or null. */
  java.sql.Connection pinned(String sourceId) {
    return pinned.get(sourceId);
  }

  /** Runs {@code action} when the query ends (its result closed, or its start failed). */
  public void onClose(Runnable action) {
    onClose = action;
  }

  private void onTimeout() {
    if (!cancelled) {
      timedOut = true;
    }
    cancelFlag.set(true);
    running.forEach(QueryExecution::cancelQuietly);
    stopNow();
  }

  private static void cancelQuietly(Statement s) {
    try {
      s.cancel();
    } catch (SQLException | RuntimeException e) {
      LOG.debug("cancel failed: {}", e.getClass().getSimpleName());
    }
  }

  @Override
  public void close() {
    ScheduledFuture<?> t = timer;
    if (t != null) {
      t.cancel(false);
    }
    ScheduledFuture<?> w = watcher;
    if (w != null) {
      w.cancel(false);
    }
    stopNow();
    Runnable r = onClose;
    if (r != null) {
      onClose = null;
      r.run();
    }
  }
}
