package io.gatehouse.sqltests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.ConnectionCheck;
import io.gatehouse.core.QueryResult;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.config.GatehouseConfig;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import io.gatehouse.core.spi.SourceConnector.PoolStats;
import io.gatehouse.core.testing.FixtureSupport;
import io.gatehouse.server.Credentials;
import io.gatehouse.server.GatehouseServer;
import io.gatehouse.server.auth.PasswordHasher;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Faults against a real PostgreSQL and a real MariaDB that the test stops and starts
 * ({@link RestartablePostgres}, {@link RestartableMariaDb}):
 * a source down when the engine starts, a source stopped in the middle of a query, an exhausted
 * pool, a slow query against its timeout, a client that cancels mid-stream and clients that stop
 * reading a large result, through the API and through the JDBC server. After each fault the
 * properties are the same: a coded error (never a driver's message), every pooled connection
 * back to idle, nothing still running or holding a transaction at the source, and the next query
 * works without restarting anything.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SourceFaultsTest {
  private static final int BIG_ROWS = 300_000;
  /** A cross join of 20,000 rows with itself: minutes of work, so it is running when we act. */
  private static final String LONG_QUERY = "select count(*) from flaky.public.pairs a,"
      + " flaky.public.pairs b where a.id + b.id > 17";
  private static final String LONG_AT_SOURCE = "%\"a\".\"id\" + \"b\".\"id\"%";
  private static final String BIG_QUERY = "select id, payload from flaky.public.big";

  private static final String MARIADB_LONG_QUERY = "select count(*) from flakymy.faults.pairs a,"
      + " flakymy.faults.pairs b where a.id + b.id > 17";

  private RestartablePostgres pg;
  private RestartableMariaDb maria;

  @BeforeAll
  void createServers() {
    long pid = ProcessHandle.current().pid();
    pg = new RestartablePostgres(Path.of("target", "faults-postgres-" + pid));
    maria = new RestartableMariaDb(Path.of("target", "faults-mariadb-" + pid).toAbsolutePath());
  }

  @AfterAll
  void stopServers() {
    pg.close();
    maria.close();
  }

  private void startMariaDbWithData() throws SQLException {
    maria.start();
    try (Connection c = maria.adminConnection(""); Statement s = c.createStatement()) {
      s.execute("create database if not exists faults");
      s.execute("use faults");
      s.execute("create table if not exists pairs (id int primary key)");
      s.execute("insert ignore into pairs select seq from seq_1_to_20000");
    }
  }

  private GatehouseConfig mariaDbConfig() {
    return ConfigLoader.withDiscoveredAdapters().fromMap(Map.of(
        "engine", Map.of("maxRows", 1_000_000, "queryTimeout", "60s"),
        "audit", Map.of("destination", "none"),
        "sources", List.of(Map.of("id", "flakymy", "type", "mariadb", "host", "127.0.0.1",
            "port", maria.port(), "user", RestartableMariaDb.USER,
            "password", "unchecked-without-grant-tables", "tls", "disable",
            "schemas", List.of("faults"), "pool", Map.of("maxSize", 2, "connectionTimeout", "1s")))));
  }

  /** Statements matching the LIKE pattern running at MariaDB, after up to five seconds to end. */
  private int mariaDbRunning(String likePattern) throws Exception {
    return FixtureSupport.awaitZero(() -> {
      try (Connection c = maria.adminConnection(""); java.sql.PreparedStatement ps = c.prepareStatement(
          "select count(*) from information_schema.processlist where command in ('Query', 'Execute')"
              + " and id <> connection_id() and info like ?")) {
        ps.setString(1, likePattern);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      }
    });
  }

  @Test
  void aMariaDbDownAtStartServesQueriesOnceItIsUp() throws Exception {
    maria.stop();
    try (Gatehouse engine = Gatehouse.open(mariaDbConfig())) {
      GatehouseException down = codedFailure(
          () -> count(engine, "select count(*) from flakymy.faults.pairs"));
      assertEquals(ErrorCode.SOURCE_UNAVAILABLE, down.code(), down.getMessage());
      startMariaDbWithData();
      assertEquals(20_000, count(engine, "select count(*) from flakymy.faults.pairs"));
      assertEquals(0, engine.connector("flakymy").poolStats().active());
    }
  }

  @Test
  void aMariaDbStoppedMidQueryFailsCleanlyAndServesAgainAfterRestart() throws Exception {
    startMariaDbWithData();
    try (Gatehouse engine = Gatehouse.open(mariaDbConfig())) {
      CompletableFuture<Long> running = inBackground(engine, MARIADB_LONG_QUERY);
      for (int i = 0; i < 100 && mariaDbRunningNow(); i++) {
        Thread.sleep(50);
      }
      assertFalse(mariaDbRunningNow(), "the long query is running at MariaDB when it stops");
      maria.stop();
      GatehouseException e = failureOf(running);
      assertEquals(ErrorCode.SOURCE_UNAVAILABLE, e.code(), e.getMessage());
      for (int i = 0; i < 50 && engine.connector("flakymy").poolStats().active() > 0; i++) {
        Thread.sleep(100);
      }
      assertEquals(0, engine.connector("flakymy").poolStats().active());
      startMariaDbWithData();
      assertEquals(20_000, count(engine, "select count(*) from flakymy.faults.pairs"),
          "the pool replaces the connections the restart broke");
      assertEquals(0, mariaDbRunning("%a`.`id` + `b`.`id%"));
    }
  }

  /** True until the long query shows up in MariaDB's process list. */
  private boolean mariaDbRunningNow() throws Exception {
    try (Connection c = maria.adminConnection(""); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from information_schema.processlist"
            + " where command in ('Query', 'Execute') and info like '%pairs%' and id <> connection_id()")) {
      rs.next();
      return rs.getInt(1) == 0;
    }
  }

  private void startWithData() throws SQLException {
    pg.start();
    try (Connection c = pg.adminConnection(); Statement s = c.createStatement()) {
      s.execute("create table if not exists pairs as select i as id from generate_series(1, 20000) i");
      s.execute("create table if not exists big as select i as id, repeat('x', 40) || i as payload"
          + " from generate_series(1, " + BIG_ROWS + ") i");
    }
  }

  private GatehouseConfig config(String queryTimeout, int poolSize) {
    return ConfigLoader.withDiscoveredAdapters().fromMap(Map.of(
        "engine", Map.of("maxRows", 1_000_000, "queryTimeout", queryTimeout),
        "audit", Map.of("destination", "none"),
        "sources", List.of(Map.of("id", "flaky", "type", "postgresql", "host", "localhost",
            "port", pg.port(), "database", RestartablePostgres.DATABASE,
            "user", RestartablePostgres.USER, "password", "unchecked-under-trust", "tls", "disable",
            "schemas", List.of("public"),
            "pool", Map.of("maxSize", poolSize, "connectionTimeout", "1s")))));
  }

  private static PoolStats pool(Gatehouse engine) {
    return engine.connector("flaky").poolStats();
  }

  /** Waits up to five seconds for every pooled connection to be back in the pool. */
  private static void assertPoolIdle(Gatehouse engine) throws InterruptedException {
    for (int i = 0; i < 50 && pool(engine).active() > 0; i++) {
      Thread.sleep(100);
    }
    assertEquals(0, pool(engine).active(), () -> "connections still in use: " + pool(engine));
  }

  private static long count(Gatehouse engine, String sql) {
    try (QueryResult r = engine.query(sql)) {
      assertTrue(r.next());
      return ((Number) r.get(0)).longValue();
    }
  }

  private static GatehouseException codedFailure(Supplier<?> action) {
    GatehouseException e = assertThrows(GatehouseException.class, action::get);
    assertFalse(e.getMessage().contains("PSQLException") || e.getMessage().contains("FATAL"),
        () -> "a driver message leaked: " + e.getMessage());
    return e;
  }

  /** Runs a query to its end on another thread; the future fails with what the query threw. */
  private static CompletableFuture<Long> inBackground(Gatehouse engine, String sql) {
    return CompletableFuture.supplyAsync(() -> {
      long rows = 0;
      try (QueryResult r = engine.query(sql)) {
        while (r.next()) {
          rows++;
        }
      }
      return rows;
    });
  }

  private static GatehouseException failureOf(CompletableFuture<?> f) throws Exception {
    try {
      f.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GatehouseException g) {
        return g;
      }
      throw new AssertionError("not a coded error", e.getCause());
    }
    throw new AssertionError("the query should have failed");
  }

  private void awaitRunningAtSource() throws Exception {
    for (int i = 0; i < 100; i++) {
      try (Connection c = pg.adminConnection(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select count(*) from pg_stat_activity where state = 'active'"
              + " and query like '" + LONG_AT_SOURCE + "'")) {
        rs.next();
        if (rs.getInt(1) > 0) {
          return;
        }
      }
      Thread.sleep(50);
    }
    fail("the long query never started at the source");
  }

  @Test
  void aSourceDownAtStartServesQueriesOnceItIsUp() throws Exception {
    pg.stop();
    try (Gatehouse engine = Gatehouse.open(config("30s", 2))) {
      GatehouseException down = codedFailure(() -> count(engine, "select count(*) from flaky.public.big"));
      assertEquals(ErrorCode.SOURCE_UNAVAILABLE, down.code(), down.getMessage());
      assertTrue(down.getMessage().contains("'flaky'"), down.getMessage());
      ConnectionCheck check = engine.testConnection("flaky");
      assertFalse(check.ok());
      assertEquals(ErrorCode.SOURCE_UNAVAILABLE, check.code());
      assertPoolIdle(engine);

      startWithData();
      assertEquals(BIG_ROWS, count(engine, "select count(*) from flaky.public.big"),
          "the same engine, without a restart, serves the source once it is up");
      assertTrue(engine.testConnection("flaky").ok());
      assertPoolIdle(engine);
    }
  }

  @Test
  void aSourceStoppedMidQueryFailsCleanlyAndServesAgainAfterRestart() throws Exception {
    startWithData();
    try (Gatehouse engine = Gatehouse.open(config("60s", 3))) {
      assertEquals(BIG_ROWS, count(engine, "select count(*) from flaky.public.big"));
      CompletableFuture<Long> running = inBackground(engine, LONG_QUERY);
      awaitRunningAtSource();
      pg.stop();
      GatehouseException e = failureOf(running);
      assertEquals(ErrorCode.SOURCE_UNAVAILABLE, e.code(), e.getMessage());
      assertPoolIdle(engine);

      GatehouseException stillDown = codedFailure(() -> count(engine, "select count(*) from flaky.public.big"));
      assertEquals(ErrorCode.SOURCE_UNAVAILABLE, stillDown.code(), stillDown.getMessage());

      startWithData();
      assertEquals(BIG_ROWS, count(engine, "select count(*) from flaky.public.big"),
          "the pool replaces the connections the restart broke");
      assertPoolIdle(engine);
      assertEquals(0, pg.busySessions(LONG_AT_SOURCE));
    }
  }

  @Test
  void anExhaustedPoolGivesACodedErrorAndRecovers() throws Exception {
    startWithData();
    try (Gatehouse engine = Gatehouse.open(config("60s", 2))) {
      CompletableFuture<Long> first = inBackground(engine, LONG_QUERY);
      CompletableFuture<Long> second = inBackground(engine, LONG_QUERY);
      for (int i = 0; i < 100 && pool(engine).active() < 2; i++) {
        Thread.sleep(50);
      }
      assertEquals(2, pool(engine).active(), "both connections are busy");
      GatehouseException full = codedFailure(() -> count(engine, "select count(*) from flaky.public.big"));
      assertEquals(ErrorCode.RESOURCE_LIMIT, full.code(), full.getMessage());
      assertTrue(full.getMessage().contains("pool.maxSize"), full.getMessage());

      engine.close(); // ends the two long queries: they fail, and their connections go back
      assertEquals(ErrorCode.SOURCE_UNAVAILABLE, failureOf(first).code());
      assertEquals(ErrorCode.SOURCE_UNAVAILABLE, failureOf(second).code());
      assertEquals(0, pg.busySessions(LONG_AT_SOURCE), "nothing is left running at the source");
    }
    try (Gatehouse engine = Gatehouse.open(config("60s", 2))) {
      assertEquals(BIG_ROWS, count(engine, "select count(*) from flaky.public.big"));
    }
  }

  @Test
  void aSlowQueryIsStoppedAtItsTimeoutAtTheSource() throws Exception {
    startWithData();
    try (Gatehouse engine = Gatehouse.open(config("1s", 2))) {
      GatehouseException e = codedFailure(() -> count(engine, LONG_QUERY));
      assertEquals(ErrorCode.QUERY_TIMEOUT, e.code(), e.getMessage());
      assertEquals(0, pg.busySessions(LONG_AT_SOURCE), "the source stopped the statement too");
      assertPoolIdle(engine);
      assertEquals(20_000, count(engine, "select count(*) from flaky.public.pairs"));
    }
  }

  @Test
  void aClientCancellingMidStreamEndsTheQueryAtTheSource() throws Exception {
    startWithData();
    try (Gatehouse engine = Gatehouse.open(config("60s", 2))) {
      long read = 0;
      GatehouseException cancelled = null;
      try (QueryResult r = engine.query(BIG_QUERY)) {
        while (read < 1_000 && r.next()) {
          read++;
        }
        r.cancel();
        try {
          while (r.next()) {
            read++;
          }
        } catch (GatehouseException e) {
          cancelled = e;
        }
      }
      assertTrue(cancelled != null, "reading on after cancel fails; read " + read + " rows");
      assertEquals(ErrorCode.QUERY_CANCELLED, cancelled.code(), cancelled.getMessage());
      assertTrue(read < BIG_ROWS, "the stream stopped early: " + read);
      assertEquals(0, pg.busySessions("%big%"), "no statement or transaction left at the source");
      assertPoolIdle(engine);
      assertEquals(BIG_ROWS, count(engine, "select count(*) from flaky.public.big"));
    }
  }

  @Test
  void aClientThatStopsReadingAndClosesGivesTheConnectionBack() throws Exception {
    startWithData();
    try (Gatehouse engine = Gatehouse.open(config("60s", 1))) {
      for (int round = 0; round < 5; round++) { // a one-connection pool: a leak fails the next round
        try (QueryResult r = engine.query(BIG_QUERY)) {
          for (int i = 0; i < 10; i++) {
            assertTrue(r.next());
          }
        }
        assertEquals(0, pg.busySessions("%big%"));
        assertPoolIdle(engine);
      }
    }
  }

  /**
   * A remote client reads the first frame of a large result and then neither reads on nor closes.
   * Once the query's time limit has passed, the server closes the result: the source connection
   * goes back to the pool, the transaction at PostgreSQL ends, and the client's next fetch gets
   * QUERY_TIMEOUT instead of rows that silently stop.
   */
  @Test
  void theServerReclaimsAResultItsClientStoppedReading() throws Exception {
    startWithData();
    String password = "faults-client-password-31";
    GatehouseConfig config = ConfigLoader.withDiscoveredAdapters().fromMap(Map.of(
        "engine", Map.of("maxRows", 1_000_000, "queryTimeout", "2s"),
        "audit", Map.of("destination", "none"),
        "sources", List.of(Map.of("id", "flaky", "type", "postgresql", "host", "localhost",
            "port", pg.port(), "database", RestartablePostgres.DATABASE,
            "user", RestartablePostgres.USER, "password", "unchecked-under-trust", "tls", "disable",
            "schemas", List.of("public"))),
        "server", Map.of("users", List.of(Map.of("name", "reader",
            "passwordHash", new PasswordHasher().hash(password.toCharArray()),
            "sources", List.of("flaky"))))));
    try (Gatehouse engine = Gatehouse.open(config);
        GatehouseServer server = new GatehouseServer(engine, config.server(),
            Credentials.of(config.server()), null, 0, false)) {
      server.start();
      try (Connection c = RemoteClients.connect(server.url(), "reader", password);
          Statement s = c.createStatement()) {
        ResultSet rs = s.executeQuery(BIG_QUERY);
        assertTrue(rs.next());
        assertTrue(pool(engine).active() > 0, "the result holds a source connection while open");
        // the client stalls; the query's 2 s limit passes and the server's reclaimer runs each second
        for (int i = 0; i < 100 && pool(engine).active() > 0; i++) {
          Thread.sleep(100);
        }
        assertPoolIdle(engine);
        assertEquals(0, pg.busySessions("%big%"), "no transaction left open at the source");
        // Avatica's client lets a failed fetch out of ResultSet.next() as a runtime exception
        // carrying the server's error code and SQLState.
        AvaticaClientRuntimeException e = assertThrows(AvaticaClientRuntimeException.class, () -> {
          while (rs.next()) {
            // the rows the client already holds, then the fetch that finds the result closed
          }
        });
        assertEquals(ErrorCode.QUERY_TIMEOUT.vendorCode(), e.getErrorCode(), e.getMessage());
        assertTrue(e.getMessage().contains("not read to its end"), e.getMessage());
        try (ResultSet again = s.executeQuery("select count(*) from flaky.public.pairs")) {
          assertTrue(again.next());
          assertEquals(20_000, again.getLong(1), "the statement is usable again");
        }
      }
    }
  }

  @Test
  void anEngineClosingWhileAClientStreamsIsACodedFailure() throws Exception {
    startWithData();
    Gatehouse engine = Gatehouse.open(config("60s", 2));
    try (QueryResult r = engine.query(BIG_QUERY)) {
      assertTrue(r.next());
      engine.close();
      GatehouseException e = assertThrows(GatehouseException.class, () -> {
        while (r.next()) {
          // rows already fetched, then the closed pool
        }
      });
      assertTrue(e.code() == ErrorCode.SOURCE_UNAVAILABLE || e.code() == ErrorCode.QUERY_CANCELLED,
          e.code() + ": " + e.getMessage());
    }
    assertEquals(0, pg.busySessions("%big%"));
  }
}
