package io.gatehouse.sqltests;

import static io.gatehouse.sqltests.TwoSources.MARIADB;
import static io.gatehouse.sqltests.TwoSources.PG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.jdbc.GatehouseDriver;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-process JDBC driver used the way a JDBC program (or a BI tool) uses it, against the shared
 * real fixtures: {@code shop} (PostgreSQL) and {@code crm} (MariaDB), configured by a YAML file in a
 * temporary directory with a small row cap. Values read through the driver are compared with direct
 * JDBC reads of the same rows at the source.
 */
class JdbcDriverTest {
  /** The row cap of the configuration; events has 200,000 rows. */
  static final int MAX_ROWS = 500;
  /** A view with comments, created for the metadata tests and dropped afterwards. */
  static final String VIEW = "jdbc_driver_vip_customers";

  @TempDir
  static Path dir;
  static Path config;
  static String url;

  @BeforeAll
  static void writeConfig() throws Exception {
    try (Connection admin = PG.adminConnection(); Statement s = admin.createStatement()) {
      s.execute("create or replace view public." + VIEW
          + " as select id, name, credit_limit from public.customers where vip");
      s.execute("comment on view public." + VIEW + " is 'VIP customers, for the JDBC driver test'");
      s.execute("comment on column public." + VIEW + ".credit_limit is 'in EUR'");
      s.execute("grant select on public." + VIEW + " to " + PG.readerUser());
    }
    config = dir.resolve("gatehouse.yaml");
    Files.writeString(config, yaml(MAX_ROWS));
    url = "jdbc:gatehouse:config=" + config + ";schema=shop.public";
  }

  @AfterAll
  static void dropView() throws Exception {
    try (Connection admin = PG.adminConnection(); Statement s = admin.createStatement()) {
      s.execute("drop view if exists public." + VIEW);
    }
  }

  static String yaml(int maxRows) {
    return "engine:\n"
        + "  maxRows: " + maxRows + "\n"
        + "  queryTimeout: 60s\n"
        + "sources:\n"
        + "  - id: shop\n"
        + "    type: postgresql\n"
        + "    host: " + PG.host() + "\n"
        + "    port: " + PG.port() + "\n"
        + "    database: " + PG.database() + "\n"
        + "    user: " + PG.readerUser() + "\n"
        + "    password: ${file:" + secretFile(PG.readerPassword()) + "}\n"
        + "    tls: disable\n"
        + "    schemas: [public, sales]\n"
        + "    pool: { maxSize: 4 }\n"
        + "  - id: crm\n"
        + "    type: mariadb\n"
        + "    host: " + MARIADB.host() + "\n"
        + "    port: " + MARIADB.port() + "\n"
        + "    user: " + MARIADB.readerUser() + "\n"
        + "    password: ${file:" + secretFile(MARIADB.readerPassword()) + "}\n"
        + "    tls: disable\n"
        + "    schemas: [crm, crm_archive]\n"
        + "    pool: { maxSize: 4 }\n";
  }

  /** A private temporary file holding a password, for a ${file:...} reference. */
  static java.nio.file.Path secretFile(String password) {
    try {
      java.nio.file.Path f = java.nio.file.Files.createTempFile("gatehouse-pw", ".txt");
      f.toFile().deleteOnExit();
      return java.nio.file.Files.writeString(f, password);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static Connection connect() throws SQLException {
    return DriverManager.getConnection(url);
  }

  // ---------------------------------------------------------------------------------------------
  // connecting

  @Test
  void connectsThroughTheUrl() throws Exception {
    Driver driver = DriverManager.getDriver(url);
    assertTrue(driver instanceof GatehouseDriver, driver::toString);
    assertTrue(driver.acceptsURL(url));
    try (Connection c = connect()) {
      assertEquals("shop.public", c.getSchema());
      assertTrue(c.isValid(5));
      DatabaseMetaData md = c.getMetaData();
      assertEquals("Gatehouse", md.getDatabaseProductName());
      assertEquals("Gatehouse JDBC Driver", md.getDriverName());
      assertEquals(100, singleLong(c, "select count(*) from customers"));
    }
  }

  @Test
  void connectsWithConfigAndSchemaInProperties() throws Exception {
    Properties p = new Properties();
    p.setProperty("config", config.toString());
    p.setProperty("schema", "crm.crm");
    try (Connection c = DriverManager.getConnection(GatehouseDriver.PREFIX, p)) {
      assertEquals("crm.crm", c.getSchema());
      assertEquals(85, singleLong(c, "select count(*) from accounts"));
    }
    // user and password in Properties (as tools pass them) do not disturb anything
    p.setProperty("user", "someone");
    p.setProperty("password", "ignored");
    p.remove("schema");
    try (Connection c = DriverManager.getConnection(GatehouseDriver.PREFIX, p)) {
      assertNull(c.getSchema());
      assertEquals(20, singleLong(c, "select count(*) from shop.sales.regions"));
    }
  }

  @Test
  void missingConfigPropertyIsACleanConfigError() {
    SQLException e = assertThrows(SQLException.class,
        () -> DriverManager.getConnection("jdbc:gatehouse:schema=shop.public"));
    assertError(e, "F0000", 1001, "config=");
  }

  @Test
  void missingConfigFileIsACleanConfigError() {
    Path missing = dir.resolve("no-such-file.yaml");
    SQLException e = assertThrows(SQLException.class,
        () -> DriverManager.getConnection("jdbc:gatehouse:config=" + missing));
    assertError(e, "F0000", 1001, "file not found");
    assertTrue(e.getMessage().contains("no-such-file.yaml"), e::getMessage);
  }

  @Test
  void invalidConfigIsACleanConfigErrorListingTheProblems() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "engine:\n  maxRows: -5\n  colour: blue\nsources:\n"
        + "  - id: shop\n    type: postgresql\n    host: localhost\n    port: 99999\n"
        + "    database: shop\n    user: x\n    tls: disable\n    schemas: [public]\n");
    SQLException e = assertThrows(SQLException.class,
        () -> DriverManager.getConnection("jdbc:gatehouse:config=" + bad));
    assertError(e, "F0000", 1001, "maxRows");
    assertTrue(e.getMessage().contains("colour"), e::getMessage);
    assertTrue(e.getMessage().contains("port"), e::getMessage);

    Path garbage = dir.resolve("garbage.yaml");
    Files.writeString(garbage, "engine: [unclosed\n  : {\n");
    SQLException g = assertThrows(SQLException.class,
        () -> DriverManager.getConnection("jdbc:gatehouse:config=" + garbage));
    assertError(g, "F0000", 1001, "garbage.yaml");
  }

  @Test
  void unknownSchemaIsACleanValidationError() {
    SQLException e = assertThrows(SQLException.class,
        () -> DriverManager.getConnection("jdbc:gatehouse:config=" + config + ";schema=shop.nope"));
    assertError(e, "42000", 1004, "nope");
    assertTrue(e.getMessage().contains("public, sales"), e::getMessage);

    SQLException s = assertThrows(SQLException.class,
        () -> DriverManager.getConnection("jdbc:gatehouse:config=" + config + ";schema=ledger"));
    assertError(s, "42000", 1004, "ledger");
    assertTrue(s.getMessage().contains("crm, shop"), s::getMessage);

    // internal exists in PostgreSQL but is not exposed
    SQLException i = assertThrows(SQLException.class,
        () -> DriverManager.getConnection("jdbc:gatehouse:config=" + config + ";schema=shop.internal"));
    assertError(i, "42000", 1004, "internal");
  }

  @Test
  void otherUrlsAreNotOurs() throws Exception {
    GatehouseDriver driver = new GatehouseDriver();
    assertNull(driver.connect("jdbc:other:config=" + config, new Properties()));
    assertNull(driver.connect("jdbc:postgresql://localhost/shop", new Properties()));
    assertFalse(driver.acceptsURL("jdbc:other:"));
    SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection("jdbc:other:x"));
    assertEquals("08001", e.getSQLState(), e::getMessage);
  }

  // ---------------------------------------------------------------------------------------------
  // statements and schemas

  @Test
  void unqualifiedNamesResolveInTheDefaultSchema() throws Exception {
    List<List<Object>> expected = direct(PG.readerConnection(),
        "select id, name, country from public.customers where id between 5 and 9 order by id");
    try (Connection c = connect(); Statement s = c.createStatement()) {
      assertEquals(expected, rows(s.executeQuery(
          "select id, name, country from customers where id between 5 and 9 order by id")));
      // schema-qualified within the source, and fully qualified
      assertEquals(20, singleLong(c, "select count(*) from shop.sales.regions"));
      assertEquals(85, singleLong(c, "select count(*) from crm.crm.accounts"));
    }
  }

  @Test
  void setSchemaChangesWhereUnqualifiedNamesResolve() throws Exception {
    List<List<Object>> expected = direct(MARIADB.readerConnection(),
        "select id, name, tier from crm.accounts where id <= 5 order by id");
    try (Connection c = connect()) {
      c.setSchema("crm.crm");
      assertEquals("crm.crm", c.getSchema());
      try (Statement s = c.createStatement()) {
        assertEquals(expected, rows(s.executeQuery(
            "select id, name, tier from accounts where id <= 5 order by id")));
      }
      c.setSchema("CRM.CRM_ARCHIVE");
      assertEquals("crm.crm_archive", c.getSchema(), "names are matched case-insensitively");
      assertEquals(20, singleLong(c, "select count(*) from closed_accounts"));

      SQLException e = assertThrows(SQLException.class, () -> c.setSchema("crm.crm_internal"));
      assertError(e, "42000", 1004, "crm_internal");
      assertEquals("crm.crm_archive", c.getSchema(), "a failed setSchema keeps the schema");

      c.setSchema("shop");
      assertEquals("shop", c.getSchema());
      assertEquals(160, singleLong(c, "select count(*) from sales.targets"));
    }
  }

  @Test
  void preparedStatementsBindManyTypesAndRunAgain() throws Exception {
    try (Connection c = connect()) {
      try (PreparedStatement ps = c.prepareStatement(
          "select id, name, credit_limit, birth_date, vip from customers where id = ?")) {
        for (int id : new int[] {7, 8, 42}) {
          ps.setInt(1, id);
          assertEquals(direct(PG.readerConnection(), "select id, name, credit_limit, birth_date, vip"
              + " from public.customers where id = " + id), rows(ps.executeQuery()));
        }
      }
      try (PreparedStatement ps = c.prepareStatement("select id, total from orders where id = ?")) {
        ps.setLong(1, 1005L);
        assertEquals(direct(PG.readerConnection(), "select id, total from public.orders where id = 1005"),
            rows(ps.executeQuery()));
        ps.setLong(1, 999L);
        assertEquals(List.of(), rows(ps.executeQuery()));
      }
      try (PreparedStatement ps = c.prepareStatement(
          "select id from customers where country = ? order by id")) {
        for (String country : new String[] {"DE", "JP", "XX"}) {
          ps.setString(1, country);
          assertEquals(direct(PG.readerConnection(),
              "select id from public.customers where country = '" + country + "' order by id"),
              rows(ps.executeQuery()), country);
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "select id, credit_limit from customers where credit_limit > ? order by id")) {
        ps.setBigDecimal(1, new BigDecimal("70000.50"));
        List<List<Object>> rows = rows(ps.executeQuery());
        assertFalse(rows.isEmpty());
        assertEquals(direct(PG.readerConnection(), "select id, credit_limit from public.customers"
            + " where credit_limit > 70000.50 order by id"), rows);
      }
      try (PreparedStatement ps = c.prepareStatement(
          "select id from customers where birth_date < ? order by id")) {
        ps.setObject(1, LocalDate.of(1970, 1, 1));
        List<List<Object>> before1970 = rows(ps.executeQuery());
        assertEquals(direct(PG.readerConnection(),
            "select id from public.customers where birth_date < date '1970-01-01' order by id"), before1970);
        ps.setDate(1, java.sql.Date.valueOf("1990-06-15"));
        assertEquals(direct(PG.readerConnection(),
            "select id from public.customers where birth_date < date '1990-06-15' order by id"),
            rows(ps.executeQuery()));
      }
      try (PreparedStatement ps = c.prepareStatement(
          "select count(*) from orders where ordered_at >= ?")) {
        ps.setTimestamp(1, Timestamp.valueOf("2024-06-01 10:30:00"));
        assertEquals(directLong("select count(*) from public.orders where ordered_at >= timestamp '2024-06-01 10:30:00'"),
            singleLong(ps));
        ps.setObject(1, LocalDateTime.of(2024, 3, 1, 0, 0));
        assertEquals(directLong("select count(*) from public.orders where ordered_at >= timestamp '2024-03-01 00:00:00'"),
            singleLong(ps));
      }
      try (PreparedStatement ps = c.prepareStatement(
          "select count(*) from events where created_at < ?")) {
        ps.setObject(1, OffsetDateTime.of(2024, 1, 2, 3, 0, 0, 0, ZoneOffset.ofHours(2)));
        assertEquals(directLong("select count(*) from public.events where created_at < timestamptz '2024-01-02 01:00:00+00'"),
            singleLong(ps));
      }
      try (PreparedStatement ps = c.prepareStatement("select count(*) from customers where vip = ?")) {
        ps.setBoolean(1, true);
        assertEquals(10, singleLong(ps));
        ps.setBoolean(1, false);
        assertEquals(90, singleLong(ps));
      }
      // MariaDB: unsigned, enum and datetime parameters
      try (PreparedStatement ps = c.prepareStatement("select id, name from crm.crm.accounts"
          + " where id > ? and tier = ? and created_at < ? order by id")) {
        ps.setLong(1, 10);
        ps.setString(2, "gold");
        ps.setObject(3, LocalDateTime.of(2020, 1, 1, 0, 0));
        assertEquals(direct(MARIADB.readerConnection(), "select id, name from crm.accounts where id > 10"
            + " and tier = 'gold' and created_at < '2020-01-01 00:00:00' order by id"), rows(ps.executeQuery()));
      }
    }
  }

  @Test
  void parameterMetaDataDescribesEachParameter() throws Exception {
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
        "select id from customers where id = ? and country = ? and credit_limit > ? and birth_date < ?"
            + " and vip = ? and created_at > ? and lifetime_value < ?")) {
      ParameterMetaData pm = ps.getParameterMetaData();
      assertEquals(7, pm.getParameterCount());
      assertEquals(Types.INTEGER, pm.getParameterType(1));
      assertEquals(Types.CHAR, pm.getParameterType(2));
      assertEquals(Types.DECIMAL, pm.getParameterType(3));
      assertEquals(12, pm.getPrecision(3));
      assertEquals(2, pm.getScale(3));
      assertEquals(Types.DATE, pm.getParameterType(4));
      assertEquals(Types.BOOLEAN, pm.getParameterType(5));
      assertEquals(Types.TIMESTAMP, pm.getParameterType(6));
      assertEquals(Types.DOUBLE, pm.getParameterType(7));
      assertEquals("java.lang.Integer", pm.getParameterClassName(1));
      assertEquals(ParameterMetaData.parameterModeIn, pm.getParameterMode(1));
    }
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("select id from events limit ?")) {
      assertEquals(1, ps.getParameterMetaData().getParameterCount());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // row cap

  @Test
  void limitParameterAboveTheCapReturnsTheCapWithAWarning() throws Exception {
    try (Connection c = connect();
        PreparedStatement ps = c.prepareStatement("select id from events order by id limit ?")) {
      ps.setInt(1, 1000);
      try (ResultSet rs = ps.executeQuery()) {
        assertEquals(MAX_ROWS, count(rs));
        assertRowLimitWarning(rs.getWarnings());
      }
      ps.setInt(1, 10);
      try (ResultSet rs = ps.executeQuery()) {
        assertEquals(10, count(rs));
        assertNull(rs.getWarnings(), "ten rows are not truncated");
      }
      ps.setLong(1, MAX_ROWS);
      try (ResultSet rs = ps.executeQuery()) {
        assertEquals(MAX_ROWS, count(rs));
        assertNull(rs.getWarnings(), "exactly the cap asked for is not truncated");
      }
    }
  }

  @Test
  void queryOverABigTableIsCutAtTheCapWithAWarning() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("select id, kind from events")) {
        assertEquals(MAX_ROWS, count(rs));
        assertRowLimitWarning(rs.getWarnings());
      }
      try (ResultSet rs = s.executeQuery("select id from customers")) {
        assertEquals(100, count(rs));
        assertNull(rs.getWarnings());
      }
      // the same through a cross-source join done in the engine
      try (ResultSet rs = s.executeQuery("select e.id, a.name from events e"
          + " join crm.crm.accounts a on a.customer_id = e.customer_id")) {
        assertEquals(MAX_ROWS, count(rs));
        assertRowLimitWarning(rs.getWarnings());
      }
    }
  }

  @Test
  void setMaxRowsLowersTheCap() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.setMaxRows(7);
      try (ResultSet rs = s.executeQuery("select id from events order by id")) {
        List<List<Object>> rows = rows(rs);
        assertEquals(7, rows.size());
        assertEquals(List.of(1L), rows.get(0));
        assertEquals(List.of(7L), rows.get(6));
      }
      s.setMaxRows(100_000);
      try (ResultSet rs = s.executeQuery("select id from events")) {
        assertEquals(MAX_ROWS, count(rs), "maxRows cannot raise the configured cap");
      }
      s.setMaxRows(0);
      try (ResultSet rs = s.executeQuery("select id from events")) {
        assertEquals(MAX_ROWS, count(rs));
      }
    }
    try (Connection c = connect();
        PreparedStatement ps = c.prepareStatement("select id from events where id <= ?")) {
      ps.setMaxRows(3);
      ps.setInt(1, 50);
      try (ResultSet rs = ps.executeQuery()) {
        assertEquals(3, count(rs));
      }
      ps.setMaxRows(0);
      try (ResultSet rs = ps.executeQuery()) {
        assertEquals(50, count(rs));
        assertNull(rs.getWarnings());
      }
      ps.setMaxRows(10_000);
      ps.setInt(1, 100_000);
      try (ResultSet rs = ps.executeQuery()) {
        assertEquals(MAX_ROWS, count(rs), "maxRows cannot raise the configured cap");
        assertRowLimitWarning(rs.getWarnings());
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // result metadata and values

  @Test
  void resultSetMetaDataDescribesTheColumns() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "select id as ident, c_bigint, c_numeric, c_numeric_wide, c_varchar, c_date, c_timestamp,"
            + " c_boolean, c_smallint, c_double, c_real, c_text, c_timestamptz, c_bytea"
            + " from type_samples where id = 4")) {
      ResultSetMetaData md = rs.getMetaData();
      assertEquals(14, md.getColumnCount());
      assertEquals("IDENT", md.getColumnLabel(1).toUpperCase(Locale.ROOT));
      assertEquals("ident", md.getColumnLabel(1));
      assertEquals(Types.INTEGER, md.getColumnType(1));
      assertEquals(ResultSetMetaData.columnNoNulls, md.isNullable(1));
      assertTrue(md.isSigned(1));
      assertEquals("c_bigint", md.getColumnLabel(2));
      assertEquals(Types.BIGINT, md.getColumnType(2));
      assertEquals(ResultSetMetaData.columnNullable, md.isNullable(2));
      assertEquals(Types.DECIMAL, md.getColumnType(3));
      assertEquals(12, md.getPrecision(3));
      assertEquals(2, md.getScale(3));
      assertEquals(Types.DECIMAL, md.getColumnType(4));
      assertEquals(20, md.getPrecision(4));
      assertEquals(6, md.getScale(4));
      assertEquals(Types.VARCHAR, md.getColumnType(5));
      assertEquals(50, md.getPrecision(5));
      assertEquals(Types.DATE, md.getColumnType(6));
      assertEquals(Types.TIMESTAMP, md.getColumnType(7));
      assertEquals(Types.BOOLEAN, md.getColumnType(8));
      assertEquals(Types.SMALLINT, md.getColumnType(9));
      assertEquals(Types.DOUBLE, md.getColumnType(10));
      assertEquals(Types.REAL, md.getColumnType(11));
      assertEquals(Types.VARCHAR, md.getColumnType(12));
      assertEquals(Types.TIMESTAMP, md.getColumnType(13));
      assertEquals(Types.VARBINARY, md.getColumnType(14));
      for (int i = 2; i <= 14; i++) {
        assertEquals(ResultSetMetaData.columnNullable, md.isNullable(i), md.getColumnLabel(i));
        assertFalse(md.getColumnTypeName(i).contains("NOT NULL"), md.getColumnTypeName(i));
      }
      assertEquals("java.math.BigDecimal", md.getColumnClassName(3));
      assertEquals("java.sql.Timestamp", md.getColumnClassName(7));
      assertTrue(rs.next());
      assertEquals(4, rs.getInt("ident"));
    }
  }

  @Test
  void postgresValuesEqualDirectReads() throws Exception {
    String columns = "id, c_smallint, c_integer, c_bigint, c_numeric, c_numeric_wide, c_real, c_double,"
        + " c_text, c_varchar, c_char, c_boolean, c_date, c_time, c_timestamp, c_timestamptz, c_bytea,"
        + " c_json, c_jsonb, c_uuid";
    List<Map<String, Object>> expected = new ArrayList<>();
    try (Connection d = PG.readerConnection(); Statement s = d.createStatement();
        ResultSet rs = s.executeQuery("select " + columns + " from public.type_samples order by id")) {
      while (rs.next()) {
        expected.add(sampleRow(rs, true, true));
      }
    }
    assertEquals(20, expected.size());
    for (String tz : new String[] {null, "Europe/Berlin", "Asia/Tokyo"}) {
      try (Connection c = DriverManager.getConnection(url + (tz == null ? "" : ";timeZone=" + tz));
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select " + columns + " from type_samples order by id")) {
        List<Map<String, Object>> actual = new ArrayList<>();
        while (rs.next()) {
          actual.add(sampleRow(rs, false, tz == null));
        }
        assertSampleRows(expected, actual, "time zone " + tz);
      }
    }
  }

  /** The values of a PostgreSQL type_samples row, each read with the getter a program would use. */
  private static Map<String, Object> sampleRow(ResultSet rs, boolean direct, boolean javaSqlDates)
      throws SQLException {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("id", rs.getInt("id"));
    r.put("c_smallint", nullable(rs, rs.getShort("c_smallint")));
    r.put("c_integer", nullable(rs, rs.getInt("c_integer")));
    r.put("c_integer as Long", rs.getObject("c_integer") == null ? null : rs.getLong("c_integer"));
    r.put("c_bigint", nullable(rs, rs.getLong("c_bigint")));
    r.put("c_bigint as Long", rs.getObject("c_bigint", Long.class));
    r.put("c_numeric", rs.getBigDecimal("c_numeric"));
    r.put("c_numeric as BigDecimal", rs.getObject("c_numeric", BigDecimal.class));
    r.put("c_numeric_wide", rs.getBigDecimal("c_numeric_wide"));
    r.put("c_numeric_wide string", rs.getString("c_numeric_wide"));
    r.put("c_real", nullable(rs, rs.getFloat("c_real")));
    r.put("c_double", nullable(rs, rs.getDouble("c_double")));
    r.put("c_text", rs.getString("c_text"));
    r.put("c_varchar", rs.getString("c_varchar"));
    r.put("c_char", rs.getString("c_char"));
    r.put("c_boolean", nullable(rs, rs.getBoolean("c_boolean")));
    r.put("c_date", rs.getObject("c_date", LocalDate.class));
    if (javaSqlDates) {
      // java.sql.Date is midnight in the connection's time zone (Avatica's timeZone), so its text
      // is the date only when that zone is the JVM's
      r.put("c_date getDate", rs.getDate("c_date") == null ? null : rs.getDate("c_date").toString());
    }
    r.put("c_time", rs.getObject("c_time", LocalTime.class));
    r.put("c_timestamp", rs.getObject("c_timestamp", LocalDateTime.class));
    r.put("c_timestamptz", instant(rs.getObject("c_timestamptz", OffsetDateTime.class)));
    r.put("c_timestamptz as Instant", direct ? instant(rs.getObject("c_timestamptz", OffsetDateTime.class))
        : rs.getObject("c_timestamptz", Instant.class));
    r.put("c_bytea", rs.getBytes("c_bytea"));
    r.put("c_json", rs.getString("c_json"));
    r.put("c_jsonb", rs.getString("c_jsonb"));
    r.put("c_uuid", rs.getString("c_uuid"));
    return r;
  }

  @Test
  void postgresTimestampsThroughGetTimestampAndGetString() throws Exception {
    // the JVM runs in UTC (surefire), so getTimestamp's wall clock is the stored one
    List<Object[]> expected = new ArrayList<>();
    try (Connection d = PG.readerConnection(); Statement s = d.createStatement(); ResultSet rs =
        s.executeQuery("select id, c_timestamp, c_date from public.type_samples where c_timestamp"
            + " is not null order by id")) {
      while (rs.next()) {
        expected.add(new Object[] {rs.getInt(1), rs.getObject(2, LocalDateTime.class),
            rs.getObject(3, LocalDate.class)});
      }
    }
    try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs =
        s.executeQuery("select id, c_timestamp, c_date from type_samples where c_timestamp"
            + " is not null order by id")) {
      for (Object[] e : expected) {
        assertTrue(rs.next());
        assertEquals(e[0], rs.getInt(1));
        LocalDateTime wall = (LocalDateTime) e[1];
        assertEquals(wall, rs.getTimestamp(2).toLocalDateTime(), "getTimestamp of row " + e[0]);
        assertEquals(wall, ((Timestamp) rs.getObject(2)).toLocalDateTime(), "getObject of row " + e[0]);
        assertEquals(wall, Timestamp.valueOf(rs.getString(2)).toLocalDateTime(), "getString of row " + e[0]);
        assertEquals(e[2], rs.getDate(3).toLocalDate(), "getDate of row " + e[0]);
        assertEquals(e[2], LocalDate.parse(rs.getString(3)), "getString of a date, row " + e[0]);
      }
      assertFalse(rs.next());
    }
  }

  @Test
  void mariadbValuesEqualDirectReads() throws Exception {
    String columns = "id, c_tinyint, c_smallint, c_int, c_bigint, c_int_unsigned, c_bigint_unsigned,"
        + " c_decimal, c_decimal_wide, c_float, c_double, c_varchar, c_char, c_text, c_boolean, c_date,"
        + " c_datetime, c_timestamp, c_blob, c_varbinary, c_enum";
    List<Map<String, Object>> expected = new ArrayList<>();
    try (Connection d = MARIADB.readerConnection(); Statement s = d.createStatement();
        ResultSet rs = s.executeQuery("select " + columns + " from crm.type_samples order by id")) {
      while (rs.next()) {
        expected.add(mariaRow(rs));
      }
    }
    assertEquals(20, expected.size());
    for (String tz : new String[] {null, "Europe/Berlin"}) {
      try (Connection c = DriverManager.getConnection(url + (tz == null ? "" : ";timeZone=" + tz));
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select " + columns + " from crm.crm.type_samples order by id")) {
        List<Map<String, Object>> actual = new ArrayList<>();
        while (rs.next()) {
          actual.add(mariaRow(rs));
        }
        assertSampleRows(expected, actual, "time zone " + tz);
      }
    }
  }

  private static Map<String, Object> mariaRow(ResultSet rs) throws SQLException {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("id", rs.getInt("id"));
    r.put("c_tinyint", nullable(rs, rs.getInt("c_tinyint")));
    r.put("c_smallint", nullable(rs, rs.getInt("c_smallint")));
    r.put("c_int", nullable(rs, rs.getInt("c_int")));
    r.put("c_bigint", nullable(rs, rs.getLong("c_bigint")));
    r.put("c_int_unsigned", nullable(rs, rs.getLong("c_int_unsigned")));
    r.put("c_bigint_unsigned", rs.getBigDecimal("c_bigint_unsigned"));
    r.put("c_decimal", rs.getBigDecimal("c_decimal"));
    r.put("c_decimal_wide", rs.getBigDecimal("c_decimal_wide"));
    r.put("c_float", nullable(rs, rs.getFloat("c_float")));
    r.put("c_double", nullable(rs, rs.getDouble("c_double")));
    r.put("c_varchar", rs.getString("c_varchar"));
    r.put("c_char", rs.getString("c_char"));
    r.put("c_text", rs.getString("c_text"));
    r.put("c_boolean", nullable(rs, rs.getBoolean("c_boolean")));
    r.put("c_date", rs.getObject("c_date", LocalDate.class));
    r.put("c_datetime", rs.getObject("c_datetime", LocalDateTime.class));
    r.put("c_timestamp", instant(rs.getObject("c_timestamp", OffsetDateTime.class)));
    r.put("c_blob", rs.getBytes("c_blob"));
    r.put("c_varbinary", rs.getBytes("c_varbinary"));
    r.put("c_enum", rs.getString("c_enum"));
    return r;
  }

  @Test
  void mariadbMicrosecondsSurvive() throws Exception {
    Map<Long, LocalDateTime> created = new HashMap<>();
    try (Connection d = MARIADB.readerConnection(); Statement s = d.createStatement();
        ResultSet rs = s.executeQuery("select id, created_at from crm.accounts")) {
      while (rs.next()) {
        created.put(rs.getLong(1), rs.getObject(2, LocalDateTime.class));
      }
    }
    try (Connection c = connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select id, created_at from crm.crm.accounts order by id")) {
      int n = 0;
      while (rs.next()) {
        LocalDateTime e = created.get(rs.getLong(1));
        assertEquals(e, rs.getObject(2, LocalDateTime.class), "account " + rs.getLong(1));
        assertEquals(e, rs.getTimestamp(2).toLocalDateTime(), "account " + rs.getLong(1));
        n++;
      }
      assertEquals(85, n);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // the guard

  @Test
  void writesAndLocksAreRejectedOnEveryPath() throws Exception {
    Map<String, String> statements = new LinkedHashMap<>();
    statements.put("insert into customers (id, name) values (1000, 'x')", "INSERT");
    statements.put("update customers set name = 'x' where id = 1", "UPDATE");
    statements.put("delete from customers where id = 1", "DELETE");
    statements.put("drop table customers", "DROP");
    statements.put("select 1; delete from customers", "multiple statements");
    statements.put("select * from customers for update", "FOR UPDATE");
    try (Connection c = connect()) {
      for (Map.Entry<String, String> e : statements.entrySet()) {
        String sql = e.getKey();
        String kind = e.getValue();
        try (Statement s = c.createStatement()) {
          assertRejected(() -> s.executeQuery(sql), kind);
          assertRejected(() -> s.execute(sql), kind);
          assertRejected(() -> s.executeUpdate(sql), kind);
          assertRejected(() -> s.executeLargeUpdate(sql), kind);
        }
        assertRejected(() -> c.prepareStatement(sql), kind);
      }
      try (Statement s = c.createStatement()) {
        s.addBatch("delete from customers");
        s.addBatch("select 1");
        assertRejected(s::executeBatch, "batch");
        // the statement still works afterwards
        assertEquals(List.of(List.of(100L)), rows(s.executeQuery("select count(*) from customers")));
      }
      try (PreparedStatement ps = c.prepareStatement("select id from customers where id = ?")) {
        ps.setInt(1, 1);
        ps.addBatch();
        ps.setInt(1, 2);
        ps.addBatch();
        assertRejected(ps::executeBatch, "batch");
      }
    }
    assertEquals(100, directLong("select count(*) from public.customers"));
  }

  @Test
  void syntaxAndValidationErrorsKeepTheirCodeAndPosition() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      SQLException syntax = assertThrows(SQLException.class, () -> s.executeQuery("select id from from customers"));
      assertError(syntax, "42601", 1003, "line 1, column");
      SQLException prepared = assertThrows(SQLException.class, () -> c.prepareStatement("select id,, name from customers"));
      assertError(prepared, "42601", 1003, "line 1, column");

      SQLException table = assertThrows(SQLException.class, () -> s.executeQuery("select * from no_such_table"));
      assertError(table, "42000", 1004, "no_such_table");
      SQLException column = assertThrows(SQLException.class,
          () -> c.prepareStatement("select no_such_column from customers"));
      assertError(column, "42000", 1004, "no_such_column");
      // the hidden schema is not there
      SQLException hidden = assertThrows(SQLException.class, () -> s.executeQuery("select * from shop.internal.api_keys"));
      assertError(hidden, "42000", 1004, "api_keys");
      // the statement is usable after failures
      assertEquals(List.of(List.of(100L)), rows(s.executeQuery("select count(*) from customers")));
    }
  }

  @Test
  void transactionCallsOfToolsAreAccepted() throws Exception {
    try (Connection c = connect()) {
      assertTrue(c.getAutoCommit());
      c.setAutoCommit(false);
      assertEquals(100, singleLong(c, "select count(*) from customers"));
      c.commit();
      c.rollback();
      c.setAutoCommit(true);
      c.setReadOnly(true);
      assertTrue(c.isReadOnly());
      c.setReadOnly(false);
      assertTrue(c.isReadOnly(), "Gatehouse connections stay read-only");
      assertTrue(c.isValid(2));
      assertEquals(Connection.TRANSACTION_READ_COMMITTED, c.getTransactionIsolation());
      c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
      c.clearWarnings();
      assertNull(c.getWarnings());
      assertEquals(Connection.TRANSACTION_READ_COMMITTED, c.getMetaData().getDefaultTransactionIsolation());
      assertEquals(100, singleLong(c, "select count(*) from customers"));
    }
    Connection closed = connect();
    closed.close();
    assertFalse(closed.isValid(2));
    assertTrue(closed.isClosed());
    closed.close();
  }

  // ---------------------------------------------------------------------------------------------
  // DatabaseMetaData

  @Test
  void catalogsAreTheSourcesAndSchemasTheirExposedSchemas() throws Exception {
    try (Connection c = connect()) {
      DatabaseMetaData md = c.getMetaData();
      assertEquals(List.of(List.of("crm"), List.of("shop")), rows(md.getCatalogs()));
      try (ResultSet rs = md.getSchemas()) {
        assertEquals("TABLE_SCHEM", rs.getMetaData().getColumnLabel(1));
        assertEquals("TABLE_CATALOG", rs.getMetaData().getColumnLabel(2));
        List<List<Object>> schemas = rows(rs);
        assertEquals(List.of(List.of("crm", "crm"), List.of("crm_archive", "crm"),
            List.of("public", "shop"), List.of("sales", "shop")), schemas);
      }
      assertEquals(List.of(List.of("public", "shop"), List.of("sales", "shop")),
          rows(md.getSchemas("shop", null)));
      assertEquals(List.of(List.of("crm_archive", "crm")), rows(md.getSchemas(null, "%archive")));
      assertEquals(List.of(List.of("public", "shop")), rows(md.getSchemas(null, "p_blic")));
      assertEquals(List.of(), rows(md.getSchemas(null, "internal")));
      assertEquals(List.of(List.of("TABLE"), List.of("VIEW")), rows(md.getTableTypes()));
    }
  }

  @Test
  void getTablesListsExposedTablesAndViewsOnly() throws Exception {
    Set<List<Object>> expected = new TreeSet<>(Comparator.comparing(Object::toString));
    try (Connection d = PG.readerConnection(); Statement s = d.createStatement(); ResultSet rs = s.executeQuery(
        "select table_schema, table_name, table_type from information_schema.tables"
            + " where table_schema in ('public', 'sales')")) {
      while (rs.next()) {
        expected.add(List.of("shop", rs.getString(1), rs.getString(2),
            rs.getString(3).equals("VIEW") ? "VIEW" : "TABLE"));
      }
    }
    try (Connection d = MARIADB.readerConnection(); Statement s = d.createStatement(); ResultSet rs = s.executeQuery(
        "select table_schema, table_name, table_type from information_schema.tables"
            + " where table_schema in ('crm', 'crm_archive')")) {
      while (rs.next()) {
        expected.add(List.of("crm", rs.getString(1), rs.getString(2),
            rs.getString(3).equals("VIEW") ? "VIEW" : "TABLE"));
      }
    }
    try (Connection c = connect()) {
      DatabaseMetaData md = c.getMetaData();
      Set<List<Object>> actual = new TreeSet<>(Comparator.comparing(Object::toString));
      Map<String, String> remarks = new HashMap<>();
      try (ResultSet rs = md.getTables(null, null, "%", null)) {
        ResultSetMetaData rmd = rs.getMetaData();
        assertEquals(List.of("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE", "REMARKS"),
            List.of(rmd.getColumnLabel(1), rmd.getColumnLabel(2), rmd.getColumnLabel(3),
                rmd.getColumnLabel(4), rmd.getColumnLabel(5)));
        while (rs.next()) {
          actual.add(List.of(rs.getString("TABLE_CAT"), rs.getString("TABLE_SCHEM"),
              rs.getString("TABLE_NAME"), rs.getString("TABLE_TYPE")));
          remarks.put(rs.getString("TABLE_NAME"), rs.getString("REMARKS"));
        }
      }
      assertEquals(expected, actual);
      assertTrue(actual.contains(List.of("shop", "public", "customers", "TABLE")));
      assertTrue(actual.contains(List.of("shop", "public", VIEW, "VIEW")));
      assertTrue(actual.contains(List.of("crm", "crm", "accounts", "TABLE")));
      for (List<Object> t : actual) {
        assertFalse(t.get(3).equals("INDEX"), t::toString);
        assertFalse(t.get(1).equals("internal") || t.get(1).equals("crm_internal"), t::toString);
        assertFalse(t.get(2).toString().endsWith("_idx") || t.get(2).toString().endsWith("_pkey"), t::toString);
      }
      assertEquals("VIP customers, for the JDBC driver test", remarks.get(VIEW));
      assertNull(remarks.get("customers"));

      // types filter, catalog, and name patterns
      assertEquals(List.of(List.of("shop", "public", VIEW, "VIEW")),
          tableRows(md.getTables(null, null, "%", new String[] {"VIEW"})));
      assertEquals(List.of(), tableRows(md.getTables("crm", null, "%", new String[] {"VIEW"})));
      assertEquals(List.of(List.of("shop", "sales", "regions", "TABLE"), List.of("shop", "sales", "targets", "TABLE")),
          tableRows(md.getTables("shop", "sal%", "%", new String[] {"TABLE"})));
      assertEquals(List.of(List.of("shop", "public", "customers", "TABLE")),
          tableRows(md.getTables("shop", "public", "customer_", null)));
      assertEquals(List.of(List.of("shop", "public", "order_items", "TABLE")),
          tableRows(md.getTables(null, null, "order" + md.getSearchStringEscape() + "_items", null)));
      assertEquals(List.of(List.of("shop", "public", "order_items", "TABLE"), List.of("shop", "public", "orders", "TABLE")),
          tableRows(md.getTables(null, null, "order%", null)));
      assertEquals(List.of(), tableRows(md.getTables(null, null, "api_keys", null)));
      assertEquals(List.of(), tableRows(md.getTables(null, null, "audit_log", null)));
      assertEquals(List.of(), tableRows(md.getTables("nosuch", null, "%", null)));
    }
  }

  @Test
  void getColumnsDescribesEachColumn() throws Exception {
    Map<String, Object[]> direct = new LinkedHashMap<>();
    try (Connection d = PG.readerConnection(); Statement s = d.createStatement(); ResultSet rs = s.executeQuery(
        "select column_name, ordinal_position, is_nullable, column_default from information_schema.columns"
            + " where table_schema = 'public' and table_name = 'customers' order by ordinal_position")) {
      while (rs.next()) {
        direct.put(rs.getString(1), new Object[] {rs.getInt(2), rs.getString(3), rs.getString(4)});
      }
    }
    try (Connection c = connect()) {
      DatabaseMetaData md = c.getMetaData();
      Map<String, Map<String, Object>> cols = new LinkedHashMap<>();
      try (ResultSet rs = md.getColumns("shop", "public", "customers", "%")) {
        while (rs.next()) {
          Map<String, Object> col = new HashMap<>();
          assertEquals("shop", rs.getString("TABLE_CAT"));
          assertEquals("public", rs.getString("TABLE_SCHEM"));
          assertEquals("customers", rs.getString("TABLE_NAME"));
          col.put("DATA_TYPE", rs.getInt("DATA_TYPE"));
          col.put("TYPE_NAME", rs.getString("TYPE_NAME"));
          col.put("COLUMN_SIZE", rs.getObject("COLUMN_SIZE") == null ? null : rs.getInt("COLUMN_SIZE"));
          col.put("DECIMAL_DIGITS", rs.getObject("DECIMAL_DIGITS") == null ? null : rs.getInt("DECIMAL_DIGITS"));
          col.put("NULLABLE", rs.getInt("NULLABLE"));
          col.put("IS_NULLABLE", rs.getString("IS_NULLABLE"));
          col.put("ORDINAL_POSITION", rs.getInt("ORDINAL_POSITION"));
          col.put("COLUMN_DEF", rs.getString("COLUMN_DEF"));
          cols.put(rs.getString("COLUMN_NAME"), col);
        }
      }
      assertEquals(List.copyOf(direct.keySet()), List.copyOf(cols.keySet()), "columns in ordinal order");
      for (Map.Entry<String, Object[]> e : direct.entrySet()) {
        Map<String, Object> col = cols.get(e.getKey());
        assertEquals(e.getValue()[0], col.get("ORDINAL_POSITION"), e.getKey());
        boolean nullable = e.getValue()[1].equals("YES");
        assertEquals(nullable ? DatabaseMetaData.columnNullable : DatabaseMetaData.columnNoNulls,
            col.get("NULLABLE"), e.getKey());
        assertEquals(e.getValue()[1], col.get("IS_NULLABLE"), e.getKey());
        assertEquals(e.getValue()[2], col.get("COLUMN_DEF"), e.getKey());
        String typeName = (String) col.get("TYPE_NAME");
        assertFalse(typeName.contains("NOT NULL") || typeName.contains("(") , e.getKey() + ": " + typeName);
      }
      assertColumn(cols.get("id"), Types.INTEGER, "INTEGER", null);
      assertColumn(cols.get("name"), Types.VARCHAR, "VARCHAR", null);
      assertEquals(100, cols.get("name").get("COLUMN_SIZE"));
      assertColumn(cols.get("country"), Types.CHAR, "CHAR", null);
      assertEquals(2, cols.get("country").get("COLUMN_SIZE"));
      assertColumn(cols.get("region_id"), Types.SMALLINT, "SMALLINT", null);
      assertColumn(cols.get("vip"), Types.BOOLEAN, "BOOLEAN", null);
      assertEquals("false", cols.get("vip").get("COLUMN_DEF"));
      assertColumn(cols.get("birth_date"), Types.DATE, "DATE", null);
      assertColumn(cols.get("credit_limit"), Types.DECIMAL, "DECIMAL", 2);
      assertEquals(12, cols.get("credit_limit").get("COLUMN_SIZE"));
      assertColumn(cols.get("loyalty_score"), Types.REAL, "REAL", null);
      assertColumn(cols.get("lifetime_value"), Types.DOUBLE, "DOUBLE", null);

      // patterns on columns and tables, remarks of a column
      assertEquals(List.of("ordered_at", "shipped_at"),
          columnNames(md.getColumns(null, "public", "orders", "%\\_at")));
      assertEquals(List.of("order_id", "line_no", "product_id", "quantity", "unit_price", "discount"),
          columnNames(md.getColumns("shop", "p%", "order\\_items", null)));
      assertEquals(List.of("id", "customer_id"), columnNames(md.getColumns("shop", "public", "order_", "%id")));
      try (ResultSet rs = md.getColumns(null, null, VIEW, "credit_limit")) {
        assertTrue(rs.next());
        assertEquals("in EUR", rs.getString("REMARKS"));
        assertEquals(Types.DECIMAL, rs.getInt("DATA_TYPE"));
        assertEquals(3, rs.getInt("ORDINAL_POSITION"));
        assertFalse(rs.next());
      }
      // MariaDB
      try (ResultSet rs = md.getColumns("crm", "crm", "accounts", "annual_revenue")) {
        assertTrue(rs.next());
        assertEquals(Types.DECIMAL, rs.getInt("DATA_TYPE"));
        assertEquals(12, rs.getInt("COLUMN_SIZE"));
        assertEquals(2, rs.getInt("DECIMAL_DIGITS"));
        assertEquals("YES", rs.getString("IS_NULLABLE"));
        assertFalse(rs.next());
      }
    }
  }

  private static void assertColumn(Map<String, Object> col, int type, String typeName, Integer digits) {
    assertEquals(type, col.get("DATA_TYPE"), col::toString);
    assertEquals(typeName, col.get("TYPE_NAME"), col::toString);
    assertEquals(digits, col.get("DECIMAL_DIGITS"), col::toString);
  }

  private static List<String> columnNames(ResultSet rs) throws SQLException {
    List<String> out = new ArrayList<>();
    try (rs) {
      while (rs.next()) {
        out.add(rs.getString("COLUMN_NAME"));
      }
    }
    return out;
  }

  private static List<List<Object>> tableRows(ResultSet rs) throws SQLException {
    List<List<Object>> out = new ArrayList<>();
    try (rs) {
      while (rs.next()) {
        out.add(List.of(rs.getString("TABLE_CAT"), rs.getString("TABLE_SCHEM"), rs.getString("TABLE_NAME"),
            rs.getString("TABLE_TYPE")));
      }
    }
    out.sort(Comparator.comparing(Object::toString));
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // engines and pools

  @Test
  void connectionsToOneConfigShareOneEngineAndReturnTheirSourceConnections() throws Exception {
    Timestamp start;
    try (Connection admin = PG.adminConnection(); Statement s = admin.createStatement();
        ResultSet rs = s.executeQuery("select now()")) {
      rs.next();
      start = rs.getTimestamp(1);
    }
    List<List<Object>> first;
    try (Connection a = connect(); Connection b = connect()) {
      first = tableRows(a.getMetaData().getTables("shop", null, "%", null));
      assertEquals(first, tableRows(b.getMetaData().getTables("shop", null, "%", null)));
    }
    for (int i = 0; i < 20; i++) {
      try (Connection c = connect()) {
        assertEquals(100, singleLong(c, "select count(*) from customers"));
        if (i % 2 == 0) {
          // left open: closing the connection must end it
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select id from events");
          assertTrue(rs.next());
        }
      }
    }
    // one engine, one pool of at most 4: twenty connections did not open twenty pools
    assertTrue(gatehouseBackendsSince(start) <= 4, () -> "backends opened: " + gatehouseBackendsSince(start));
    awaitNoBusyBackends();
  }

  private static long gatehouseBackendsSince(Timestamp start) {
    try (Connection admin = PG.adminConnection();
        PreparedStatement ps = admin.prepareStatement("select count(*) from pg_stat_activity"
            + " where usename = ? and application_name = 'gatehouse' and backend_start >= ?")) {
      ps.setString(1, PG.readerUser());
      ps.setTimestamp(2, start);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  /** Source connections of Gatehouse that are running or in a transaction; 0 once all are back. */
  private static long busyBackends() throws SQLException {
    try (Connection admin = PG.adminConnection();
        PreparedStatement ps = admin.prepareStatement("select count(*) from pg_stat_activity"
            + " where usename = ? and application_name = 'gatehouse' and state <> 'idle'")) {
      ps.setString(1, PG.readerUser());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static void awaitNoBusyBackends() throws Exception {
    long busy = busyBackends();
    for (int i = 0; i < 50 && busy > 0; i++) {
      Thread.sleep(100);
      busy = busyBackends();
    }
    assertEquals(0, busy, "source connections still running or in a transaction");
  }

  @Test
  void closingAResultSetEarlyFreesTheStatementAndTheSourceConnection() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      ResultSet rs = s.executeQuery("select id, kind from events order by id");
      assertTrue(rs.next());
      assertEquals(1, rs.getLong(1));
      rs.close();
      assertTrue(rs.isClosed());
      awaitNoBusyBackends();
      assertEquals(List.of(List.of(100L)), rows(s.executeQuery("select count(*) from customers")));
      // and a prepared statement whose first result was abandoned runs again
      try (PreparedStatement ps = c.prepareStatement("select id from events where id > ? order by id")) {
        ps.setLong(1, 10);
        ResultSet r1 = ps.executeQuery();
        assertTrue(r1.next());
        assertEquals(11, r1.getLong(1));
        ps.setLong(1, 20);
        try (ResultSet r2 = ps.executeQuery()) {
          assertTrue(r1.isClosed(), "re-executing closes the previous result");
          assertTrue(r2.next());
          assertEquals(21, r2.getLong(1));
        }
      }
    }
    awaitNoBusyBackends();
  }

  @Test
  void crossSourceJoinThroughJdbc() throws Exception {
    Map<Object, List<Object>> customers = new HashMap<>();
    for (List<Object> r : direct(PG.readerConnection(), "select id, name from public.customers where country = 'DE'")) {
      customers.put(r.get(0), r);
    }
    List<List<Object>> expected = new ArrayList<>();
    for (List<Object> a : direct(MARIADB.readerConnection(),
        "select customer_id, name, annual_revenue from crm.accounts order by customer_id, name")) {
      List<Object> cust = customers.get(a.get(0));
      if (cust != null) {
        expected.add(List.of(cust.get(0), cust.get(1), a.get(1), a.get(2) == null ? "null" : a.get(2)));
      }
    }
    assertFalse(expected.isEmpty());
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
        "select c.id, c.name, a.name as account, a.annual_revenue from customers c"
            + " join crm.crm.accounts a on a.customer_id = c.id where c.country = ?"
            + " order by c.id, account")) {
      ps.setString(1, "DE");
      List<List<Object>> actual = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        assertEquals("account", rs.getMetaData().getColumnLabel(3));
        while (rs.next()) {
          BigDecimal revenue = rs.getBigDecimal(4);
          actual.add(List.of((long) rs.getInt(1), rs.getString(2), rs.getString(3),
              revenue == null ? "null" : io.gatehouse.core.testing.Values.normalize(revenue)));
        }
        assertNull(rs.getWarnings());
      }
      assertEquals(expected, actual);
    }
  }

  @Test
  void connectionsToAnEngineOpenedInCode() throws Exception {
    try (Gatehouse engine = Gatehouse.open(ConfigLoader.withDiscoveredAdapters().parse(yaml(50), "in code"))) {
      // The pools are counted below: the background warm-up reads each source's catalog on a
      // connection of its own, which must not be mistaken for one a query kept.
      assertTrue(engine.awaitWarmUp(Duration.ofSeconds(30)), "the warm-up ends");
      Properties p = new Properties();
      p.setProperty("schema", "crm.crm");
      try (Connection c = GatehouseDriver.connect(engine, p)) {
        assertEquals("crm.crm", c.getSchema());
        try (Statement s = c.createStatement()) {
          try (ResultSet rs = s.executeQuery("select id from page_views")) {
            assertEquals(50, count(rs));
            assertRowLimitWarning(rs.getWarnings());
          }
          ResultSet open = s.executeQuery("select id from shop.public.events");
          assertTrue(open.next());
          assertEquals(1, engine.connector("shop").poolStats().active());
          open.close();
          assertEquals(0, engine.connector("shop").poolStats().active(), "closing the result set returns the connection");
          assertEquals(0, engine.connector("crm").poolStats().active());
        }
      }
      try (Connection c = GatehouseDriver.connect(engine, null)) {
        assertNull(c.getSchema());
        assertEquals(85, singleLong(c, "select count(*) from crm.crm.accounts"));
      }
      // closing the JDBC connections left the engine open
      assertEquals(0, engine.connector("shop").poolStats().active());
      assertEquals(100L, ((Number) engine.query("select count(*) from shop.public.customers").toList()
          .get(0)[0]).longValue());
      SQLException e = assertThrows(SQLException.class, () -> {
        Properties bad = new Properties();
        bad.setProperty("schema", "nowhere");
        GatehouseDriver.connect(engine, bad);
      });
      assertError(e, "42000", 1004, "nowhere");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // helpers

  private static void assertRejected(Executable call, String kind) {
    SQLException e = assertThrows(SQLException.class, call);
    assertError(e, "25006", 1002, kind);
  }

  /** A coded SQLException whose message says what is wrong and carries no stack trace. */
  static void assertError(SQLException e, String sqlState, int vendorCode, String mentions) {
    String m = e.getMessage();
    assertEquals(sqlState, e.getSQLState(), m);
    assertEquals(vendorCode, e.getErrorCode(), m);
    assertTrue(m.toLowerCase(Locale.ROOT).contains(mentions.toLowerCase(Locale.ROOT)),
        () -> "'" + mentions + "' in: " + m);
    assertFalse(m.contains("\tat ") || m.contains("at org.") || m.contains("at io.")
        || m.contains("at java."), () -> "stack trace in: " + m);
    assertFalse(m.contains("Exception:") || m.contains("Exception("), () -> "exception class in: " + m);
  }

  private static void assertRowLimitWarning(SQLWarning w) {
    assertNotNull(w, "a truncation warning");
    assertEquals("01004", w.getSQLState(), w::getMessage);
    assertTrue(w.getMessage().contains("ROW_LIMIT"), w::getMessage);
  }

  private static void assertSampleRows(List<Map<String, Object>> expected, List<Map<String, Object>> actual,
      String what) {
    assertEquals(expected.size(), actual.size(), what);
    for (int i = 0; i < expected.size(); i++) {
      Map<String, Object> e = expected.get(i);
      Map<String, Object> a = actual.get(i);
      assertTrue(e.keySet().containsAll(a.keySet()), a.keySet()::toString);
      for (String k : a.keySet()) {
        Object x = e.get(k);
        Object y = a.get(k);
        boolean same = x instanceof byte[] xb && y instanceof byte[] yb ? java.util.Arrays.equals(xb, yb)
            : Objects.equals(x, y);
        if (!same) {
          throw new AssertionError(what + ", id " + e.get("id") + ", " + k + ": expected " + show(x)
              + " but was " + show(y));
        }
      }
    }
  }

  private static String show(Object v) {
    if (v instanceof byte[] b) {
      return java.util.HexFormat.of().formatHex(b);
    }
    return v == null ? "null" : v + " (" + v.getClass().getSimpleName() + ")";
  }

  private static Object nullable(ResultSet rs, Object value) throws SQLException {
    return rs.wasNull() ? null : value;
  }

  private static Instant instant(OffsetDateTime o) {
    return o == null ? null : o.toInstant();
  }

  private static long singleLong(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next());
      long v = rs.getLong(1);
      assertFalse(rs.next());
      return v;
    }
  }

  private static long singleLong(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      assertTrue(rs.next());
      long v = rs.getLong(1);
      assertFalse(rs.next());
      return v;
    }
  }

  private static long directLong(String sql) throws SQLException {
    try (Connection d = PG.readerConnection()) {
      return singleLong(d, sql);
    }
  }

  private static int count(ResultSet rs) throws SQLException {
    int n = 0;
    while (rs.next()) {
      n++;
    }
    return n;
  }

  /** All rows, normalised like {@link TwoSources#direct}, and the result set closed. */
  static List<List<Object>> rows(ResultSet rs) throws SQLException {
    List<List<Object>> out = new ArrayList<>();
    try (rs) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(io.gatehouse.core.testing.Values.normalize(rs.getObject(i)));
        }
        out.add(row);
      }
    }
    return out;
  }

  static List<List<Object>> direct(Connection c, String sql) throws SQLException {
    return TwoSources.direct(c, sql);
  }
}
