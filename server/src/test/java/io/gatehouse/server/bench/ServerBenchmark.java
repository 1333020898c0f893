package io.gatehouse.server.bench;

import io.gatehouse.adapter.postgresql.testing.PostgresFixture;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.QueryOptions;
import io.gatehouse.core.QueryResult;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.config.GatehouseConfig;
import io.gatehouse.server.GatehouseServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Prints how fast results stream through Gatehouse compared with reading PostgreSQL directly, and
 * the latency Gatehouse adds to a point query. Figures, not assertions: run it with
 * {@code mvn -B -Pbenchmark -DskipTests -pl server -am verify}.
 *
 * <p>Setup: a table of 1,000,000 rows (bigint, text, numeric(12,2), timestamptz) in the embedded
 * PostgreSQL 16. Each stream is read whole, every column of every row, three times after a warm-up;
 * the median is reported.
 */
public final class ServerBenchmark {
  private static final int ROWS = 1_000_000;
  private static final int RUNS = 3;

  private ServerBenchmark() {}

  public static void main(String[] args) throws Exception {
    PostgresFixture pg = PostgresFixture.get();
    try (Connection admin = pg.adminConnection(); Statement s = admin.createStatement()) {
      s.execute("create schema if not exists bench");
      s.execute("create table if not exists bench.million as select g::bigint as id,"
          + " 'row number ' || g as label, (g % 100000) / 100.0 ::numeric(12,2) as amount,"
          + " timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second' as created_at"
          + " from generate_series(1, " + ROWS + ") g");
      s.execute("create index if not exists million_id on bench.million(id)");
      s.execute("grant usage on schema bench to " + pg.readerUser());
      s.execute("grant select on bench.million to " + pg.readerUser());
      s.execute("analyze bench.million");
    }
    GatehouseConfig config = ConfigLoader.withDiscoveredAdapters().fromMap(Map.of(
        "engine", Map.of("maxRows", 2_000_000, "queryTimeout", "10m", "fetchSize", 10_000),
        "sources", List.of(Map.of("id", "pg", "type", "postgresql", "host", pg.host(),
            "port", pg.port(), "database", pg.database(), "user", pg.readerUser(),
            "password", pg.readerPassword(), "tls", "disable", "schemas", List.of("bench")))));
    try (Gatehouse engine = Gatehouse.open(config);
        GatehouseServer server = new GatehouseServer(engine, config.server(), null, null, 0, false)) {
      server.start();
      String sql = "select id, label, amount, created_at from bench.million";

      double direct = median(() -> {
        try (Connection c = pg.readerConnection()) {
          c.setAutoCommit(false);
          try (Statement st = c.createStatement()) {
            st.setFetchSize(10_000);
            return drain(st.executeQuery(sql));
          }
        }
      });
      double embedded = median(() -> {
        long n = 0;
        try (QueryResult r = engine.query("select id, label, amount, created_at from pg.bench.million",
            List.of(), QueryOptions.defaults())) {
          while (r.next()) {
            for (int i = 0; i < 4; i++) {
              r.get(i);
            }
            n++;
          }
        }
        return n;
      });
      double embeddedJdbc = median(() -> {
        try (Connection c = io.gatehouse.core.jdbc.GatehouseDriver.connect(engine, new Properties());
            Statement st = c.createStatement()) {
          return drain(st.executeQuery("select id, label, amount, created_at from pg.bench.million"));
        }
      });
      double remote = median(() -> {
        Properties p = new Properties();
        p.setProperty("url", server.url());
        p.setProperty("serialization", "protobuf");
        try (Connection c = DriverManager.getConnection("jdbc:avatica:remote:", p);
            Statement st = c.createStatement()) {
          st.setFetchSize(10_000);
          return drain(st.executeQuery("select id, label, amount, created_at from pg.bench.million"));
        }
      });

      long[] directLatency = pointQueries(pg.readerConnection(), "select * from bench.million where id = ?");
      Properties p = new Properties();
      p.setProperty("url", server.url());
      p.setProperty("serialization", "protobuf");
      long[] remoteLatency = pointQueries(DriverManager.getConnection("jdbc:avatica:remote:", p),
          "select * from pg.bench.million where id = ?");

      System.out.println();
      System.out.println("Streaming " + ROWS + " rows x 4 columns (median of " + RUNS + " runs)");
      System.out.printf("  %-34s %12s %8s%n", "path", "rows/s", "ratio");
      print("direct PostgreSQL JDBC", direct, direct);
      print("Gatehouse embedded (Java API)", embedded, direct);
      print("Gatehouse embedded (JDBC driver)", embeddedJdbc, direct);
      print("Gatehouse server (Avatica protobuf)", remote, direct);
      System.out.println();
      System.out.printf("Point query p50: direct %.2f ms, through the server %.2f ms, added %.2f ms%n",
          directLatency[0] / 1e6, remoteLatency[0] / 1e6, (remoteLatency[0] - directLatency[0]) / 1e6);
      System.out.printf("Point query p95: direct %.2f ms, through the server %.2f ms%n",
          directLatency[1] / 1e6, remoteLatency[1] / 1e6);
    }
  }

  private interface Run {
    long rows() throws Exception;
  }

  private static double median(Run run) throws Exception {
    run.rows();
    double[] rates = new double[RUNS];
    for (int i = 0; i < RUNS; i++) {
      long start = System.nanoTime();
      long n = run.rows();
      if (n != ROWS) {
        throw new IllegalStateException("read " + n + " rows, expected " + ROWS);
      }
      rates[i] = n / ((System.nanoTime() - start) / 1e9);
    }
    Arrays.sort(rates);
    return rates[RUNS / 2];
  }

  private static long drain(ResultSet rs) throws Exception {
    long n = 0;
    try (rs) {
      while (rs.next()) {
        rs.getLong(1);
        rs.getString(2);
        rs.getBigDecimal(3);
        rs.getTimestamp(4);
        n++;
      }
    }
    return n;
  }

  /** p50 and p95 in nanoseconds of 300 point queries after 50 warm-up ones. */
  private static long[] pointQueries(Connection c, String sql) throws Exception {
    List<Long> times = new ArrayList<>();
    try (c; PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < 350; i++) {
        ps.setLong(1, 1 + (i * 7919L) % ROWS);
        long start = System.nanoTime();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rs.getString(2);
          }
        }
        if (i >= 50) {
          times.add(System.nanoTime() - start);
        }
      }
    }
    times.sort(null);
    return new long[] {times.get(times.size() / 2), times.get(times.size() * 95 / 100)};
  }

  private static void print(String name, double rate, double direct) {
    System.out.printf("  %-34s %12.0f %7.2fx%n", name, rate, rate / direct);
  }
}
