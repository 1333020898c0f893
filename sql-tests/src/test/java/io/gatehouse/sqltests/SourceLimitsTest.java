package io.gatehouse.sqltests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.QueryEvent;
import io.gatehouse.core.QueryOptions;
import io.gatehouse.core.QueryResult;
import io.gatehouse.core.Session;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A source's {@code limits} against the shared PostgreSQL: an open result holds its slot, so
 * contention is made by keeping results open, never by timing; waiters are queued one at a time
 * (each seen in the queue before the next starts), so their order is known.
 */
class SourceLimitsTest {
  private static final String SQL = "select id, name from shop.public.customers order by id";

  private static Gatehouse engine(Map<String, Object> limits) {
    Map<String, Object> source = new HashMap<>(TwoSources.postgresSource("shop", "public"));
    source.put("limits", limits);
    return Gatehouse.open(ConfigLoader.withDiscoveredAdapters().fromMap(Map.of(
        "engine", Map.of("maxRows", 1000, "queryTimeout", "60s"), "sources", List.of(source))));
  }

  private static void awaitQueued(Gatehouse gh, int n) throws InterruptedException {
    for (int i = 0; i < 10_000 && gh.sourceLoad("shop").queued() != n; i++) {
      Thread.sleep(1);
    }
    assertEquals(n, gh.sourceLoad("shop").queued(), "queries waiting for shop");
  }

  /** Runs a query on its own thread; records {@code name} once it has its slot, then reads all. */
  private static CompletableFuture<Integer> submit(Session s, List<String> order, String name) {
    return CompletableFuture.supplyAsync(() -> {
      try (QueryResult r = s.query(SQL)) {
        order.add(name);
        return r.toList().size();
      }
    }, task -> new Thread(task, name).start());
  }

  @Test
  void aQueuedQueryRunsWhenTheSlotFrees() throws Exception {
    try (Gatehouse gh = engine(Map.of("maxConcurrentQueries", 1, "queueTimeout", "60s"))) {
      Session s = gh.session("alice", List.of("shop"));
      QueryResult open = s.query(SQL);
      assertTrue(open.next());
      assertEquals(1, gh.sourceLoad("shop").running());
      List<String> order = new CopyOnWriteArrayList<>();
      CompletableFuture<Integer> queued = submit(s, order, "second");
      awaitQueued(gh, 1);
      assertTrue(order.isEmpty(), "the second query waits while the first streams");
      open.close();
      assertTrue(queued.get(60, TimeUnit.SECONDS) > 0);
      assertEquals(List.of("second"), order);
      assertEquals(0, gh.sourceLoad("shop").running());
    }
  }

  @Test
  void aFullQueueFailsWithResourceLimit() {
    try (Gatehouse gh = engine(Map.of("maxConcurrentQueries", 1, "maxQueued", 0))) {
      List<QueryEvent> events = new CopyOnWriteArrayList<>();
      gh.addQueryListener(events::add);
      try (QueryResult open = gh.query(SQL)) {
        GatehouseException e = assertThrows(GatehouseException.class, () -> gh.query(SQL));
        assertEquals(ErrorCode.RESOURCE_LIMIT, e.code());
        assertTrue(e.getMessage().contains("source 'shop' is at its limit of 1 concurrent query"),
            e.getMessage());
        assertTrue(e.getMessage().contains("raise limits.maxConcurrentQueries or limits.maxQueued"),
            e.getMessage());
      }
      assertEquals(ErrorCode.RESOURCE_LIMIT, events.get(0).outcome(), "the refusal is reported");
      assertTrue(gh.query(SQL).toList().size() > 0, "the slot is free again");
    }
  }

  @Test
  void aWaitBeyondTheQueueTimeoutFailsWithResourceLimit() {
    try (Gatehouse gh = engine(Map.of("maxConcurrentQueries", 1, "queueTimeout", "100ms"))) {
      try (QueryResult open = gh.query(SQL)) {
        GatehouseException e = assertThrows(GatehouseException.class, () -> gh.query(SQL));
        assertEquals(ErrorCode.RESOURCE_LIMIT, e.code());
        assertTrue(e.getMessage().contains("waited 100ms for a slot of source 'shop'"), e.getMessage());
      }
      assertEquals(0, gh.sourceLoad("shop").queued());
    }
  }

  @Test
  void oneUsersManyQueriesDoNotStarveAnother() throws Exception {
    try (Gatehouse gh = engine(Map.of("maxConcurrentQueries", 1, "queueTimeout", "60s"))) {
      Session alice = gh.session("alice", List.of("shop"));
      Session bob = gh.session("bob", List.of("shop"));
      QueryResult hold = gh.session("holder", List.of("shop")).query(SQL);
      List<String> order = new CopyOnWriteArrayList<>();
      List<CompletableFuture<Integer>> all = new ArrayList<>();
      for (int i = 1; i <= 8; i++) {
        all.add(submit(alice, order, "alice" + i));
        awaitQueued(gh, i);
      }
      all.add(submit(bob, order, "bob"));
      awaitQueued(gh, 9);
      hold.close();
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
      assertEquals(1, order.indexOf("bob"), "bob runs right after alice's first query: " + order);
      assertEquals(9, order.size());
    }
  }

  @Test
  void slotsComeBackAfterFailureCancelAndTimeout() throws Exception {
    try (Gatehouse gh = engine(Map.of("maxConcurrentQueries", 1, "maxQueued", 1,
        "queueTimeout", "60s"))) {
      // A query failing at the source.
      GatehouseException e = assertThrows(GatehouseException.class,
          () -> gh.query("select 1 / (id - id) from shop.public.customers").toList());
      assertEquals(ErrorCode.DATA_ERROR, e.code());
      assertEquals(0, gh.sourceLoad("shop").running(), "after a failure");

      // A query cancelled and never closed by its holder.
      QueryResult cancelled = gh.query(SQL);
      assertTrue(cancelled.next());
      cancelled.cancel();
      assertEquals(0, gh.sourceLoad("shop").running(), "after a cancel");
      assertTrue(gh.query(SQL).toList().size() > 0);
      cancelled.close();

      // A query whose time runs out while its result lies unread: the next one, queued behind it,
      // gets the slot when the timeout fires (it would wait 60s and fail if the slot leaked).
      QueryResult abandoned = gh.query(SQL, List.of(),
          QueryOptions.defaults().withTimeout(Duration.ofMillis(300)));
      assertTrue(gh.query(SQL).toList().size() > 0);
      assertTrue(abandoned.timedOut());
      GatehouseException t = assertThrows(GatehouseException.class, () -> abandoned.toList());
      assertEquals(ErrorCode.QUERY_TIMEOUT, t.code());
      assertEquals(0, gh.sourceLoad("shop").running());
    }
  }

  @Test
  void aQueryOverTwoSourcesHoldsASlotOfEach() {
    Map<String, Object> shop = new HashMap<>(TwoSources.postgresSource("shop", "public"));
    shop.put("limits", Map.of("maxConcurrentQueries", 1, "maxQueued", 0));
    Map<String, Object> crm = new HashMap<>(TwoSources.mariadbSource("crm", "crm"));
    crm.put("limits", Map.of("maxConcurrentQueries", 1, "maxQueued", 0));
    try (Gatehouse gh = Gatehouse.open(ConfigLoader.withDiscoveredAdapters().fromMap(Map.of(
        "sources", List.of(shop, crm))))) {
      try (QueryResult join = gh.query("select c.id, a.tier from shop.public.customers c"
          + " join crm.crm.accounts a on a.customer_id = c.id")) {
        assertTrue(join.next());
        assertEquals(1, gh.sourceLoad("shop").running());
        assertEquals(1, gh.sourceLoad("crm").running());
        GatehouseException e = assertThrows(GatehouseException.class,
            () -> gh.query("select count(*) from crm.crm.accounts"));
        assertTrue(e.getMessage().contains("source 'crm'"), e.getMessage());
      }
      assertEquals(0, gh.sourceLoad("shop").running());
      assertEquals(0, gh.sourceLoad("crm").running());
    }
  }

  @Test
  void withoutLimitsNothingWaits() {
    try (Gatehouse gh = Gatehouse.open(ConfigLoader.withDiscoveredAdapters().fromMap(Map.of(
        "sources", List.of(TwoSources.postgresSource("shop", "public")))))) {
      List<QueryResult> open = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        open.add(gh.query(SQL));
      }
      assertEquals(5, gh.sourceLoad("shop").running());
      assertEquals(0, gh.sourceLoad("shop").queued());
      open.forEach(QueryResult::close);
      assertEquals(0, gh.sourceLoad("shop").running());
    }
  }
}
