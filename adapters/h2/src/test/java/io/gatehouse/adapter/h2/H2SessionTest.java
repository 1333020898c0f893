package io.gatehouse.adapter.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gatehouse.core.ConnectionCheck;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.QueryResult;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.spi.SourceConnector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The H2 session settings behind the contract's read-only and timeout tests, read back from H2, and
 * what the adapter does where H2 differs from the other sources.
 */
class H2SessionTest {
  private static final String ADMIN_PASSWORD = "admin-" + System.nanoTime();
  private static Path file;
  private static Gatehouse engine;

  @BeforeAll
  static void createFileAndEngine() throws Exception {
    file = Files.createTempDirectory("gatehouse-h2-session").resolve("shop");
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + file, "sa", ADMIN_PASSWORD);
        Statement s = c.createStatement()) {
      s.execute("create table cities(id int primary key, name varchar(20))");
      s.execute("insert into cities values (1, 'Oslo'), (2, null), (3, 'Kyoto')");
      s.execute("create table all_types(b boolean, ti tinyint, si smallint, i integer, bi bigint,"
          + " n numeric(12,3), n0 numeric, df decfloat, r real, d double precision, c character(4),"
          + " v varchar(10), vi varchar_ignorecase(10), cl clob, bin binary(2), vb varbinary(4),"
          + " bl blob, dt date, t time(3), ts timestamp(3), tz timestamp with time zone,"
          + " ttz time with time zone, u uuid, j json, e enum('a', 'b'), iv interval day to second,"
          + " a integer array, g geometry)");
      s.execute("insert into all_types values (true, 1, 2, 3, 4, 5.125, 6, 7.5, 8.5, 9.25, 'ab',"
          + " 'vc', 'VI', 'clob', X'0102', X'0304', X'05', DATE '2024-02-29', TIME '12:34:56.789',"
          + " TIMESTAMP '2024-02-29 12:34:56.789', TIMESTAMP WITH TIME ZONE '2024-02-29 12:34:56+02:00',"
          + " TIME WITH TIME ZONE '12:00:00+01:00', '123e4567-e89b-12d3-a456-426614174000',"
          + " JSON '{\"k\": 1}', 'b', INTERVAL '1 02:03:04' DAY TO SECOND, ARRAY[1, 2],"
          + " 'POINT (1 2)')");
    }
    engine = open(source(Map.of("pool", Map.of("maxSize", 1))), "7s");
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  private static Map<String, Object> source(Map<String, Object> extra) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", "shop");
    m.put("type", "h2");
    m.put("path", file.toString());
    m.put("password", ADMIN_PASSWORD);
    m.putAll(extra);
    return m;
  }

  private static Gatehouse open(Map<String, Object> source, String queryTimeout) {
    return Gatehouse.open(ConfigLoader.withDiscoveredAdapters().fromMap(Map.of(
        "engine", Map.of("queryTimeout", queryTimeout), "sources", List.of(source))));
  }

  private static String queryTimeout(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "select setting_value from information_schema.settings where setting_name = 'QUERY_TIMEOUT'")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static boolean readOnly(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select readonly()")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  @Test
  void poolSessionsAreReadOnlyAndCarryTheStatementTimeout() throws Exception {
    try (Connection c = engine.connector("shop").connection()) {
      assertFalse(c.getAutoCommit());
      assertTrue(readOnly(c), "the file is open read-only");
      assertEquals("7000", queryTimeout(c));
    }
  }

  @Test
  void aStatementTimeoutDoesNotOutliveItsBorrow() throws Exception {
    SourceConnector connector = engine.connector("shop");
    try (Connection c = connector.connection();
        PreparedStatement ps = c.prepareStatement("select 1")) {
      // H2 applies a statement's timeout to the whole session...
      connector.configureStatement(ps, Duration.ofSeconds(2), 100);
      assertEquals("2000", queryTimeout(c));
    }
    // ...so the next borrow of the same (only) session gets the source's timeout back.
    try (Connection c = connector.connection()) {
      assertEquals("7000", queryTimeout(c));
    }
  }

  @Test
  void anAdminWriteThroughThePoolIsRefusedByH2() throws Exception {
    try (Connection c = engine.connector("shop").connection(); Statement s = c.createStatement()) {
      SQLException e = assertThrows(SQLException.class, () -> s.execute("create table nope(x int)"));
      assertEquals(org.h2.api.ErrorCode.DATABASE_IS_READ_ONLY, e.getErrorCode());
      assertEquals(ErrorCode.QUERY_REJECTED, engine.connector("shop").translate(e).code());
    }
  }

  @Test
  void aFileAlreadyOpenForWritingInThisJvmIsRefused() throws Exception {
    Path other = Files.createTempDirectory("gatehouse-h2-open").resolve("busy");
    try (Connection writer = DriverManager.getConnection("jdbc:h2:file:" + other, "sa", "pw")) {
      Map<String, Object> source = new LinkedHashMap<>();
      source.put("id", "busy");
      source.put("type", "h2");
      source.put("path", other.toString());
      source.put("password", "pw");
      source.put("pool", Map.of("connectionTimeout", "1s"));
      try (Gatehouse g = open(source, "5s")) {
        ConnectionCheck c = g.testConnection("busy");
        assertEquals(ErrorCode.SOURCE_UNAVAILABLE, c.code(), c.message());
        assertTrue(c.message().contains("already open for writing in this JVM"), c.message());
      }
      assertFalse(readOnly(writer));
    }
  }

  @Test
  void everyH2TypeIsMappedAndReadable() {
    List<String> expectedTypes = List.of("BOOLEAN", "TINYINT", "SMALLINT", "INTEGER", "BIGINT",
        "DECIMAL", "DECIMAL", "DECIMAL", "REAL", "DOUBLE", "CHAR", "VARCHAR", "VARCHAR", "VARCHAR",
        "VARBINARY", "VARBINARY", "VARBINARY", "DATE", "TIME", "TIMESTAMP",
        "TIMESTAMP WITH TIME ZONE", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR",
        "VARCHAR");
    List<Object> values = new ArrayList<>();
    List<String> types = new ArrayList<>();
    try (QueryResult r = engine.query("select * from shop.public.all_types")) {
      r.columns().forEach(c -> types.add(c.typeName()));
      assertTrue(r.next());
      values.addAll(java.util.Arrays.asList(r.row()));
    }
    assertEquals(expectedTypes, types);
    assertEquals(true, values.get(0));
    assertEquals((byte) 1, values.get(1));
    assertEquals((short) 2, values.get(2));
    assertEquals(4L, values.get(4));
    assertEquals(new java.math.BigDecimal("5.125"), values.get(5));
    assertEquals(8.5f, values.get(8));
    assertEquals("ab  ", values.get(10), "CHAR(4) is blank-padded, as H2 stores it");
    assertEquals("clob", values.get(13));
    assertEquals("0102", java.util.HexFormat.of().formatHex((byte[]) values.get(14)));
    assertEquals(java.time.LocalTime.of(12, 34, 56, 789_000_000), values.get(18));
    assertEquals(java.time.LocalDateTime.of(2024, 2, 29, 12, 34, 56, 789_000_000), values.get(19));
    assertEquals(java.time.OffsetDateTime.parse("2024-02-29T10:34:56Z"), values.get(20),
        "an instant, in UTC");
    assertEquals("123e4567-e89b-12d3-a456-426614174000", values.get(22));
    assertEquals("{\"k\":1}", values.get(23));
    assertEquals("b", values.get(24));
    assertTrue(values.stream().noneMatch(v -> v == null), () -> "" + values);
    // a text parameter compared with a UUID column is converted by H2
    try (QueryResult r = engine.query("select count(*) from shop.public.all_types where u = ?",
        List.of("123e4567-e89b-12d3-a456-426614174000"), io.gatehouse.core.QueryOptions.defaults())) {
      assertTrue(r.next());
      assertEquals(1L, r.get(0));
    }
  }

  @Test
  void nullsSortAsOnEverySource() {
    // Gatehouse's order: nulls last ascending, first descending. H2's own default is the opposite;
    // the dialect declares it, so the SQL sent to H2 says NULLS LAST / NULLS FIRST.
    List<Object> asc = new ArrayList<>();
    try (QueryResult r = engine.query("select name from shop.public.cities order by name")) {
      while (r.next()) {
        asc.add(r.get(0));
      }
    }
    assertEquals(java.util.Arrays.asList("Kyoto", "Oslo", null), asc);
    List<Object> desc = new ArrayList<>();
    try (QueryResult r = engine.query("select name from shop.public.cities order by name desc")) {
      while (r.next()) {
        desc.add(r.get(0));
      }
    }
    assertEquals(java.util.Arrays.asList(null, "Oslo", "Kyoto"), desc);
  }

  @Test
  void aSchemaInTheWrongCaseIsReportedNotGuessed() {
    ListAppender<ILoggingEvent> log = capture();
    try (Gatehouse g = open(source(Map.of("id", "lower", "schemas", List.of("public"))), "5s")) {
      assertTrue(g.session().describeTables("lower").isEmpty());
      assertTrue(log.list.stream().anyMatch(e -> e.getLevel() == Level.WARN
          && e.getFormattedMessage().contains("H2 spells the schema 'PUBLIC'")), () -> "" + log.list);
    } finally {
      release(log);
    }
  }

  @Test
  void anAdminLoginToAnInMemoryDatabaseIsWarnedAbout() throws Exception {
    ListAppender<ILoggingEvent> log = capture();
    try (Connection owner = DriverManager.getConnection("jdbc:h2:mem:session_admin;DB_CLOSE_DELAY=-1",
        "owner", "owner-pw"); Statement s = owner.createStatement()) {
      s.execute("create table t(x int)");
      Map<String, Object> source = Map.of("id", "mem", "type", "h2", "memory", "session_admin",
          "user", "owner", "password", "owner-pw");
      try (Gatehouse g = open(source, "5s")) {
        assertTrue(g.testConnection("mem").ok());
        assertTrue(log.list.stream().anyMatch(e -> e.getLevel() == Level.WARN
            && e.getFormattedMessage().contains("is an admin")), () -> "" + log.list);
      }
      s.execute("shutdown");
    } finally {
      release(log);
    }
  }

  @Test
  void aMissingInMemoryDatabaseIsUnavailableAndNotCreated() throws Exception {
    Map<String, Object> source = Map.of("id", "mem", "type", "h2", "memory", "never_created",
        "pool", Map.of("connectionTimeout", "1s"));
    try (Gatehouse g = open(source, "5s")) {
      ConnectionCheck c = g.testConnection("mem");
      assertEquals(ErrorCode.SOURCE_UNAVAILABLE, c.code(), c.message());
      assertTrue(c.message().contains("in-memory H2 database 'never_created' does not exist"), c.message());
    }
  }

  private static ListAppender<ILoggingEvent> capture() {
    ListAppender<ILoggingEvent> a = new ListAppender<>();
    a.start();
    ((Logger) LoggerFactory.getLogger(H2Connector.class)).addAppender(a);
    return a;
  }

  private static void release(ListAppender<ILoggingEvent> a) {
    ((Logger) LoggerFactory.getLogger(H2Connector.class)).detachAppender(a);
  }
}
