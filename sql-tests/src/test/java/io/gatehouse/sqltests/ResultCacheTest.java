package io.gatehouse.sqltests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.QueryEvent;
import io.gatehouse.core.QueryOptions;
import io.gatehouse.core.QueryResult;
import io.gatehouse.core.Session;
import io.gatehouse.core.audit.AuditLog;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import io.gatehouse.core.exec.SourceStatement;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The result cache answers a repeated query without sending a statement, and only where the answer
 * is certainly the same for a caller allowed to see it: same plan, parameter values, row cap and
 * visible sources; complete, small enough, not failed, not expired and not invalidated.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResultCacheTest {
  private static final String PROBE = "shop.public.result_cache_probe";
  private static final String BY_ID = "select id, label from " + PROBE + " where id <= ? order by id";
  private Gatehouse engine;
  private final List<SourceStatement> sent = new CopyOnWriteArrayList<>();
  private final List<QueryEvent> events = new CopyOnWriteArrayList<>();

  @BeforeAll
  void open() throws Exception {
    try (Connection c = TwoSources.PG.adminConnection(); Statement s = c.createStatement()) {
      s.execute("drop table if exists public.result_cache_probe");
      s.execute("drop table if exists public.result_cache_big");
      s.execute("create table public.result_cache_probe (id int primary key, label text, data bytea)");
      s.execute("insert into public.result_cache_probe select i, 'row ' || i, decode('0102', 'hex')"
          + " from generate_series(1, 5) i");
      s.execute("create table public.result_cache_big (id int primary key, filler text)");
      s.execute("insert into public.result_cache_big select i, repeat('x', 100)"
          + " from generate_series(1, 2000) i");
      s.execute("grant select on public.result_cache_probe, public.result_cache_big to "
          + TwoSources.PG.readerUser());
    }
    engine = open(Map.of("maxBytes", "16MB", "ttl", "1h", "maxEntryBytes", "64KB"), Map.of());
    engine.addStatementListener(sent::add);
    engine.addQueryListener(events::add);
  }

  /** An engine over shop and crm with {@code engine.resultCache}, and per-source settings by id. */
  private static Gatehouse open(Map<String, Object> resultCache, Map<String, Object> perSource) {
    Map<String, Object> shop = new HashMap<>(TwoSources.postgresSource("shop", "public"));
    Map<String, Object> crm = new HashMap<>(TwoSources.mariadbSource("crm", "crm"));
    if (perSource.containsKey("shop")) {
      shop.put("resultCache", perSource.get("shop"));
    }
    if (perSource.containsKey("crm")) {
      crm.put("resultCache", perSource.get("crm"));
    }
    Map<String, Object> engineSection = new HashMap<>(Map.of("maxRows", 1000));
    if (resultCache != null) {
      engineSection.put("resultCache", resultCache);
    }
    Gatehouse gh = Gatehouse.open(ConfigLoader.withDiscoveredAdapters().fromMap(Map.of(
        "engine", engineSection, "sources", List.of(shop, crm))));
    // Timed tests (a short ttl) must not share the two cores with the background warm-up.
    gh.awaitWarmUp(Duration.ofSeconds(30));
    return gh;
  }

  @BeforeEach
  void clear() {
    engine.invalidateResultCache();
    sent.clear();
    events.clear();
  }

  @AfterAll
  void close() throws Exception {
    engine.close();
    try (Connection c = TwoSources.PG.adminConnection(); Statement s = c.createStatement()) {
      s.execute("drop table if exists public.result_cache_probe");
      s.execute("drop table if exists public.result_cache_big");
    }
  }

  /** A result read to the end, with whether it came from the cache. */
  private record Run(List<List<Object>> rows, boolean fromCache, boolean truncated) {}

  private static Run run(Session session, String sql, QueryOptions options, Object... params) {
    List<List<Object>> rows = new ArrayList<>();
    try (QueryResult r = session.query(sql, List.of(params), options)) {
      while (r.next()) {
        rows.add(new ArrayList<>(List.of(r.row())));
      }
      return new Run(rows, r.fromCache(), r.truncated());
    }
  }

  private Run run(String sql, Object... params) {
    return run(engine.session(), sql, QueryOptions.defaults(), params);
  }

  @Test
  void aRepeatedQueryIsServedFromTheCacheWithoutAStatementAndWithTheSameRows() {
    long hitsBefore = engine.resultCacheStats().hits();
    Run first = run(BY_ID, 3);
    assertFalse(first.fromCache());
    assertEquals(1, sent.size(), "the first run reads the source");
    sent.clear();
    Run second = run(BY_ID, 3);
    assertTrue(second.fromCache(), "the second run is a hit");
    assertEquals(List.of(), sent, "no statement reaches the source for a hit");
    assertEquals(first.rows(), second.rows());
    assertEquals(List.of(List.of(1, "row 1"), List.of(2, "row 2"), List.of(3, "row 3")),
        second.rows());
    assertEquals(hitsBefore + 1, engine.resultCacheStats().hits());
  }

  @Test
  void aHitIsReportedToQueryListenersAndTheAuditLogLikeAnyQuery() {
    run(BY_ID, 2);
    run(BY_ID, 2);
    assertEquals(2, events.size());
    QueryEvent miss = events.get(0);
    QueryEvent hit = events.get(1);
    assertFalse(miss.fromCache());
    assertEquals(1, miss.statements().size());
    assertTrue(hit.fromCache());
    assertTrue(hit.succeeded());
    assertNull(hit.outcome());
    assertEquals(List.of(), hit.statements());
    assertEquals(2, hit.rows());
    assertEquals(java.util.Set.of("shop"), hit.sources());
    assertTrue(AuditLog.line(hit).contains("\"fromCache\":true"), AuditLog.line(hit));
    assertFalse(AuditLog.line(miss).contains("fromCache"), AuditLog.line(miss));
  }

  @Test
  void otherParameterValuesOrAnotherRowCapMiss() {
    run(BY_ID, 3);
    assertFalse(run(BY_ID, 4).fromCache(), "another value is another question");
    assertEquals(4, run(BY_ID, 4).rows().size());
    // 3 and 3L are one value once converted to the parameter's type.
    assertTrue(run(BY_ID, 3L).fromCache());
    Run capped = run(engine.session(), BY_ID, QueryOptions.defaults().withMaxRows(2), 3);
    assertFalse(capped.fromCache(), "another cap is another result");
    assertTrue(capped.truncated());
    Run cappedAgain = run(engine.session(), BY_ID, QueryOptions.defaults().withMaxRows(2), 3);
    assertTrue(cappedAgain.fromCache());
    assertTrue(cappedAgain.truncated(), "a hit reports the cut like the original did");
    assertEquals(capped.rows(), cappedAgain.rows());
    assertEquals(2, cappedAgain.rows().size());
  }

  @Test
  void sessionsThatSeeDifferentSourcesNeverShareAnEntry() {
    String sql = "select count(*) from " + PROBE;
    Session shopOnly = engine.session("alice", List.of("shop"));
    Session both = engine.session("bob", List.of("shop", "crm"));
    Session shopOnlyToo = engine.session("carol", List.of("shop"));
    assertFalse(run(shopOnly, sql, QueryOptions.defaults()).fromCache());
    assertFalse(run(both, sql, QueryOptions.defaults()).fromCache(),
        "a caller who sees other sources does not get another caller's entry");
    assertEquals(2, sent.size());
    assertTrue(run(shopOnlyToo, sql, QueryOptions.defaults()).fromCache(),
        "callers with the same rights may share");
    assertTrue(run(both, sql, QueryOptions.defaults()).fromCache());
  }

  @Test
  void aChangeAtTheSourceIsSeenAfterInvalidation() throws Exception {
    String sql = "select label from " + PROBE + " where id = 1";
    assertEquals(List.of(List.of("row 1")), run(sql).rows());
    try {
      admin("update public.result_cache_probe set label = 'changed' where id = 1");
      Run stale = run(sql);
      assertTrue(stale.fromCache());
      assertEquals(List.of(List.of("row 1")), stale.rows(), "the cache answers until invalidated");
      engine.invalidateResultCache("crm");
      assertTrue(run(sql).fromCache(), "invalidating another source keeps this entry");
      engine.invalidateResultCache("shop");
      Run fresh = run(sql);
      assertFalse(fresh.fromCache());
      assertEquals(List.of(List.of("changed")), fresh.rows());

      admin("update public.result_cache_probe set label = 'changed again' where id = 1");
      engine.refreshMetadata("shop");
      assertEquals(List.of(List.of("changed again")), run(sql).rows(),
          "a metadata refresh of the source invalidates its results");

      admin("update public.result_cache_probe set label = 'third' where id = 1");
      engine.invalidateResultCache();
      assertEquals(List.of(List.of("third")), run(sql).rows());
    } finally {
      admin("update public.result_cache_probe set label = 'row 1' where id = 1");
    }
  }

  @Test
  void invalidatingAnUnknownSourceIsAnError() {
    GatehouseException e = assertThrows(GatehouseException.class,
        () -> engine.invalidateResultCache("nope"));
    assertEquals(ErrorCode.INVALID_PARAMETER, e.code());
  }

  @Test
  void aResultLargerThanTheEntryBoundIsStreamedAndNotCached() {
    String big = "select id, filler from shop.public.result_cache_big order by id";
    Run first = run(big);
    assertEquals(1000, first.rows().size(), "streamed in full to the caller (up to the cap)");
    Run second = run(big);
    assertFalse(second.fromCache(), "over maxEntryBytes: never kept");
    assertEquals(first.rows(), second.rows());
    assertEquals(2, sent.size());
    assertEquals(0, engine.resultCacheStats().entries());
  }

  @Test
  void anErrorIsNeverCached() {
    String failing = "select 10 / (id - 3) from " + PROBE + " order by id";
    GatehouseException e = assertThrows(GatehouseException.class, () -> run(failing));
    sent.clear();
    GatehouseException again = assertThrows(GatehouseException.class, () -> run(failing));
    assertEquals(e.code(), again.code());
    assertEquals(1, sent.size(), "the failed query is sent again");
    assertEquals(0, engine.resultCacheStats().entries());
    assertEquals(e.code(), events.get(events.size() - 1).outcome());
  }

  @Test
  void aResultClosedBeforeItsEndIsNotCached() {
    try (QueryResult r = engine.query(BY_ID, 5)) {
      assertTrue(r.next());
    }
    Run next = run(BY_ID, 5);
    assertFalse(next.fromCache(), "only complete results are kept");
    assertEquals(5, next.rows().size());
    assertTrue(run(BY_ID, 5).fromCache());
  }

  @Test
  void callersCannotChangeCachedValues() {
    String sql = "select id, data from " + PROBE + " where id = 1";
    try (QueryResult r = engine.query(sql)) {
      assertTrue(r.next());
      ((byte[]) r.get(1))[0] = 99; // the copy kept for the cache was taken before this
      assertFalse(r.next());
    }
    for (int i = 0; i < 2; i++) {
      try (QueryResult r = engine.query(sql)) {
        assertTrue(r.next());
        assertTrue(r.fromCache());
        assertArrayEquals(new byte[] {1, 2}, (byte[]) r.get(1));
        ((byte[]) r.get(1))[1] = 99;
        r.row()[0] = -1;
      }
    }
  }

  @Test
  void nonDeterministicQueriesAndExplainAreNotCached() {
    for (String sql : List.of("select id, current_date from " + PROBE + " where id = 1",
        "explain plan for select id from " + PROBE)) {
      run(sql);
      assertFalse(run(sql).fromCache(), sql);
    }
    assertEquals(0, engine.resultCacheStats().entries());
  }

  @Test
  void aQueryMayOptOutOrAskForAFreshResult() {
    run(BY_ID, 1);
    Run optedOut = run(engine.session(), BY_ID, QueryOptions.defaults().withResultCache(false), 1);
    assertFalse(optedOut.fromCache());
    assertTrue(run(BY_ID, 1).fromCache());
    Run fresh = run(engine.session(), BY_ID,
        QueryOptions.defaults().withResultCacheMaxAge(Duration.ZERO), 1);
    assertFalse(fresh.fromCache(), "any entry is older than zero");
    assertTrue(run(engine.session(), BY_ID,
        QueryOptions.defaults().withResultCacheMaxAge(Duration.ofHours(1)), 1).fromCache());
  }

  @Test
  void aSourceThatOptsOutKeepsEveryQueryReadingItOutOfTheCache() {
    try (Gatehouse gh = open(Map.of("ttl", "1h"), Map.of("crm", false))) {
      String cross = "select count(*) from " + PROBE + " p join crm.crm.accounts a"
          + " on a.customer_id = p.id";
      String crmOnly = "select count(*) from crm.crm.accounts";
      String shopOnly = "select count(*) from " + PROBE;
      for (String sql : List.of(cross, crmOnly, shopOnly)) {
        run(gh.session(), sql, QueryOptions.defaults());
      }
      assertFalse(run(gh.session(), cross, QueryOptions.defaults()).fromCache());
      assertFalse(run(gh.session(), crmOnly, QueryOptions.defaults()).fromCache());
      assertTrue(run(gh.session(), shopOnly, QueryOptions.defaults()).fromCache());
    }
  }

  @Test
  void entriesExpireAfterTheSourcesTtl() {
    // The engine keeps results for an hour, shop's own ttl is short: shop's results go first.
    // Two seconds, not less: the second run must land inside the ttl even on a loaded CI machine
    // where the new engine's background warm-up competes for the two cores.
    try (Gatehouse gh = open(Map.of("ttl", "1h"), Map.of("shop", Map.of("ttl", "2s")))) {
      Session s = gh.session();
      String sql = "select count(*) from " + PROBE;
      assertFalse(run(s, sql, QueryOptions.defaults()).fromCache());
      assertTrue(run(s, sql, QueryOptions.defaults()).fromCache(), "cached before it expires");
      // Poll until the entry is gone; a hit does not extend its life. The bound only stops a
      // broken expiry from hanging the build.
      long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (run(s, sql, QueryOptions.defaults()).fromCache()) {
        if (System.nanoTime() > giveUp) {
          fail("the entry never expired");
        }
        sleep(20);
      }
    }
  }

  @Test
  void withoutTheEngineBlockNothingIsCached() {
    try (Gatehouse off = open(null, Map.of())) {
      List<SourceStatement> offSent = new CopyOnWriteArrayList<>();
      off.addStatementListener(offSent::add);
      String sql = "select count(*) from " + PROBE;
      run(off.session(), sql, QueryOptions.defaults());
      assertFalse(run(off.session(), sql, QueryOptions.defaults()).fromCache());
      assertEquals(2, offSent.size());
      off.invalidateResultCache(); // a no-op, not an error
      assertEquals(0, off.resultCacheStats().entries());
    }
  }

  private static void admin(String sql) throws Exception {
    try (Connection c = TwoSources.PG.adminConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
