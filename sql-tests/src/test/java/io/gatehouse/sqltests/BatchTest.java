package io.gatehouse.sqltests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.BatchQuery;
import io.gatehouse.core.BatchResult;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.QueryEvent;
import io.gatehouse.core.QueryOptions;
import io.gatehouse.core.QueryResult;
import io.gatehouse.core.Session;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import io.gatehouse.core.exec.SourceStatement;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Batches against the shared PostgreSQL: the queries of a batch see one snapshot although another
 * connection commits between them, a failing query leaves the others their results, and a query
 * that the source cannot run whole is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchTest {
  private static final String COUNT = "select count(*) as n from shop.public.batch_probe";
  private static final String SUM = "select sum(id) as s from shop.public.batch_probe where id > ?";
  private Gatehouse engine;
  private Session session;

  @BeforeAll
  void open() throws SQLException {
    probe();
    Map<String, Object> shop = new HashMap<>(TwoSources.postgresSource("shop", "public"));
    shop.put("limits", Map.of("maxConcurrentQueries", 1, "maxQueued", 0));
    engine = Gatehouse.open(ConfigLoader.withDiscoveredAdapters().fromMap(Map.of(
        "engine", Map.of("maxRows", 1000),
        "sources", List.of(shop, TwoSources.mariadbSource("crm", "crm")))));
    session = engine.session("ann", List.of("shop", "crm"));
  }

  @BeforeEach
  void probe() throws SQLException {
    admin("drop table if exists public.batch_probe",
        "create table public.batch_probe (id int)",
        "insert into public.batch_probe values (1), (2)",
        "grant select on public.batch_probe to " + TwoSources.PG.readerUser());
    if (engine != null) {
      // The engine reads catalogs in the background from its start; one read may have fallen
      // between the drop and the create above.
      engine.refreshMetadata("shop");
    }
  }

  @AfterAll
  void close() throws SQLException {
    engine.close();
    admin("drop table if exists public.batch_probe");
  }

  private static void admin(String... sql) throws SQLException {
    try (Connection c = TwoSources.PG.adminConnection(); Statement s = c.createStatement()) {
      if (!c.getAutoCommit()) {
        c.setAutoCommit(true);
      }
      for (String q : sql) {
        s.execute(q);
      }
    }
  }

  /** Commits a new row through the admin connection just before the second probe query runs. */
  private Consumer<SourceStatement> insertBeforeSecondQuery() {
    AtomicInteger seen = new AtomicInteger();
    return st -> {
      if (st.sql().contains("batch_probe") && seen.incrementAndGet() == 2) {
        try {
          admin("insert into public.batch_probe values (10)");
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      }
    };
  }

  private static Object only(BatchResult r) {
    assertTrue(r.succeeded(), () -> String.valueOf(r.error()));
    assertEquals(1, r.rows().size());
    return r.rows().get(0)[0];
  }

  @Test
  void twoQueriesOfABatchSeeOneSnapshot() {
    Consumer<SourceStatement> listener = insertBeforeSecondQuery();
    engine.addStatementListener(listener);
    List<BatchResult> results;
    try {
      results = session.batch("shop", List.of(BatchQuery.of(COUNT), BatchQuery.of(SUM, 0)),
          QueryOptions.defaults());
    } finally {
      engine.removeStatementListener(listener);
    }
    assertEquals(2L, ((Number) only(results.get(0))).longValue());
    assertEquals(3L, ((Number) only(results.get(1))).longValue(), "the row committed between the"
        + " two queries is not in the batch's snapshot");
    // The row was committed: a query after the batch sees it.
    assertEquals(3L, ((Number) engine.query(COUNT).toList().get(0)[0]).longValue());
  }

  @Test
  void aBatchOnMariaDbSeesOneSnapshotToo() throws SQLException {
    try (Connection c = TwoSources.MARIADB.adminConnection(); Statement s = c.createStatement()) {
      s.execute("drop table if exists crm.batch_probe");
      s.execute("create table crm.batch_probe (id int) engine=InnoDB");
      s.execute("insert into crm.batch_probe values (1), (2)");
      s.execute("grant select on crm.batch_probe to '" + TwoSources.MARIADB.readerUser() + "'@'%'");
    }
    engine.refreshMetadata("crm");
    AtomicInteger seen = new AtomicInteger();
    Consumer<SourceStatement> listener = st -> {
      if (st.sql().contains("batch_probe") && seen.incrementAndGet() == 2) {
        try (Connection c = TwoSources.MARIADB.adminConnection(); Statement s = c.createStatement()) {
          s.execute("insert into crm.batch_probe values (10)");
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      }
    };
    engine.addStatementListener(listener);
    List<BatchResult> results;
    try {
      results = session.batch("crm", List.of("select count(*) from crm.crm.batch_probe",
          "select sum(id) from crm.crm.batch_probe"));
    } finally {
      engine.removeStatementListener(listener);
      try (Connection c = TwoSources.MARIADB.adminConnection(); Statement s = c.createStatement()) {
        s.execute("drop table if exists crm.batch_probe");
      }
    }
    assertEquals(2L, ((Number) only(results.get(0))).longValue());
    assertEquals(3L, ((Number) only(results.get(1))).longValue(), "InnoDB's snapshot is kept");
    assertEquals(2, seen.get(), "the commit happened between the two queries");
  }

  @Test
  void withoutABatchTheSecondQuerySeesTheCommit() {
    // The control: the same two queries run one by one see the row committed between them.
    Consumer<SourceStatement> listener = insertBeforeSecondQuery();
    engine.addStatementListener(listener);
    try {
      try (QueryResult r = session.query(COUNT)) {
        assertTrue(r.next());
        assertEquals(2L, ((Number) r.get(0)).longValue());
      }
      try (QueryResult r = session.query(SUM, 0)) {
        assertTrue(r.next());
        assertEquals(13L, ((Number) r.get(0)).longValue());
      }
    } finally {
      engine.removeStatementListener(listener);
    }
  }

  @Test
  void aFailingQueryReturnsItsErrorAndTheOthersTheirRows() {
    List<QueryEvent> events = new CopyOnWriteArrayList<>();
    engine.addQueryListener(events::add);
    List<BatchResult> results = session.batch("shop", List.of(COUNT,
        "select 1 / (id - id) from shop.public.batch_probe",
        "select from where",
        "select id from shop.public.batch_probe order by id"));
    assertEquals(2L, ((Number) only(results.get(0))).longValue());
    assertEquals(ErrorCode.DATA_ERROR, results.get(1).error().code());
    assertEquals(ErrorCode.SQL_SYNTAX, results.get(2).error().code());
    BatchResult last = results.get(3);
    assertTrue(last.succeeded(), () -> "after a failure at the source, the transaction goes on: "
        + last.error());
    assertEquals(List.of(1, 2), last.rows().stream().map(r -> r[0]).toList());
    assertEquals("ID", last.columns().get(0).name().toUpperCase(java.util.Locale.ROOT));
    assertEquals(4, events.size(), "every query of the batch is reported like any query");
    assertEquals(0, engine.sourceLoad("shop").running(), "the batch gave its slot back");
  }

  @Test
  void queriesTheSourceCannotRunWholeAreRefused() {
    List<BatchResult> results = session.batch("shop", List.of(
        "select count(*) from crm.crm.accounts",
        "select c.id from shop.public.customers c join crm.crm.accounts a on a.customer_id = c.id",
        COUNT));
    GatehouseException other = results.get(0).error();
    assertEquals(ErrorCode.UNSUPPORTED, other.code());
    assertTrue(other.getMessage().contains("reads source(s) crm")
        && other.getMessage().contains("only its own source 'shop'"), other.getMessage());
    GatehouseException cross = results.get(1).error();
    assertEquals(ErrorCode.UNSUPPORTED, cross.code());
    assertTrue(cross.getMessage().contains("crm, shop"), cross.getMessage());
    assertEquals(2L, ((Number) only(results.get(2))).longValue());
  }

  @Test
  void batchQueriesAreRowCapped() {
    List<BatchResult> results = session.batch("shop",
        List.of(BatchQuery.of("select id from shop.public.batch_probe order by id")),
        QueryOptions.defaults().withMaxRows(1));
    assertEquals(1, results.get(0).rows().size());
    assertTrue(results.get(0).truncated());
    assertFalse(session.batch("shop", List.of(COUNT)).get(0).truncated());
  }

  @Test
  void aBatchTakesOneSlotOfItsSource() {
    try (QueryResult open = session.query(COUNT)) {
      GatehouseException e = assertThrows(GatehouseException.class,
          () -> session.batch("shop", List.of(COUNT)));
      assertEquals(ErrorCode.RESOURCE_LIMIT, e.code());
    }
    GatehouseException unknown = assertThrows(GatehouseException.class,
        () -> session.batch("nosuch", List.of(COUNT)));
    assertEquals(ErrorCode.INVALID_PARAMETER, unknown.code());
  }
}
