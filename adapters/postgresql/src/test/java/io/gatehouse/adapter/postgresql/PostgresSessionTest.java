package io.gatehouse.adapter.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gatehouse.adapter.postgresql.testing.PostgresFixture;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.config.ConfigLoader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL session settings behind the contract's read-only and timeout tests, read back from
 * the server: they are set by the pool at connect time, not by the engine per query.
 */
class PostgresSessionTest {
  private static Gatehouse engine;
  private static final PostgresFixture PG = PostgresFixture.get();

  @BeforeAll
  static void open() {
    engine = Gatehouse.open(ConfigLoader.withDiscoveredAdapters().fromMap(Map.of(
        "engine", Map.of("queryTimeout", "7s"),
        "sources", List.of(Map.of("id", "shop", "type", "postgresql", "host", PG.host(),
            "port", PG.port(), "database", PG.database(), "user", PG.adminUser(),
            "password", PG.adminPassword(), "tls", "disable")))));
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  private static String show(Statement s, String setting) throws SQLException {
    try (ResultSet rs = s.executeQuery("show " + setting)) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void poolSessionsAreReadOnlyAndCarryTheStatementTimeout() throws Exception {
    try (Connection c = engine.connector("shop").connection(); Statement s = c.createStatement()) {
      assertFalse(c.getAutoCommit(), "autocommit off: results stream through a cursor");
      assertEquals("on", show(s, "default_transaction_read_only"));
      assertEquals("on", show(s, "transaction_read_only"));
      assertEquals("7s", show(s, "statement_timeout"));
      assertEquals("gatehouse", show(s, "application_name"));
    }
  }

  @Test
  void aSuperuserWriteThroughThePoolIsRefusedByTheServer() throws Exception {
    try (Connection c = engine.connector("shop").connection(); Statement s = c.createStatement()) {
      SQLException e = assertThrows(SQLException.class,
          () -> s.execute("create table public.should_not_exist(x int)"));
      assertEquals("25006", e.getSQLState(), "read_only_sql_transaction");
    }
  }

  /**
   * A result known to be small is read whole (PostgreSQL plans a portal read in batches without
   * parallel workers); anything unbounded or large streams with the configured fetch size.
   */
  @Test
  void smallBoundedResultsAreReadWholeAndTheRestStreams() {
    var connector = engine.connector("shop");
    assertEquals(0, connector.fetchSize(1, 1000), "one aggregate row");
    assertEquals(0, connector.fetchSize(10_001, 1000), "the default row cap");
    assertEquals(1000, connector.fetchSize(-1, 1000), "no known bound");
    assertEquals(1000, connector.fetchSize(1_000_001, 1000), "a large cap");
  }
}
