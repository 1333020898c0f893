package io.gatehouse.sqltests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.QueryResult;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import io.gatehouse.core.exec.SourceStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code engine.memoryBudget}: rows the engine's own operators hold (a hash join's build side, a
 * sort, an aggregate's groups) count against it, and a query that would pass it ends with
 * RESOURCE_LIMIT, its memory given back; rows that only stream through are never counted.
 *
 * <p>Data ({@link EngineWorkTables}): 60,000 rows a side (about 8 MB as the engine holds them), so a
 * 2 MB budget is passed and the default 512 MB is not.
 */
class MemoryBudgetTest {
  private static final int ROWS = EngineWorkTables.ROWS;
  /** Joined on text, so the engine hashes one side (no merge join on text, see SortedInputRules). */
  private static final String JOIN = "select count(*), sum(p.amount), max(m.id) from pg.public.items p"
      + " join my.membudget.tags m on m.tag = p.label";

  @BeforeAll
  static void load() throws SQLException {
    EngineWorkTables.load();
  }

  private static Gatehouse engine(String budget) {
    Map<String, Object> pg = new HashMap<>(TwoSources.postgresSource("pg", "public"));
    pg.put("database", "membudget");
    Map<String, Object> my = TwoSources.mariadbSource("my", "membudget");
    Map<String, Object> engine = new HashMap<>(Map.of("maxRows", 1_000_000, "queryTimeout", "120s"));
    if (budget != null) {
      engine.put("memoryBudget", budget);
    }
    return Gatehouse.open(ConfigLoader.withDiscoveredAdapters().fromMap(Map.of(
        "engine", engine, "sources", List.of(pg, my))));
  }

  private static GatehouseException overBudget(Gatehouse gh, String sql) {
    GatehouseException e = assertThrows(GatehouseException.class, () -> {
      try (QueryResult r = gh.query(sql)) {
        r.toList();
      }
    });
    assertEquals(ErrorCode.RESOURCE_LIMIT, e.code(), e::getMessage);
    assertTrue(e.getMessage().contains("engine.memoryBudget (2MB)"), e::getMessage);
    assertEquals(0, gh.memory().reserved(), "the failed query gave its memory back");
    return e;
  }

  @Test
  void aCrossSourceJoinOverTheBudgetEndsWithResourceLimitAndTheEngineGoesOn() {
    try (Gatehouse small = engine("2MB"); Gatehouse dflt = engine(null)) {
      Object[] answer = dflt.query(JOIN).toList().get(0);
      assertEquals(ROWS, ((Number) answer[0]).intValue(), "the default budget holds the join");
      assertEquals(0, dflt.memory().reserved());

      overBudget(small, JOIN);
      // The same engine still answers queries that hold little.
      List<Object[]> few = small.query("select p.id, m.tag from pg.public.items p"
          + " join my.membudget.tags m on m.tag = p.label where p.id <= 100 and m.id <= 100").toList();
      assertEquals(100, few.size());
      assertEquals(0, small.memory().reserved());
    }
  }

  @Test
  void sortsAggregatesAndSetOperationsInTheEngineAreCounted() {
    try (Gatehouse small = engine("2MB")) {
      // a sort of a cross-source union, done by the engine
      overBudget(small, "select label from pg.public.items union all"
          + " select tag from my.membudget.tags order by 1");
      // 60,000 groups held by the engine's aggregate
      overBudget(small, "select label, count(*) from (select label from pg.public.items union all"
          + " select tag from my.membudget.tags) t group by label");
      // EXCEPT holds one side
      overBudget(small, "select id from pg.public.items except select id from my.membudget.tags"
          + " where id > 10");
    }
  }

  @Test
  void rowsThatOnlyStreamThroughAreNotCounted() {
    try (Gatehouse small = engine("2MB")) {
      // pushed down whole: the engine holds nothing
      assertEquals(ROWS, small.query("select * from pg.public.items").toList().size());
      // streamed through engine operators that hold nothing (a cross-source UNION ALL, a calc)
      assertEquals(2 * ROWS, small.query("select label || '!' from pg.public.items union all"
          + " select tag from my.membudget.tags").toList().size());
      assertEquals(0, small.memory().reserved());
    }
  }

  @Test
  void queriesShareTheBudgetAndAnOpenResultHoldsItsShare() {
    String half = "select p.id, m.id from pg.public.items p join my.membudget.tags m"
        + " on m.tag = p.label where p.id <= 30000 and m.id <= 30000";
    long alone;
    try (Gatehouse gh = engine(null); QueryResult open = gh.query(half)) {
      assertTrue(open.next());
      alone = gh.memory().reserved(); // the build side, held while the result is open
    }
    assertTrue(alone > 2 << 20, "the join holds its build side: " + alone);
    // A budget that takes the query once but not twice.
    long budgetMb = (alone * 3 / 2 + (1 << 20) - 1) >> 20;
    try (Gatehouse gh = engine(budgetMb + "MB")) {
      try (QueryResult open = gh.query(half)) {
        assertTrue(open.next());
        long held = gh.memory().reserved();
        assertEquals(alone, held);
        GatehouseException e = assertThrows(GatehouseException.class, () -> {
          try (QueryResult r = gh.query(half)) {
            r.toList();
          }
        });
        assertEquals(ErrorCode.RESOURCE_LIMIT, e.code(), e::getMessage);
        assertTrue(e.getMessage().contains("while other queries held"), e::getMessage);
        assertEquals(held, gh.memory().reserved(), "the failed query gave back what it took");
      }
      assertEquals(0, gh.memory().reserved(), "closing the result gives its share back");
      assertEquals(30_000, gh.query(half).toList().size(), "alone, the query fits");
    }
  }

  @Test
  void aNestedLoopJoinReadsItsInnerSideOnce() {
    try (Gatehouse gh = engine(null)) {
      List<SourceStatement> sent = new CopyOnWriteArrayList<>();
      gh.addStatementListener(sent::add);
      // a join on an inequality across sources: no hash join is possible
      List<Object[]> rows = gh.query("select p.id, m.id from pg.public.items p"
          + " join my.membudget.tags m on m.id < p.id where p.id <= 50 and m.id <= 40").toList();
      // for p.id = 2..50, the ids below it and <= 40: sum over p of min(p - 1, 40)
      long expected = 0;
      for (int p = 1; p <= 50; p++) {
        expected += Math.min(p - 1, 40);
      }
      assertEquals(expected, rows.size());
      assertEquals(2, sent.size(), () -> "one statement per source, not one per outer row: " + sent);
    }
  }
}
