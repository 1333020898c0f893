package io.gatehouse.core.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.gatehouse.core.config.SourceLimits;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The limiter alone, with threads made to wait in a known order (each waiter is queued before the
 * next is started), so that who gets a freed slot is decided by the limiter, not by the scheduler.
 */
class SourceLimiterTest {
  private static SourceLimiter limiter(int max, int queued, Duration timeout) {
    return new SourceLimiter("shop", new SourceLimits(max, queued, timeout));
  }

  /** Waits until {@code n} queries are queued (the waiter threads have reached the queue). */
  private static void awaitQueued(SourceLimiter l, int n) throws InterruptedException {
    for (int i = 0; i < 10_000 && l.load().queued() != n; i++) {
      Thread.sleep(1);
    }
    assertEquals(n, l.load().queued(), "queued");
  }

  private static CompletableFuture<Void> waiter(SourceLimiter l, String user, List<String> order,
      String name) {
    return CompletableFuture.runAsync(() -> {
      Runnable slot = l.acquire(user, null);
      order.add(name);
      slot.run();
    }, r -> new Thread(r, name).start());
  }

  @Test
  void aFreedSlotGoesRoundRobinBetweenUsers() throws Exception {
    SourceLimiter l = limiter(1, 100, Duration.ofMinutes(5));
    Runnable hold = l.acquire("holder", null);
    List<String> order = new CopyOnWriteArrayList<>();
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      all.add(waiter(l, "alice", order, "alice" + i));
      awaitQueued(l, i);
    }
    all.add(waiter(l, "bob", order, "bob1"));
    awaitQueued(l, 6);
    assertEquals(new SourceLimiter.Load(1, 6, 1, 100), l.load());
    hold.run();
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    // Alice queued first, so she is served first; then Bob's one query, before Alice's other four.
    assertEquals(List.of("alice1", "bob1", "alice2", "alice3", "alice4", "alice5"), order);
    assertEquals(new SourceLimiter.Load(0, 0, 1, 100), l.load());
  }

  @Test
  void aFullQueueFailsAtOnceNamingTheSourceAndTheLimit() throws Exception {
    SourceLimiter l = limiter(1, 1, Duration.ofMinutes(5));
    Runnable hold = l.acquire("a", null);
    List<String> order = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> queued = waiter(l, "b", order, "queued");
    awaitQueued(l, 1);
    GatehouseException e = assertThrows(GatehouseException.class, () -> l.acquire("c", null));
    assertEquals(ErrorCode.RESOURCE_LIMIT, e.code());
    assertTrue(e.getMessage().contains("source 'shop' is at its limit of 1 concurrent query"),
        e.getMessage());
    assertTrue(e.getMessage().contains("queue of 1 waiting query is full"), e.getMessage());
    assertTrue(e.getMessage().contains("limits.maxQueued"), e.getMessage());
    hold.run();
    queued.get(30, TimeUnit.SECONDS);
    assertEquals(List.of("queued"), order, "the queued query ran once the slot was freed");
  }

  @Test
  void aWaitLongerThanTheQueueTimeoutFails() {
    SourceLimiter l = limiter(1, 5, Duration.ofMillis(50));
    Runnable hold = l.acquire("a", null);
    GatehouseException e = assertThrows(GatehouseException.class, () -> l.acquire("b", null));
    assertEquals(ErrorCode.RESOURCE_LIMIT, e.code());
    assertTrue(e.getMessage().contains("waited 50ms for a slot of source 'shop'"), e.getMessage());
    assertTrue(e.getMessage().contains("limits.queueTimeout"), e.getMessage());
    assertEquals(new SourceLimiter.Load(1, 0, 1, 5), l.load(), "the timed-out query left the queue");
    hold.run();
    l.acquire("b", null).run();
    assertEquals(0, l.load().running());
  }

  @Test
  void aCancelWhileWaitingLeavesTheQueue() throws Exception {
    SourceLimiter l = limiter(1, 5, Duration.ofMinutes(5));
    Runnable hold = l.acquire("a", null);
    AtomicBoolean cancel = new AtomicBoolean();
    CompletableFuture<Runnable> f = CompletableFuture.supplyAsync(() -> l.acquire("b", cancel::get));
    awaitQueued(l, 1);
    cancel.set(true);
    try {
      f.get(30, TimeUnit.SECONDS);
      fail("the cancelled wait returned a slot");
    } catch (java.util.concurrent.ExecutionException e) {
      GatehouseException g = (GatehouseException) e.getCause();
      assertEquals(ErrorCode.QUERY_CANCELLED, g.code());
    }
    assertEquals(new SourceLimiter.Load(1, 0, 1, 5), l.load());
    hold.run();
  }

  @Test
  void closingFailsTheWaiters() throws Exception {
    SourceLimiter l = limiter(1, 5, Duration.ofMinutes(5));
    l.acquire("a", null);
    CompletableFuture<Runnable> f = CompletableFuture.supplyAsync(() -> l.acquire("b", null));
    awaitQueued(l, 1);
    l.close();
    java.util.concurrent.ExecutionException e = assertThrows(
        java.util.concurrent.ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
    assertEquals(ErrorCode.SOURCE_UNAVAILABLE, ((GatehouseException) e.getCause()).code());
    assertEquals(0, l.load().queued());
  }

  @Test
  void releasingTwiceFreesOneSlot() {
    SourceLimiter l = limiter(2, 0, Duration.ofSeconds(1));
    Runnable a = l.acquire("a", null);
    Runnable b = l.acquire("a", null);
    a.run();
    a.run();
    assertEquals(1, l.load().running());
    b.run();
    assertEquals(0, l.load().running());
  }

  @Test
  void withoutLimitsQueriesAreCountedNeverQueued() {
    SourceLimiter l = new SourceLimiter("shop", SourceLimits.UNLIMITED);
    List<Runnable> slots = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      slots.add(l.acquire("a", null));
    }
    assertEquals(new SourceLimiter.Load(50, 0, 0, 0), l.load());
    slots.forEach(Runnable::run);
    assertEquals(0, l.load().running());
  }
}
