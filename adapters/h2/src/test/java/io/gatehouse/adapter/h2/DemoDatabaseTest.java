package io.gatehouse.adapter.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.ConnectionCheck;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.QueryResult;
import io.gatehouse.core.TableDescription;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import io.gatehouse.core.exec.SourceStatement;
import io.gatehouse.core.spi.TableInfo;
import io.gatehouse.core.testing.Values;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The built-in demo database: its data, its read-only login, and the engine over it. */
class DemoDatabaseTest {
  private static DemoDatabase demo;
  private static Duration loadTime;
  private static Gatehouse engine;
  private static final List<SourceStatement> SENT = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    long t = System.nanoTime();
    demo = DemoDatabase.start("demo_test");
    loadTime = Duration.ofNanos(System.nanoTime() - t);
    engine = open(demo.sourceConfig("demo"));
    engine.addStatementListener(SENT::add);
  }

  @AfterAll
  static void stop() {
    engine.close();
    demo.close();
  }

  private static Gatehouse open(Map<String, Object> source) {
    return Gatehouse.open(ConfigLoader.withDiscoveredAdapters().fromMap(Map.of("sources", List.of(source))));
  }

  private static Connection reader() throws SQLException {
    return DriverManager.getConnection(demo.url(), demo.readerUser(), demo.readerPassword());
  }

  private static List<List<Object>> direct(String sql) throws SQLException {
    List<List<Object>> out = new ArrayList<>();
    try (Connection c = reader(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(Values.normalize(Values.read(rs, i)));
        }
        out.add(row);
      }
    }
    return out;
  }

  private static List<List<Object>> rows(QueryResult r) {
    List<List<Object>> out = new ArrayList<>();
    try (r) {
      while (r.next()) {
        List<Object> row = new ArrayList<>();
        for (Object v : r.row()) {
          row.add(Values.normalize(v));
        }
        out.add(row);
      }
    }
    return out;
  }

  @Test
  void loadsQuickly() {
    // Typically a few hundred milliseconds; the bound only catches a loader gone badly wrong.
    assertTrue(loadTime.toMillis() < 10_000, () -> "loading took " + loadTime.toMillis() + " ms");
  }

  @Test
  void tablesHaveTheirRowCounts() throws Exception {
    Map<String, Long> expected = new LinkedHashMap<>();
    expected.put("regions", 6L);
    expected.put("categories", 8L);
    expected.put("products", 60L);
    expected.put("customers", 200L);
    expected.put("orders", 1000L);
    expected.put("order_items", 3040L);
    expected.put("order_totals", 1000L);
    for (Map.Entry<String, Long> e : expected.entrySet()) {
      assertEquals(List.of(List.of(e.getValue())), direct("select count(*) from \"" + e.getKey() + "\""),
          e.getKey());
    }
  }

  @Test
  void dataIsTheSameInEveryRun() throws Exception {
    // Generated from a fixed seed: these values hold on every machine.
    assertEquals(List.of(List.of(new BigDecimal("233468.65"), 4810L)),
        direct("select sum(\"quantity\" * \"unit_price\"), sum(\"quantity\") from \"order_items\""));
    assertEquals(List.of(List.of("Mateo Schmidt", "mateo.schmidt.1@example.com", "United States")),
        direct("select \"name\", \"email\", \"country\" from \"customers\" where \"id\" = 1"));
    assertEquals(List.of(List.of("cancelled", 56L), List.of("delivered", 694L), List.of("paid", 69L),
            List.of("pending", 31L), List.of("returned", 57L), List.of("shipped", 93L)),
        direct("select \"status\", count(*) from \"orders\" group by \"status\" order by \"status\""));
  }

  @Test
  void keysAndCommentsAreDeclared() throws Exception {
    assertEquals(List.of(List.of(6L, 5L)), direct("select"
        + " sum(case when constraint_type = 'PRIMARY KEY' then 1 else 0 end),"
        + " sum(case when constraint_type = 'FOREIGN KEY' then 1 else 0 end)"
        + " from information_schema.table_constraints where table_schema = 'PUBLIC'"));
    assertEquals(List.of(List.of(0L)), direct("select count(*) from information_schema.tables"
        + " where table_schema = 'PUBLIC' and (remarks is null or remarks = '')"));
    assertEquals(List.of(List.of(0L)), direct("select count(*) from information_schema.columns c"
        + " join information_schema.tables t on t.table_schema = c.table_schema"
        + " and t.table_name = c.table_name"
        + " where c.table_schema = 'PUBLIC' and t.table_type = 'BASE TABLE'"
        + " and (c.remarks is null or c.remarks = '')"));
  }

  @Test
  void theReaderCannotWrite() throws Exception {
    try (Connection c = reader(); Statement s = c.createStatement()) {
      for (String sql : List.of("insert into \"regions\" values (99, 'Moon')",
          "update \"products\" set \"unit_price\" = 0.01",
          "delete from \"order_items\"",
          "create table \"mine\" (x int)",
          "drop table \"order_items\"",
          "create alias \"boom\" as 'String boom() { return \"x\"; }'")) {
        SQLException e = assertThrows(SQLException.class, () -> s.execute(sql), sql);
        assertTrue(e.getErrorCode() == org.h2.api.ErrorCode.NOT_ENOUGH_RIGHTS_FOR_1
            || e.getErrorCode() == org.h2.api.ErrorCode.ADMIN_RIGHTS_REQUIRED,
            () -> sql + ": " + e.getErrorCode());
      }
    }
    assertEquals(List.of(List.of(6L)), direct("select count(*) from \"regions\""));
  }

  @Test
  void sourceConfigNamesTheMemoryDatabaseAndTheReader() {
    Map<String, Object> m = demo.sourceConfig("shop");
    assertEquals("shop", m.get("id"));
    assertEquals("h2", m.get("type"));
    assertEquals("demo_test", m.get("memory"));
    assertEquals("gatehouse_demo_reader", m.get("user"));
    assertEquals(demo.readerPassword(), m.get("password"));
    assertEquals(List.of("PUBLIC"), m.get("schemas"));
  }

  @Test
  void engineAnswersAJoinWithAggregatesAsOneStatementEqualToH2() throws Exception {
    String engineSql = "select r.name as region, count(distinct o.id) as orders,"
        + " sum(i.quantity * i.unit_price) as revenue"
        + " from demo.public.regions r"
        + " join demo.public.customers c on c.region_id = r.id"
        + " join demo.public.orders o on o.customer_id = c.id"
        + " join demo.public.order_items i on i.order_id = o.id"
        + " where o.status not in ('cancelled', 'returned')"
        + " group by r.name order by revenue desc, region";
    String directSql = "select r.\"name\" as region, count(distinct o.\"id\") as orders,"
        + " sum(i.\"quantity\" * i.\"unit_price\") as revenue"
        + " from \"regions\" r"
        + " join \"customers\" c on c.\"region_id\" = r.\"id\""
        + " join \"orders\" o on o.\"customer_id\" = c.\"id\""
        + " join \"order_items\" i on i.\"order_id\" = o.\"id\""
        + " where o.\"status\" not in ('cancelled', 'returned')"
        + " group by r.\"name\" order by revenue desc, region";
    List<List<Object>> expected = direct(directSql);
    assertEquals(6, expected.size());
    SENT.clear();
    QueryResult r = engine.query(engineSql);
    assertTrue(r.pushedDown(), "the whole query runs in H2");
    assertEquals(expected, rows(r));
    assertEquals(1, SENT.size(), () -> "statements: " + SENT);
    String sql = SENT.get(0).sql();
    assertTrue(sql.contains("JOIN") && sql.contains("GROUP BY") && sql.contains("SUM("), sql);
  }

  @Test
  void catalogShowsTablesViewCommentsAndEstimates() {
    Map<String, TableDescription> tables = new LinkedHashMap<>();
    engine.session().describeTables("demo").forEach(d -> tables.put(d.info().name(), d));
    assertEquals(List.of("categories", "customers", "order_items", "order_totals", "orders",
        "products", "regions"), List.copyOf(tables.keySet()));
    TableDescription view = tables.get("order_totals");
    assertEquals(TableInfo.Kind.VIEW, view.info().kind());
    assertEquals(List.of("order_id", "customer_id", "ordered_at", "status", "items", "units",
        "subtotal", "total"), view.columns().stream().map(c -> c.name()).toList());
    TableInfo customers = tables.get("customers").info();
    assertEquals("Registered customers", customers.comment());
    assertEquals(200d, customers.rowEstimate());
    assertEquals("Member of the loyalty programme", customers.columns().get(6).comment());
    assertEquals("FALSE", customers.columns().get(6).defaultValue());
    assertEquals("TIMESTAMP WITH TIME ZONE", tables.get("customers").columns().get(5).typeName());
    List<List<Object>> top = rows(engine.query(
        "select order_id, total from demo.public.order_totals order by total desc limit 1"));
    assertEquals(List.of(List.of(901L, new BigDecimal("1581.7"))), top);
  }

  @Test
  void wrongReaderPasswordIsSourceAuthFailed() {
    Map<String, Object> bad = demo.sourceConfig("demo");
    bad.put("password", "not-" + demo.readerPassword());
    bad.put("pool", Map.of("connectionTimeout", "1s"));
    try (Gatehouse g = open(bad)) {
      ConnectionCheck c = g.testConnection("demo");
      assertFalse(c.ok());
      assertEquals(ErrorCode.SOURCE_AUTH_FAILED, c.code(), c.message());
      assertFalse(c.message().contains(demo.readerPassword()));
    }
  }

  @Test
  void startingTwiceGivesTheSameDatabase() {
    assertSame(demo, DemoDatabase.start("demo_test"));
  }

  @Test
  void closeDropsTheDatabaseAndAnotherStartLoadsItAgain() throws Exception {
    DemoDatabase other = DemoDatabase.start("demo_close_test");
    String firstPassword = other.readerPassword();
    other.close();
    Map<String, Object> source = other.sourceConfig("gone");
    source.put("pool", Map.of("connectionTimeout", "1s"));
    try (Gatehouse g = open(source)) {
      ConnectionCheck c = g.testConnection("gone");
      assertEquals(ErrorCode.SOURCE_UNAVAILABLE, c.code(), c.message());
      assertTrue(c.message().contains("does not exist in this JVM"), c.message());
    }
    DemoDatabase again = DemoDatabase.start("demo_close_test");
    try {
      assertNotEquals(firstPassword, again.readerPassword());
      try (Connection c = DriverManager.getConnection(again.url(), again.readerUser(),
          again.readerPassword()); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select count(*) from \"order_items\"")) {
        rs.next();
        assertEquals(3040, rs.getInt(1));
      }
    } finally {
      again.close();
    }
  }

  @Test
  void badNamesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> DemoDatabase.start("demo;INIT=RUNSCRIPT FROM 'x'"));
    assertThrows(IllegalArgumentException.class, () -> DemoDatabase.start(""));
    assertThrows(IllegalArgumentException.class, () -> DemoDatabase.start(null));
  }

  @Test
  void aForeignDatabaseOfTheSameNameIsNotTakenOver() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:h2:mem:someone_elses;DB_CLOSE_DELAY=-1",
        "owner", "owner-pw"); Statement s = c.createStatement()) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> DemoDatabase.start("someone_elses"));
      assertTrue(e.getMessage().contains("already exists"), e.getMessage());
      s.execute("SHUTDOWN");
    }
  }

  @Test
  void engineErrorsNameTheSourceNotH2() {
    GatehouseException e = assertThrows(GatehouseException.class,
        () -> rows(engine.query("select 1 / (id - id) from demo.public.regions")));
    assertEquals(ErrorCode.DATA_ERROR, e.code(), e.getMessage());
  }
}
