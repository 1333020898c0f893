package io.gatehouse.server.bench;

import io.gatehouse.adapter.postgresql.testing.PostgresFixture;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.catalog.SourceCatalog;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.introspect.IntrospectOptions;
import io.gatehouse.core.introspect.SourceModel;
import io.gatehouse.core.jdbc.GatehouseDriver;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Prints what reading a large catalog costs: 1,000 tables of 20 columns each (with primary keys
 * and comments) in the embedded PostgreSQL, read cold by introspection and by JDBC metadata, with
 * the number of statements sent to PostgreSQL (counted on the connection the catalog is read with).
 * Run with {@code mvn -B -Pbenchmark -DskipTests -pl server -am verify}.
 */
public final class CatalogBenchmark {
  private static final int TABLES = 1_000;
  private static final int COLUMNS = 20;
  private static final int RUNS = 5;
  private static final String[] TYPES = {"integer", "bigint", "text", "varchar(40)", "numeric(12,2)",
      "timestamptz", "date", "boolean", "double precision", "jsonb"};

  private CatalogBenchmark() {}

  public static void main(String[] args) throws Exception {
    PostgresFixture pg = PostgresFixture.get();
    long setup = System.nanoTime();
    try (Connection admin = pg.adminConnection(); Statement s = admin.createStatement()) {
      admin.setAutoCommit(false);
      s.execute("drop schema if exists bench_catalog cascade");
      s.execute("create schema bench_catalog");
      for (int t = 0; t < TABLES; t++) {
        StringBuilder ddl = new StringBuilder("create table bench_catalog.t").append(t).append(" (c0 bigint primary key");
        for (int c = 1; c < COLUMNS; c++) {
          ddl.append(", c").append(c).append(' ').append(TYPES[c % TYPES.length]);
        }
        s.addBatch(ddl.append(')').toString());
        s.addBatch("comment on table bench_catalog.t" + t + " is 'table number " + t + "'");
      }
      s.executeBatch();
      s.execute("grant usage on schema bench_catalog to " + pg.readerUser());
      s.execute("grant select on all tables in schema bench_catalog to " + pg.readerUser());
      admin.commit();
    }
    System.out.printf("setup: %d tables x %d columns created in %.1f s%n", TABLES, COLUMNS,
        (System.nanoTime() - setup) / 1e9);
    try (Gatehouse engine = Gatehouse.open(ConfigLoader.withDiscoveredAdapters().fromMap(Map.of(
        "sources", List.of(Map.of("id", "pg", "type", "postgresql", "host", pg.host(),
            "port", pg.port(), "database", pg.database(), "user", pg.readerUser(),
            "password", pg.readerPassword(), "tls", "disable",
            "schemas", List.of("bench_catalog"))))))) {
      List<Double> introspect = new ArrayList<>();
      List<Double> jdbc = new ArrayList<>();
      SourceCatalog.LoadStats stats = null;
      int tables = 0;
      long columns = 0;
      for (int run = 0; run <= RUNS; run++) {
        engine.refreshMetadata("pg");
        long t0 = System.nanoTime();
        SourceModel m = engine.introspect("pg", IntrospectOptions.defaults());
        double seconds = (System.nanoTime() - t0) / 1e9;
        stats = engine.catalogStats("pg");
        tables = m.schemas().get(0).tables().size();
        columns = m.schemas().get(0).tables().stream().mapToLong(x -> x.columns().size()).sum();
        engine.refreshMetadata("pg");
        long t1 = System.nanoTime();
        long jdbcColumns = 0;
        try (Connection c = GatehouseDriver.connect(engine, new Properties());
            ResultSet rs = c.getMetaData().getColumns("pg", "bench_catalog", "%", "%")) {
          while (rs.next()) {
            jdbcColumns++;
          }
        }
        double jdbcSeconds = (System.nanoTime() - t1) / 1e9;
        if (jdbcColumns != columns) {
          throw new IllegalStateException("JDBC getColumns saw " + jdbcColumns + " columns, not " + columns);
        }
        if (run > 0) { // run 0 warms up
          introspect.add(seconds);
          jdbc.add(jdbcSeconds);
        }
      }
      System.out.printf("introspect (cold cache): %d tables, %d columns, median %.3f s, %d statements"
          + " sent to PostgreSQL%n", tables, columns, median(introspect), stats.statements());
      System.out.printf("JDBC getColumns (cold cache): median %.3f s%n", median(jdbc));
      long t2 = System.nanoTime();
      engine.introspect("pg", IntrospectOptions.defaults());
      System.out.printf("introspect (warm cache): %.3f s, 0 statements%n", (System.nanoTime() - t2) / 1e9);
    } finally {
      try (Connection admin = pg.adminConnection(); Statement s = admin.createStatement()) {
        s.execute("drop schema if exists bench_catalog cascade");
      }
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
