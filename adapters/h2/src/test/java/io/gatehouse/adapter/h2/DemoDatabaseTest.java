package io.gatehouse.adapter.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.QueryResult;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The built-in demo database, read through the engine as the demo serves it. */
class DemoDatabaseTest {
  private static DemoDatabase demo;
  private static Gatehouse engine;

  @BeforeAll
  static void start() {
    demo = DemoDatabase.start("demo_test");
    engine = Gatehouse.open(ConfigLoader.withDiscoveredAdapters().fromMap(
        Map.of("sources", List.of(demo.sourceConfig("demo")))));
  }

  @AfterAll
  static void stop() {
    engine.close();
    demo.close();
  }

  private static long count(String table) throws SQLException {
    try (Statement s = demo.adminConnection().createStatement();
        ResultSet rs = s.executeQuery("select count(*) from " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void theDatasetIsLoadedAndTheSameOnEveryStart() throws Exception {
    assertEquals(8, count("regions"));
    assertEquals(200, count("customers"));
    assertEquals(60, count("products"));
    assertEquals(1_000, count("orders"));
    assertTrue(count("order_items") > 2_000);
    try (DemoDatabase again = DemoDatabase.start("demo_test_again");
        Statement s = again.adminConnection().createStatement();
        ResultSet rs = s.executeQuery("select sum(quantity * unit_price) from order_items")) {
      rs.next();
      try (Statement t = demo.adminConnection().createStatement();
          ResultSet mine = t.executeQuery("select sum(quantity * unit_price) from order_items")) {
        mine.next();
        assertEquals(mine.getBigDecimal(1), rs.getBigDecimal(1), "fixed seed: same data");
      }
    }
  }

  @Test
  void theReaderCannotWrite() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:h2:mem:demo_test", DemoDatabase.READER,
        demo.readerPassword()); Statement s = c.createStatement()) {
      assertThrows(SQLException.class, () -> s.executeUpdate("delete from orders"));
      assertThrows(SQLException.class, () -> s.execute("create table x(i int)"));
    }
  }

  @Test
  void aJoinAndAggregateMatchDirectExecutionAndRunAsOneStatement() throws Exception {
    String tail = " from customers c join regions r on r.id = c.region_id join orders o"
        + " on o.customer_id = c.id where o.status <> 'cancelled' group by r.name order by r.name";
    List<List<Object>> expected = new ArrayList<>();
    try (Statement s = demo.adminConnection().createStatement();
        ResultSet rs = s.executeQuery("select r.name, count(*) as n" + tail)) {
      while (rs.next()) {
        expected.add(List.of(rs.getString(1), rs.getLong(2)));
      }
    }
    List<List<Object>> actual = new ArrayList<>();
    try (QueryResult r = engine.query("select r.name, count(*) as n from demo.public.customers c"
        + " join demo.public.regions r on r.id = c.region_id join demo.public.orders o"
        + " on o.customer_id = c.id where o.status <> 'cancelled' group by r.name order by r.name")) {
      while (r.next()) {
        actual.add(List.of(r.get(0), r.get(1)));
      }
      assertTrue(r.pushedDown(), "one statement to H2");
    }
    assertEquals(expected, actual);
  }

  @Test
  void theViewAndCommentsAreVisible() {
    Map<String, String> comments = new HashMap<>();
    engine.session().describeTables("demo").forEach(t -> comments.put(t.info().name(), t.info().comment()));
    assertEquals("Each order with the sum of its lines", comments.get("ORDER_TOTALS"));
    try (QueryResult r = engine.query("select sum(total) from demo.public.order_totals")) {
      assertTrue(r.next());
      assertTrue(((BigDecimal) r.get(0)).signum() > 0);
    }
  }

  @Test
  void aWrongPasswordIsSourceAuthFailed() {
    Map<String, Object> bad = new HashMap<>(demo.sourceConfig("demo"));
    bad.put("password", "not-the-password");
    bad.put("pool", Map.of("connectionTimeout", "1s"));
    try (Gatehouse g = Gatehouse.open(ConfigLoader.withDiscoveredAdapters().fromMap(
        Map.of("sources", List.of(bad))))) {
      GatehouseException e = assertThrows(GatehouseException.class,
          () -> g.query("select count(*) from demo.public.orders").next());
      assertEquals(ErrorCode.SOURCE_AUTH_FAILED, e.code(), e.getMessage());
      assertFalse(e.getMessage().contains("not-the-password"));
    }
  }
}
