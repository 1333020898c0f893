package io.gatehouse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.adapter.postgresql.testing.PostgresFixture;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.config.GatehouseConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Gatehouse's own remote driver ({@code jdbc:gatehouse:remote:}) reads the same values as the stock
 * Avatica driver, through the server, for every type of TPC-H's tables and the other common ones,
 * with NULLs, over many frames.
 */
class RemoteDriverTest {
  private static final String TABLE = "public.remote_driver_values";
  private static final int ROWS = 2_345;
  private static Gatehouse engine;
  private static GatehouseServer server;

  @BeforeAll
  static void start() throws Exception {
    PostgresFixture pg = PostgresFixture.get();
    try (Connection admin = pg.adminConnection(); Statement s = admin.createStatement()) {
      s.execute("drop table if exists " + TABLE);
      // lineitem's types (integer, bigint, numeric(15,2), char(1), varchar, date), then the others
      s.execute("create table " + TABLE + " as select g as id,"
          + " case when g % 7 = 0 then null else g::bigint * 1000003 end as c_bigint,"
          + " case when g % 7 = 1 then null else (g * 37 % 100000) / 100.0 end ::numeric(15,2) as c_decimal,"
          + " case when g % 7 = 2 then null else chr(65 + g % 26) end ::char(1) as c_char,"
          + " case when g % 7 = 3 then null else 'comment ' || g || ' ünïcødé ✓' end ::varchar(44) as c_varchar,"
          + " case when g % 7 = 4 then null else date '1992-01-01' + g end as c_date,"
          + " case when g % 7 = 5 then null else (g % 3 = 0) end as c_boolean,"
          + " case when g % 7 = 6 then null else timestamp '2024-02-29 12:34:56.789' + g * interval '1 hour' end as c_timestamp,"
          + " case when g % 5 = 0 then null else timestamptz '2024-01-01 00:00:00+00' + g * interval '1 minute' end as c_timestamptz,"
          + " case when g % 5 = 1 then null else time '00:00:01' + g * interval '1 second' end as c_time,"
          + " case when g % 5 = 2 then null else decode(lpad(to_hex(g), 8, '0'), 'hex') end as c_binary,"
          + " case when g % 5 = 3 then null else g / 3.0::double precision end as c_double,"
          + " case when g % 5 = 4 then null else (g % 100)::real / 4 end as c_real,"
          + " (g % 30000 - 15000)::smallint as c_smallint,"
          + " case when g % 11 = 0 then '' else repeat('x', g % 40) end as c_text,"
          + " (g::numeric * 12345.6789) as c_numeric"
          + " from generate_series(1, " + ROWS + ") g");
      s.execute("grant select on " + TABLE + " to " + pg.readerUser());
    }
    GatehouseConfig config = ConfigLoader.withDiscoveredAdapters().fromMap(Map.of(
        "engine", Map.of("maxRows", 100_000),
        "sources", List.of(Map.of("id", "shop", "type", "postgresql", "host", pg.host(),
            "port", pg.port(), "database", pg.database(), "user", pg.readerUser(),
            "password", pg.readerPassword(), "tls", "disable", "schemas", List.of("public")))));
    engine = Gatehouse.open(config);
    server = new GatehouseServer(engine, config.server(), null, null, 0, false);
    server.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (engine != null) {
      engine.close();
    }
    try (Connection admin = PostgresFixture.get().adminConnection(); Statement s = admin.createStatement()) {
      s.execute("drop table if exists " + TABLE);
    }
  }

  private static Connection stock() throws SQLException {
    return DriverManager.getConnection("jdbc:avatica:remote:url=" + server.url() + ";serialization=protobuf");
  }

  private static Connection gatehouse() throws SQLException {
    return DriverManager.getConnection("jdbc:gatehouse:remote:url=" + server.url());
  }

  /** Every value of every row, read with getObject, getString and the column type's own getter. */
  private static List<String> read(Connection c, String sql, int fetchSize) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement()) {
      s.setFetchSize(fetchSize);
      try (ResultSet rs = s.executeQuery(sql)) {
        ResultSetMetaData md = rs.getMetaData();
        StringBuilder header = new StringBuilder();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          header.append(md.getColumnLabel(i)).append(' ').append(md.getColumnTypeName(i)).append(' ')
              .append(md.getPrecision(i)).append(',').append(md.getScale(i)).append("; ");
        }
        out.add(header.toString());
        while (rs.next()) {
          StringBuilder row = new StringBuilder();
          for (int i = 1; i <= md.getColumnCount(); i++) {
            row.append(show(rs.getObject(i))).append(" | ").append(rs.getString(i)).append(" | ")
                .append(show(typed(rs, i, md.getColumnType(i)))).append(" | ").append(rs.wasNull())
                .append("; ");
          }
          out.add(row.toString());
        }
      }
    }
    return out;
  }

  private static Object typed(ResultSet rs, int i, int type) throws SQLException {
    return switch (type) {
      case Types.DATE -> rs.getDate(i);
      case Types.TIME -> rs.getTime(i);
      case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> rs.getTimestamp(i);
      case Types.DECIMAL, Types.NUMERIC -> rs.getBigDecimal(i);
      case Types.BINARY, Types.VARBINARY -> rs.getBytes(i);
      case Types.BOOLEAN -> rs.getBoolean(i);
      case Types.BIGINT, Types.INTEGER, Types.SMALLINT -> rs.getLong(i);
      case Types.DOUBLE, Types.REAL, Types.FLOAT -> rs.getDouble(i);
      default -> rs.getString(i);
    };
  }

  private static String show(Object v) {
    if (v == null) {
      return "null";
    }
    return v.getClass().getSimpleName() + ":" + (v instanceof byte[] b ? Arrays.toString(b) : v);
  }

  @Test
  void readsWhatTheStockDriverReads() throws Exception {
    String sql = "select * from shop.public.remote_driver_values order by id";
    try (Connection stock = stock(); Connection mine = gatehouse()) {
      for (int fetchSize : new int[] {0, 1_000, 100_000}) {
        List<String> expected = read(stock, sql, fetchSize);
        List<String> got = read(mine, sql, fetchSize);
        assertEquals(ROWS + 1, expected.size());
        for (int i = 0; i < expected.size(); i++) {
          assertEquals(expected.get(i), got.get(i), "fetch size " + fetchSize + ", row " + i);
        }
      }
      // spot checks of what the values are, not only that both drivers agree
      try (ResultSet rs = mine.createStatement().executeQuery(
          "select c_decimal, c_char, c_date, c_boolean, c_timestamp, c_binary, c_text"
              + " from shop.public.remote_driver_values where id = 3")) {
        assertTrue(rs.next());
        assertEquals(new java.math.BigDecimal("1.11"), rs.getBigDecimal(1));
        assertEquals("D", rs.getString(2));
        assertEquals("1992-01-04", rs.getDate(3).toString());
        assertEquals(true, rs.getBoolean(4));
        assertEquals("2024-02-29 15:34:56.789", rs.getTimestamp(5).toString());
        assertEquals("[0, 0, 0, 3]", Arrays.toString(rs.getBytes(6)));
        assertEquals("xxx", rs.getString(7));
      }
    }
  }

  @Test
  void preparedStatementsMetadataAndErrors() throws Exception {
    try (Connection stock = stock(); Connection mine = gatehouse()) {
      for (Connection c : List.of(stock, mine)) {
        try (PreparedStatement ps = c.prepareStatement(
            "select count(*), sum(c_decimal) from shop.public.remote_driver_values where id <= ?")) {
          ps.setInt(1, 100);
          try (ResultSet rs = ps.executeQuery()) {
            assertTrue(rs.next());
            assertEquals(100, rs.getLong(1));
          }
        }
        try (ResultSet rs = c.getMetaData().getTables(null, null, "remote_driver_values", null)) {
          assertTrue(rs.next());
          assertEquals("remote_driver_values", rs.getString("TABLE_NAME"));
        }
      }
      assertEquals("Gatehouse remote JDBC Driver", mine.getMetaData().getDriverName());
      SQLException expected = assertThrows(SQLException.class,
          () -> stock.createStatement().executeQuery("select nope from shop.public.remote_driver_values"));
      SQLException got = assertThrows(SQLException.class,
          () -> mine.createStatement().executeQuery("select nope from shop.public.remote_driver_values"));
      assertEquals(expected.getSQLState(), got.getSQLState());
      assertEquals(expected.getErrorCode(), got.getErrorCode());
      assertEquals(expected.getMessage(), got.getMessage());
    }
  }
}
