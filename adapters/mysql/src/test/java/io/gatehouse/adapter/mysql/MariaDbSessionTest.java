package io.gatehouse.adapter.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.adapter.mysql.testing.MariaDbFixture;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.config.ConfigLoader;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MariaDB session settings behind the contract's read-only and timeout tests, read back from the
 * server: the adapter recognised MariaDB and used its variable names.
 */
class MariaDbSessionTest {
  private static Gatehouse engine;
  private static final MariaDbFixture DB = MariaDbFixture.get();

  @BeforeAll
  static void open() {
    engine = Gatehouse.open(ConfigLoader.withDiscoveredAdapters().fromMap(Map.of(
        "engine", Map.of("queryTimeout", "7s"),
        "sources", List.of(Map.of("id", "crm", "type", "mysql", "host", DB.host(),
            "port", DB.port(), "database", DB.database(), "user", DB.adminUser(),
            "password", DB.adminPassword(), "tls", "disable")))));
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  @Test
  void poolSessionsAreReadOnlyAndCarryTheStatementTimeout() throws Exception {
    try (Connection c = engine.connector("crm").connection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(
            "select @@session.tx_read_only, @@session.max_statement_time, @@session.time_zone")) {
      assertTrue(c.isReadOnly());
      assertTrue(rs.next());
      assertEquals(1, rs.getInt(1), "tx_read_only");
      assertEquals(0, new BigDecimal("7").compareTo(rs.getBigDecimal(2)), "max_statement_time in seconds");
      assertTrue(rs.getString(3).equals("+00:00") || rs.getString(3).equals("UTC"), rs.getString(3));
    }
  }
}
