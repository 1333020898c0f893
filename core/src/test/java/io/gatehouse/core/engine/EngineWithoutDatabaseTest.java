package io.gatehouse.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.PreparedQuery;
import io.gatehouse.core.QueryResult;
import io.gatehouse.core.Session;
import io.gatehouse.core.TableDescription;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import io.gatehouse.core.jdbc.GatehouseDriver;
import io.gatehouse.core.spi.AdapterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Engine behaviour that needs no database: planning failures, statistics, sessions, VALUES. */
class EngineWithoutDatabaseTest {
  private FakeAdapter adapter;
  private Gatehouse engine;

  @BeforeEach
  void open() {
    adapter = new FakeAdapter(List.of(
        FakeAdapter.table("orders", 123_456, "id", "integer", "amount", "decimal"),
        FakeAdapter.table("tiny", 3, "id", "integer"),
        FakeAdapter.table("unknown_size", -1, "id", "integer"),
        FakeAdapter.table("broken", 10, "id", "integer", "weird", "broken")));
    AdapterRegistry registry = new AdapterRegistry(List.of(adapter));
    engine = Gatehouse.open(new ConfigLoader(registry, Map.of()).fromMap(Map.of(
        "engine", Map.of("maxRows", 5),
        "sources", List.of(Map.of("id", "fk", "type", "fake")))), registry);
  }

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void anErrorInsideThePlannerIsAnInternalErrorAndTheSessionLivesOn() {
    Session s = engine.session();
    GatehouseException e = assertThrows(GatehouseException.class,
        () -> s.prepare("select weird from fk.main.broken"));
    assertEquals(ErrorCode.INTERNAL, e.code());
    assertTrue(e.getMessage().contains("incident"), e.getMessage());
    assertFalse(e.getMessage().contains("simulated planner bug"), "internals stay in the log");
    PreparedQuery ok = s.prepare("select id from fk.main.orders");
    assertEquals(1, ok.columns().size());
  }

  @Test
  void anErrorInsideThePlannerDoesNotKillAJdbcConnection() throws Exception {
    try (Connection c = GatehouseDriver.connect(engine, new Properties());
        Statement st = c.createStatement()) {
      SQLException e = assertThrows(SQLException.class,
          () -> st.executeQuery("select weird from fk.main.broken"));
      assertEquals("XX000", e.getSQLState());
      try (ResultSet rs = st.executeQuery("values (1, 'a'), (2, 'b')")) {
        assertTrue(rs.next());
        assertEquals(1, rs.getInt(1));
      }
      assertTrue(c.isValid(1));
    }
  }

  @Test
  void tablesCarryTheSourcesRowEstimates() {
    Map<String, Double> estimates = new java.util.HashMap<>();
    for (TableDescription t : engine.session().describeTables("fk")) {
      estimates.put(t.info().name(), t.info().rowEstimate());
    }
    assertEquals(123_456d, estimates.get("orders"));
    // The planner reads row counts from the tables' statistics (Calcite's JdbcTable says 100 rows).
    var catalog = new io.gatehouse.core.catalog.SourceCatalog(
        adapter.connector(engine.config().sources().get(0), engine.config().engine()),
        java.time.Duration.ofMinutes(1));
    assertEquals(123_456d, catalog.tables("main").get("orders").table().getStatistic().getRowCount());
    assertEquals(3d, catalog.tables("main").get("tiny").table().getStatistic().getRowCount());
    assertNull(catalog.tables("main").get("unknown_size").table().getStatistic().getRowCount(),
        "no estimate: unknown, not zero");
  }

  @Test
  void aFirstReadAheadKeepsTheGenerationAndALaterOneAdvancesIt() {
    // Plan-cache and result-cache keys hold the generation of every source a session sees: the
    // warm-up's first read of a catalog nobody read yet must not retire plans of other sources.
    var catalog = new io.gatehouse.core.catalog.SourceCatalog(
        adapter.connector(engine.config().sources().get(0), engine.config().engine()),
        java.time.Duration.ofMinutes(1));
    assertEquals(0, catalog.generation());
    catalog.preload();
    assertEquals(0, catalog.generation(), "a first read ahead changes no key");
    assertTrue(catalog.tables("main").containsKey("orders"), "and is kept");
    long before = catalog.generation();
    catalog.refresh();
    catalog.preload();
    assertEquals(before + 2, catalog.generation(), "a refresh, then a new read kept");
    catalog.tables("main");
    assertEquals(before + 2, catalog.generation(), "the read ahead is used, not read again");
  }

  @Test
  void theCatalogIsReadOnceAndCached() {
    engine.session().prepare("select id from fk.main.orders");
    engine.session().prepare("select id from fk.main.tiny");
    assertEquals(1, adapter.catalogReads.get());
    engine.refreshMetadata("fk");
    engine.session().prepare("select id from fk.main.orders");
    assertEquals(2, adapter.catalogReads.get());
  }

  @Test
  void valuesRunInTheEngineWithTheCap() {
    try (QueryResult r = engine.query("values (1), (2), (3), (4), (5), (6), (7)")) {
      int n = 0;
      while (r.next()) {
        n++;
      }
      assertEquals(5, n);
      assertTrue(r.truncated());
    }
  }

  @Test
  void aSessionSeesOnlyItsSources() {
    Session none = engine.session("agent", List.of());
    GatehouseException e = assertThrows(GatehouseException.class,
        () -> none.prepare("select id from fk.main.orders"));
    assertEquals(ErrorCode.SQL_VALIDATION, e.code());
    assertTrue(none.describeTables("fk").isEmpty());
  }

  @Test
  void defaultSchemaResolvesUnqualifiedNamesCaseInsensitively() {
    Session s = engine.session();
    s.setDefaultSchema("FK.Main");
    assertEquals(List.of("fk", "main"), s.defaultSchema());
    assertEquals(2, s.prepare("select * from ORDERS").columns().size());
    GatehouseException e = assertThrows(GatehouseException.class, () -> s.setDefaultSchema("fk.nope"));
    assertEquals(ErrorCode.SQL_VALIDATION, e.code());
    s.setDefaultSchema(null);
    assertTrue(s.defaultSchema().isEmpty());
  }

  @Test
  void parameterCountAndTypesAreChecked() {
    GatehouseException e = assertThrows(GatehouseException.class,
        () -> engine.query("select id from fk.main.orders where id = ?"));
    assertEquals(ErrorCode.INVALID_PARAMETER, e.code());
    GatehouseException t = assertThrows(GatehouseException.class,
        () -> engine.query("select id from fk.main.orders where id = ?", "not a number"));
    assertEquals(ErrorCode.INVALID_PARAMETER, t.code());
    assertTrue(t.getMessage().contains("parameter 1"), t.getMessage());
  }

  @Test
  void explainShowsThePlan() {
    try (QueryResult r = engine.query("explain plan for select id from fk.main.orders where id > 3")) {
      StringBuilder sb = new StringBuilder();
      while (r.next()) {
        sb.append(r.get(0)).append('\n');
      }
      assertTrue(sb.toString().contains("WholeQueryAtSource(source=[fk])"), sb::toString);
      assertTrue(sb.toString().contains("LogicalFilter"), sb::toString);
      assertTrue(sb.toString().contains("source fk: SELECT"), sb::toString);
    }
  }

  @Test
  void closedEngineRefusesWork() {
    engine.close();
    GatehouseException e = assertThrows(GatehouseException.class, () -> engine.query("values 1"));
    assertTrue(e.getMessage().contains("closed"));
  }
}
