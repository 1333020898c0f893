package io.gatehouse.adapter.snowflake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.adapter.snowflake.fake.FakeSnowflake;
import io.gatehouse.core.ConnectionCheck;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.QueryResult;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a Snowflake session of Gatehouse looks like at the source, as recorded by the FAKE Snowflake
 * the real driver talks to: session parameters, query tags, the role and secondary roles, errors.
 */
class SnowflakeSessionTest {
  private static FakeSnowflakeFixture fixture;
  private static FakeSnowflake fake;

  @BeforeAll
  static void start() throws Exception {
    fixture = new FakeSnowflakeFixture();
    fake = fixture.fake;
    try (Connection c = fixture.adminConnection(); Statement s = c.createStatement()) {
      s.execute("create schema sales");
      s.execute("create table sales.orders (id number(9,0), total number(12,2))");
      s.execute("insert into sales.orders values (1, 10.50), (2, 20.25)");
    }
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @BeforeEach
  void clear() {
    fake.clearRecords();
  }

  private static Gatehouse open(Map<String, Object> overrides, Map<String, Object> engine) {
    Map<String, Object> source = new LinkedHashMap<>(fixture.source(FakeSnowflakeFixture.READER,
        fixture.readerPassword));
    source.put("id", "sf");
    source.put("schemas", List.of("sales"));
    source.putAll(overrides);
    source.values().removeIf(v -> v == null);
    Map<String, Object> root = new HashMap<>();
    root.put("sources", List.of(source));
    if (!engine.isEmpty()) {
      root.put("engine", engine);
    }
    return Gatehouse.open(ConfigLoader.withDiscoveredAdapters().fromMap(root));
  }

  private static int count(QueryResult r) {
    int n = 0;
    try (r) {
      while (r.next()) {
        n++;
      }
    }
    return n;
  }

  @Test
  void loginCarriesTimeoutTagTimeZoneAndJsonResults() {
    try (Gatehouse gh = open(Map.of(), Map.of("queryTimeout", "7s"))) {
      assertEquals(2, count(gh.query("select id from sf.sales.orders where id <= 2")));
    }
    FakeSnowflake.Login login = fake.logins().get(0);
    assertEquals(null, login.error());
    assertEquals("SNOWFLAKE", login.authenticator());
    assertEquals("GATEHOUSE_READER_ROLE", login.role());
    assertEquals("COMPUTE_WH", login.warehouse());
    assertEquals("ANALYTICS", login.database());
    Map<String, Object> p = login.sessionParameters();
    assertEquals(7L, p.get("STATEMENT_TIMEOUT_IN_SECONDS"));
    assertEquals("gatehouse source=sf", p.get("QUERY_TAG"));
    assertEquals("UTC", p.get("TIMEZONE"));
    assertEquals("JSON", p.get("JDBC_QUERY_RESULT_FORMAT"));
  }

  @Test
  void eachStatementIsTaggedWithTheGatehouseUserAndLimitedByTheQueryTimeout() {
    try (Gatehouse gh = open(Map.of(), Map.of("queryTimeout", "9s"))) {
      assertEquals(2, count(gh.session("alice", List.of("sf")).query("select id from sf.sales.orders where id <= 2")));
    }
    List<FakeSnowflake.Received> data = fake.executed().stream()
        .filter(r -> r.sql().contains("ORDERS")).toList();
    assertEquals(1, data.size(), () -> "statements: " + fake.executed());
    assertEquals("gatehouse source=sf user=alice", data.get(0).queryTag());
    // the engine's own per-statement limit (time left, rounded up) travels as a statement parameter
    assertTrue(data.get(0).timeoutSeconds() >= 1 && data.get(0).timeoutSeconds() <= 9,
        () -> "timeout " + data.get(0).timeoutSeconds());
  }

  @Test
  void sessionsUseOnlyTheConfiguredRoleSoTheyCannotWrite() throws Exception {
    // The reader is also granted SYSADMIN, and its secondary roles default to ALL: a plain session
    // of it can write.
    try (Connection plain = fixture.adminConnectionAs(FakeSnowflakeFixture.READER, fixture.readerPassword,
        FakeSnowflakeFixture.READER_ROLE); Statement s = plain.createStatement()) {
      s.executeUpdate("insert into sales.orders values (3, 1.00)");
    }
    try (Gatehouse gh = open(Map.of(), Map.of());
        Connection c = gh.connector("sf").connection(); Statement s = c.createStatement()) {
      SQLException e = assertThrows(SQLException.class,
          () -> s.executeUpdate("insert into sales.orders values (4, 1.00)"));
      assertEquals(ErrorCode.ACCESS_DENIED, gh.connector("sf").translate(e).code());
    }
    assertTrue(fake.executed().stream().filter(r -> r.sql().contains("values (4")).allMatch(
        r -> r.secondaryRoles().equals("NONE") && r.role().equals("GATEHOUSE_READER_ROLE")));
    assertTrue(fake.executed().stream().anyMatch(r -> r.sql().equalsIgnoreCase("USE SECONDARY ROLES NONE")));
  }

  @Test
  void aRoleNotGrantedToTheUserIsAnAuthFailureNamingTheRole() {
    try (Gatehouse gh = open(Map.of("role", "accountadmin"), Map.of())) {
      ConnectionCheck c = gh.testConnection("sf");
      assertFalse(c.ok());
      assertEquals(ErrorCode.SOURCE_AUTH_FAILED, c.code());
      assertTrue(c.message().contains("role"), c.message());
    }
  }

  @Test
  void withoutAWarehouseQueriesFailNamingTheSetting() {
    Map<String, Object> noWarehouse = new HashMap<>();
    noWarehouse.put("warehouse", null);
    try (Gatehouse gh = open(noWarehouse, Map.of())) {
      GatehouseException e = assertThrows(GatehouseException.class,
          () -> count(gh.query("select id from sf.sales.orders")));
      assertEquals(ErrorCode.SOURCE_UNAVAILABLE, e.code());
      assertTrue(e.getMessage().contains("warehouse"), e.getMessage());
    }
  }

  @Test
  void anUnreachableServiceIsSourceUnavailable() {
    fake.setDown(true);
    try (Gatehouse gh = open(Map.of(), Map.of())) {
      ConnectionCheck c = gh.testConnection("sf");
      assertFalse(c.ok());
      assertEquals(ErrorCode.SOURCE_UNAVAILABLE, c.code(), c.message());
    } finally {
      fake.setDown(false);
    }
  }
}
