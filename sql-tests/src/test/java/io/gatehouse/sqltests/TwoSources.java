package io.gatehouse.sqltests;

import io.gatehouse.adapter.mysql.testing.MariaDbFixture;
import io.gatehouse.adapter.postgresql.testing.PostgresFixture;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.QueryResult;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.exec.SourceStatement;
import io.gatehouse.core.testing.Values;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One engine over the two shared fixtures, as the reader users: {@code shop} (PostgreSQL: schemas
 * public and sales) and {@code crm} (MariaDB: databases crm and crm_archive). Started once per JVM.
 */
final class TwoSources {
  static final PostgresFixture PG = PostgresFixture.get();
  static final MariaDbFixture MARIADB = MariaDbFixture.get();
  static final List<SourceStatement> SENT = new CopyOnWriteArrayList<>();
  static final Gatehouse ENGINE = open();

  private TwoSources() {}

  /** A source over the shared PostgreSQL fixture's database, as its reader, showing {@code schemas}. */
  static Map<String, Object> postgresSource(String id, String... schemas) {
    return Map.of("id", id, "type", "postgresql", "host", PG.host(), "port", PG.port(),
        "database", PG.database(), "user", PG.readerUser(), "password", PG.readerPassword(),
        "tls", "disable", "schemas", List.of(schemas));
  }

  /** A source over the shared MariaDB fixture, as its reader, showing the databases {@code schemas}. */
  static Map<String, Object> mariadbSource(String id, String... schemas) {
    return Map.of("id", id, "type", "mariadb", "host", MARIADB.host(), "port", MARIADB.port(),
        "user", MARIADB.readerUser(), "password", MARIADB.readerPassword(), "tls", "disable",
        "schemas", List.of(schemas));
  }

  private static Gatehouse open() {
    Gatehouse gh = Gatehouse.open(ConfigLoader.withDiscoveredAdapters().fromMap(Map.of(
        "engine", Map.of("maxRows", 100_000, "queryTimeout", "60s"),
        "sources", List.of(postgresSource("shop", "public", "sales"),
            mariadbSource("crm", "crm", "crm_archive")))));
    gh.addStatementListener(SENT::add);
    Runtime.getRuntime().addShutdownHook(new Thread(gh::close));
    return gh;
  }

  /** Rows of an engine query, normalised for comparison. */
  static List<List<Object>> engine(String sql, Object... params) {
    List<List<Object>> out = new ArrayList<>();
    try (QueryResult r = ENGINE.query(sql, params)) {
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

  /** Asserts equal rows, naming the first differing cell with the classes of both values. */
  static void assertRows(List<List<Object>> expected, List<List<Object>> actual) {
    for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
      List<Object> e = expected.get(i);
      List<Object> a = actual.get(i);
      for (int j = 0; j < Math.min(e.size(), a.size()); j++) {
        Object x = e.get(j);
        Object y = a.get(j);
        if (!java.util.Objects.equals(x, y)) {
          org.junit.jupiter.api.Assertions.fail("row " + i + " column " + j + ": expected " + x + " ("
              + (x == null ? "null" : x.getClass().getSimpleName()) + ") but was " + y + " ("
              + (y == null ? "null" : y.getClass().getSimpleName()) + ")");
        }
      }
      org.junit.jupiter.api.Assertions.assertEquals(e.size(), a.size(), "columns of row " + i);
    }
    org.junit.jupiter.api.Assertions.assertEquals(expected.size(), actual.size(), "row count");
  }

  /** Rows of a query run directly on a source, read with the getter that keeps each type exact. */
  static List<List<Object>> direct(Connection c, String sql) throws SQLException {
    List<List<Object>> out = new ArrayList<>();
    try (c; Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          row.add(Values.normalize(read(rs, md, i)));
        }
        out.add(row);
      }
    }
    return out;
  }

  private static Object read(ResultSet rs, ResultSetMetaData md, int i) throws SQLException {
    String typeName = md.getColumnTypeName(i);
    switch (md.getColumnType(i)) {
      case Types.DATE:
        return rs.getObject(i, LocalDate.class);
      case Types.TIME:
        return rs.getObject(i, LocalTime.class);
      case Types.TIMESTAMP:
        // PostgreSQL timestamptz and MySQL TIMESTAMP are instants; the others wall-clock times.
        if (typeName.equals("timestamptz") || typeName.equals("TIMESTAMP")) {
          return rs.getObject(i, OffsetDateTime.class);
        }
        return rs.getObject(i, LocalDateTime.class);
      case Types.OTHER:
        return rs.getString(i);
      default:
        if (typeName.equalsIgnoreCase("json") || typeName.equalsIgnoreCase("jsonb")) {
          return rs.getString(i);
        }
        return rs.getObject(i);
    }
  }
}
