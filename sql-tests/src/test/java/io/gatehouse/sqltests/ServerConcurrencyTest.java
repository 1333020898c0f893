package io.gatehouse.sqltests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.config.GatehouseConfig;
import io.gatehouse.server.Credentials;
import io.gatehouse.server.GatehouseServer;
import io.gatehouse.server.auth.PasswordHasher;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

/**
 * 32 clients through the JDBC server at once, for a bounded time (15 s; {@code
 * -Dconcurrency.seconds=N} for longer), each on its own Avatica connection running a mix of
 * point lookups (prepared), aggregates at each source, a cross-source join, a 20,000-row stream
 * and a metadata call, against the shared real PostgreSQL and MariaDB with default pool settings.
 *
 * <p>Every answer must equal the one a single client got before the load (so concurrency changes
 * nothing), no query may fail, and afterwards no server connection, pooled source connection or
 * statement at PostgreSQL may be left over, and the heap after a full GC may not have grown by
 * more than 64 MB. Throughput, latency percentiles and heap figures are printed, not asserted.
 */
class ServerConcurrencyTest {
  private static final int CLIENTS = 32;
  private static final long SECONDS = Long.getLong("concurrency.seconds", 15);
  private static final String PASSWORD = "load-client-password-77";

  private static final String POINT = "select name, country from shop.public.customers where id = ?";
  private static final String[] QUERIES = {
      "select status, count(*) as n from shop.public.orders group by status order by status",
      "select a.tier, count(*) as n from shop.public.customers c join crm.crm.accounts a"
          + " on a.customer_id = c.id group by a.tier order by a.tier",
      "select count(*), count(email), max(last_name) from crm.crm.contacts",
      "select id, kind, amount from shop.public.events where id <= 20000 order by id",
  };
  private static final String[] KINDS = {"point", "aggregate", "cross-source", "mariadb", "stream",
      "metadata"};

  @Test
  void thirtyTwoClientsGetTheRightAnswersAndLeaveNothingBehind() throws Exception {
    GatehouseConfig config = ConfigLoader.withDiscoveredAdapters().fromMap(Map.of(
        "engine", Map.of("maxRows", 100_000, "queryTimeout", "60s"),
        "audit", Map.of("destination", "none"),
        "sources", List.of(TwoSources.postgresSource("shop", "public"),
            TwoSources.mariadbSource("crm", "crm")),
        "server", Map.of("maxConnectionsPerUser", CLIENTS + 4,
            "users", List.of(Map.of("name", "load",
                "passwordHash", new PasswordHasher().hash(PASSWORD.toCharArray()),
                "sources", List.of("shop", "crm"))))));
    try (Gatehouse engine = Gatehouse.open(config);
        GatehouseServer server = new GatehouseServer(engine, config.server(),
            Credentials.of(config.server()), null, 0, false)) {
      server.start();

      // What one client alone gets: the answer every concurrent run must match.
      List<List<String>> points = new ArrayList<>();
      List<List<List<String>>> expected = new ArrayList<>();
      int tables;
      try (Connection c = connect(server)) {
        for (int id = 1; id <= 100; id++) {
          points.add(point(c, id));
        }
        for (String q : QUERIES) {
          expected.add(rows(c, q));
        }
        tables = tables(c);
      }
      assertEquals(20_000, expected.get(3).size());

      long heapBefore = usedHeapAfterGc();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
      AtomicLongArray counts = new AtomicLongArray(KINDS.length);
      Queue<Long> latencies = new ConcurrentLinkedQueue<>();
      List<Queue<Long>> latencyByKind = new ArrayList<>();
      for (int k = 0; k < KINDS.length; k++) {
        latencyByKind.add(new ConcurrentLinkedQueue<>());
      }
      Queue<String> errors = new ConcurrentLinkedQueue<>();
      CountDownLatch ready = new CountDownLatch(CLIENTS);
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      List<Future<?>> running = new ArrayList<>();
      for (int n = 0; n < CLIENTS; n++) {
        int client = n;
        running.add(clients.submit(() -> {
          Random random = new Random(client);
          try (Connection c = connect(server);
              PreparedStatement ps = c.prepareStatement(POINT)) {
            ready.countDown();
            ready.await();
            while (System.nanoTime() < deadline) {
              int kind = random.nextInt(KINDS.length);
              long start = System.nanoTime();
              try {
                if (kind == 0) {
                  int id = 1 + random.nextInt(100);
                  ps.setInt(1, id);
                  try (ResultSet rs = ps.executeQuery()) {
                    check(errors, "point " + id, List.of(points.get(id - 1)), read(rs));
                  }
                } else if (kind == KINDS.length - 1) {
                  int t = tables(c);
                  if (t != tables) {
                    errors.add("metadata: " + t + " tables instead of " + tables);
                  }
                } else {
                  check(errors, KINDS[kind], expected.get(kind - 1), rows(c, QUERIES[kind - 1]));
                }
              } catch (SQLException | RuntimeException e) {
                errors.add(KINDS[kind] + ": " + e);
              }
              latencies.add(System.nanoTime() - start);
              latencyByKind.get(kind).add(System.nanoTime() - start);
              counts.incrementAndGet(kind);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : running) {
        f.get(SECONDS + 120, TimeUnit.SECONDS);
      }
      clients.shutdown();

      long heapAfter = usedHeapAfterGc();
      long total = 0;
      StringBuilder perKind = new StringBuilder();
      for (int k = 0; k < KINDS.length; k++) {
        total += counts.get(k);
        long[] mine = latencyByKind.get(k).stream().mapToLong(Long::longValue).sorted().toArray();
        perKind.append(k == 0 ? "" : ", ").append(KINDS[k]).append(' ').append(counts.get(k))
            .append(String.format(" (p50 %.1f ms)", ms(mine, 0.5)));
      }
      long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
      System.out.printf("concurrency: %d clients for %d s through the server: %d queries (%.0f/s;"
              + " %s), latency p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms; errors %d;"
              + " heap after GC %d MB before, %d MB after; pools after: shop %s, crm %s%n",
          CLIENTS, SECONDS, total, total / (double) SECONDS, perKind, ms(sorted, 0.50),
          ms(sorted, 0.95), ms(sorted, 0.99), ms(sorted, 1.0), errors.size(), heapBefore >> 20,
          heapAfter >> 20, engine.connector("shop").poolStats(), engine.connector("crm").poolStats());

      assertTrue(errors.isEmpty(), () -> errors.size() + " failures, first: " + errors.peek());
      assertTrue(total > CLIENTS, "every client ran queries: " + total);
      assertEquals(0, server.meta().openConnections(), "every client connection closed");
      for (String source : List.of("shop", "crm")) {
        for (int i = 0; i < 50 && engine.connector(source).poolStats().active() > 0; i++) {
          Thread.sleep(100);
        }
        assertEquals(0, engine.connector(source).poolStats().active(), source + " pool back to idle");
      }
      assertEquals(0, TwoSources.PG.activeStatements("%shop%"), "nothing left running at PostgreSQL");
      assertTrue(heapAfter - heapBefore < 64L << 20, "heap grew from " + (heapBefore >> 20)
          + " MB to " + (heapAfter >> 20) + " MB");
    }
  }

  private static Connection connect(GatehouseServer server) throws SQLException {
    return RemoteClients.connect(server.url(), "load", PASSWORD);
  }

  private static List<String> point(Connection c, int id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(POINT)) {
      ps.setInt(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        List<List<String>> rows = read(rs);
        assertEquals(1, rows.size(), "customer " + id);
        return rows.get(0);
      }
    }
  }

  private static List<List<String>> rows(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return read(rs);
    }
  }

  private static List<List<String>> read(ResultSet rs) throws SQLException {
    int n = rs.getMetaData().getColumnCount();
    List<List<String>> out = new ArrayList<>();
    while (rs.next()) {
      String[] row = new String[n];
      for (int i = 0; i < n; i++) {
        row[i] = rs.getString(i + 1);
      }
      out.add(Arrays.asList(row));
    }
    return out;
  }

  private static int tables(Connection c) throws SQLException {
    int n = 0;
    try (ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
      while (rs.next()) {
        n++;
      }
    }
    return n;
  }

  private static void check(Queue<String> errors, String what, List<List<String>> expected,
      List<List<String>> actual) {
    if (!expected.equals(actual)) {
      errors.add(what + ": " + actual.size() + " rows differ from the single-client answer ("
          + expected.size() + " rows)");
    }
  }

  private static double ms(long[] sorted, double quantile) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
    return sorted[Math.max(0, i)] / 1e6;
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
