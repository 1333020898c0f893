package io.gatehouse.sqltests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.PreparedQuery;
import io.gatehouse.core.QueryOptions;
import io.gatehouse.core.QueryResult;
import io.gatehouse.core.Session;
import io.gatehouse.core.config.ConfigLoader;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The plan cache reuses a plan only where it is certainly the same plan: same SQL, row cap,
 * default schema, visible sources and catalog generation; and a reused plan gives the same answers,
 * also when many threads run it at once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlanCacheTest {
  private static final String SQL = "select c.country, count(*) as n from shop.public.customers c"
      + " join shop.public.orders o on o.customer_id = c.id where c.id > ? group by c.country"
      + " order by c.country";
  private Gatehouse engine;

  @BeforeAll
  void open() throws Exception {
    try (Connection c = TwoSources.PG.adminConnection(); Statement s = c.createStatement()) {
      s.execute("drop table if exists public.plan_cache_probe");
      s.execute("create table public.plan_cache_probe (id int)");
      s.execute("insert into public.plan_cache_probe values (1), (2)");
      s.execute("grant select on public.plan_cache_probe to " + TwoSources.PG.readerUser());
    }
    engine = Gatehouse.open(ConfigLoader.withDiscoveredAdapters().fromMap(Map.of(
        "engine", Map.of("maxRows", 1000),
        "sources", List.of(TwoSources.postgresSource("shop", "public"),
            TwoSources.mariadbSource("crm", "crm")))));
  }

  @AfterAll
  void close() throws Exception {
    engine.close();
    try (Connection c = TwoSources.PG.adminConnection(); Statement s = c.createStatement()) {
      s.execute("drop table if exists public.plan_cache_probe");
    }
  }

  private static List<List<Object>> run(PreparedQuery q, Object... params) {
    List<List<Object>> rows = new ArrayList<>();
    try (QueryResult r = q.execute(params)) {
      while (r.next()) {
        rows.add(List.of(r.row()));
      }
    }
    return rows;
  }

  @Test
  void aRepeatedQueryReusesItsPlanAndAnswersTheSame() {
    Session session = engine.session("u1", List.of("shop", "crm"));
    PreparedQuery first = session.prepare(SQL);
    PreparedQuery second = session.prepare(SQL);
    assertTrue(second.planReused(), "the second prepare finds the plan");
    assertEquals(run(first, 10), run(second, 10));
    assertEquals(run(first, 50), run(second, 50));
    assertTrue(engine.planCacheStats().hits() > 0);
  }

  @Test
  void aPlanIsSharedOnlyBetweenCallersWhoSeeTheSameSources() {
    String sql = "select count(*) from shop.public.products where id < 7";
    engine.session("a", List.of("shop")).prepare(sql);
    assertTrue(engine.session("b", List.of("shop")).prepare(sql).planReused(),
        "same sources: the plan is the same");
    assertFalse(engine.session("c", List.of("shop", "crm")).prepare(sql).planReused(),
        "other sources visible: planned for this caller");
  }

  @Test
  void theRowCapAndTheDefaultSchemaArePartOfThePlan() {
    Session session = engine.session("u2", List.of("shop"));
    String sql = "select id from customers order by id";
    session.setDefaultSchema("shop.public");
    session.prepare(sql);
    assertTrue(session.prepare(sql).planReused());
    PreparedQuery lowCap = session.prepare(sql, QueryOptions.defaults().withMaxRows(3));
    assertFalse(lowCap.planReused(), "another cap is another plan");
    assertEquals(3, run(lowCap).size());
    session.setDefaultSchema("shop");
    assertFalse(session.prepare("select id from public.customers order by id").planReused());
  }

  @Test
  void aMetadataRefreshRetiresPlansSoQueriesSeeTheNewShape() throws Exception {
    Session session = engine.session("u3", List.of("shop"));
    String sql = "select * from shop.public.plan_cache_probe order by id";
    assertEquals(1, session.prepare(sql).columns().size());
    assertTrue(session.prepare(sql).planReused());
    try (Connection c = TwoSources.PG.adminConnection(); Statement s = c.createStatement()) {
      s.execute("alter table public.plan_cache_probe add column label text default 'x'");
    }
    engine.refreshMetadata("shop");
    PreparedQuery after = session.prepare(sql);
    assertFalse(after.planReused(), "a refresh retires the plans of that source");
    assertEquals(2, after.columns().size(), "the new column is seen");
    assertEquals(List.of(List.of(1, "x"), List.of(2, "x")), run(after));
  }

  @Test
  void aSizeOfZeroTurnsTheCacheOff() {
    try (Gatehouse off = Gatehouse.open(ConfigLoader.withDiscoveredAdapters().fromMap(Map.of(
        "engine", Map.of("planCacheSize", 0),
        "sources", List.of(TwoSources.postgresSource("shop", "public")))))) {
      off.session().prepare("select 1 from shop.public.customers");
      assertFalse(off.session().prepare("select 1 from shop.public.customers").planReused());
    }
  }

  @Test
  void oneCachedPlanRunsCorrectlyOnManyThreadsAtOnce() throws Exception {
    Session session = engine.session("u4", List.of("shop", "crm"));
    String cross = "select a.tier, count(*) as n from shop.public.customers c join crm.crm.accounts a"
        + " on a.customer_id = c.id where c.id > ? group by a.tier order by a.tier";
    List<List<Object>> expected10 = run(session.prepare(cross), 10);
    List<List<Object>> expected60 = run(session.prepare(cross), 60);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        int n = i;
        results.add(pool.submit(() -> {
          PreparedQuery q = session.prepare(cross);
          return q.planReused() && (n % 2 == 0
              ? run(q, 10).equals(expected10) : run(q, 60).equals(expected60));
        }));
      }
      for (Future<Boolean> f : results) {
        assertTrue(f.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
