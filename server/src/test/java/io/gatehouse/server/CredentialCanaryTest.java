package io.gatehouse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import io.gatehouse.adapter.mysql.testing.MariaDbFixture;
import io.gatehouse.adapter.postgresql.testing.PostgresFixture;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.QueryResult;
import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.config.GatehouseConfig;
import io.gatehouse.core.config.MasterKey;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import io.gatehouse.core.spi.AdapterRegistry;
import io.gatehouse.core.testing.TestCertificates;
import io.gatehouse.server.cli.GatehouseCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The credential canary: every failure we can provoke is run with one distinctive secret as the
 * password, and the secret must appear in no log line (Logback at DEBUG for Gatehouse, HikariCP,
 * Connector/J and Avatica, and the PostgreSQL driver's java.util.logging at FINEST), no exception
 * message or stack trace (causes and suppressed included), no JDBC warning, no HTTP response (status
 * line, headers, body) and no metric.
 *
 * <p>Real sources: a PostgreSQL role and a MariaDB user whose password is the canary, so the
 * scenarios that log in (timeouts, bad SQL) use the secret for real.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CredentialCanaryTest {
  /** Distinctive, and different at each run so that no constant in the code base can match it. */
  private static final String CANARY = "Canary-" + HexFormat.of().formatHex(
      java.security.SecureRandom.getSeed(6)) + "-Sekret";
  private static final String PG_ROLE = "canary_reader";
  private static final String MARIA_USER = "canary_reader";
  private static final String SERVER_PASSWORD = "alice-correct-horse-42";
  private static final List<String> DEBUG_LOGGERS = List.of("io.gatehouse", "com.zaxxer.hikari",
      "com.mysql", "org.apache.calcite.avatica", "org.eclipse.jetty.server");

  private final PostgresFixture pg = PostgresFixture.get();
  private final MariaDbFixture maria = MariaDbFixture.get();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final List<String> julLogs = new CopyOnWriteArrayList<>();
  private final Map<String, Level> savedLevels = new HashMap<>();
  private final java.util.logging.Logger pgJul = java.util.logging.Logger.getLogger("org.postgresql");
  private java.util.logging.Level savedPgLevel;
  private final Handler julHandler = new Handler() {
    @Override
    public void publish(LogRecord r) {
      StringBuilder b = new StringBuilder(String.valueOf(r.getMessage()));
      if (r.getParameters() != null) {
        for (Object p : r.getParameters()) {
          b.append(' ').append(p);
        }
      }
      if (r.getThrown() != null) {
        b.append(' ').append(stackTrace(r.getThrown()));
      }
      julLogs.add(b.toString());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @TempDir Path dir;

  @BeforeAll
  void start() throws SQLException {
    try (Connection c = pg.adminConnection(); Statement s = c.createStatement()) {
      s.execute("drop role if exists " + PG_ROLE);
      s.execute("create role " + PG_ROLE + " login password '" + CANARY + "' in role " + pg.readerUser());
    }
    try (Connection c = maria.adminConnection(); Statement s = c.createStatement()) {
      s.execute("drop user if exists '" + MARIA_USER + "'@'%'");
      s.execute("create user '" + MARIA_USER + "'@'%' identified by '" + CANARY + "'");
      s.execute("grant select on " + maria.database() + ".* to '" + MARIA_USER + "'@'%'");
    }
    logs.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(logs);
    for (String name : DEBUG_LOGGERS) {
      Logger l = (Logger) LoggerFactory.getLogger(name);
      savedLevels.put(name, l.getLevel());
      l.setLevel(Level.DEBUG);
    }
    savedPgLevel = pgJul.getLevel();
    pgJul.setLevel(java.util.logging.Level.FINEST);
    julHandler.setLevel(java.util.logging.Level.ALL);
    pgJul.addHandler(julHandler);
  }

  @AfterAll
  void stop() throws SQLException {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    savedLevels.forEach((name, level) -> ((Logger) LoggerFactory.getLogger(name)).setLevel(level));
    pgJul.removeHandler(julHandler);
    pgJul.setLevel(savedPgLevel);
    try (Connection c = pg.adminConnection(); Statement s = c.createStatement()) {
      s.execute("drop role if exists " + PG_ROLE);
    }
    try (Connection c = maria.adminConnection(); Statement s = c.createStatement()) {
      s.execute("drop user if exists '" + MARIA_USER + "'@'%'");
    }
  }

  // --- what is checked ---

  private static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  private static void assertClean(String where, String text) {
    assertFalse(text != null && text.contains(CANARY), () -> where + " holds the secret:\n" + text);
  }

  private static void assertClean(String where, Throwable t) {
    assertClean(where + " (message)", String.valueOf(t.getMessage()));
    assertClean(where + " (toString)", t.toString());
    assertClean(where + " (stack trace)", stackTrace(t));
  }

  private static void assertWarningsClean(String where, SQLWarning w) {
    for (SQLWarning x = w; x != null; x = x.getNextWarning()) {
      assertClean(where + " (warning)", (Throwable) x);
    }
  }

  /** Every log line so far, with arguments, MDC and stack traces. */
  private void assertLogsClean() {
    assertFalse(logs.list.isEmpty(), "the debug loggers captured nothing: the capture is broken");
    for (ILoggingEvent e : List.copyOf(logs.list)) {
      StringBuilder b = new StringBuilder(e.getLoggerName()).append(' ').append(e.getFormattedMessage());
      b.append(' ').append(e.getMDCPropertyMap());
      for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
        b.append('\n').append(t.getClassName()).append(": ").append(t.getMessage());
        for (StackTraceElementProxy s : t.getStackTraceElementProxyArray()) {
          b.append("\n  ").append(s);
        }
      }
      assertClean("log line", b.toString());
    }
    julLogs.forEach(l -> assertClean("PostgreSQL driver log", l));
  }

  private <T extends Throwable> T fails(Class<T> type, String where, org.junit.jupiter.api.function.Executable run) {
    T t = assertThrows(type, run, where);
    assertClean(where, t);
    return t;
  }

  // --- configurations ---

  private Map<String, Object> pgSource(String id, String host, String password, String timeout) {
    Map<String, Object> m = new HashMap<>(Map.of("id", id, "type", "postgresql", "host", host,
        "port", pg.port(), "database", pg.database(), "user", PG_ROLE, "password", password,
        "tls", "disable", "schemas", List.of("public"),
        "pool", Map.of("connectionTimeout", "2s")));
    if (timeout != null) {
      m.put("queryTimeout", timeout);
    }
    return m;
  }

  private Map<String, Object> mariaSource(String id, String password) {
    return Map.of("id", id, "type", "mariadb", "host", maria.host(), "port", maria.port(),
        "user", MARIA_USER, "password", password, "tls", "disable",
        "schemas", List.of(maria.database()), "pool", Map.of("connectionTimeout", "2s"));
  }

  private Gatehouse engine(Map<String, Object> config) {
    GatehouseConfig c = ConfigLoader.withDiscoveredAdapters().fromMap(config);
    assertClean("config toString", c.toString());
    return Gatehouse.open(c);
  }

  private static long drain(QueryResult r) {
    long n = 0;
    try (r) {
      while (r.next()) {
        n++;
      }
    }
    return n;
  }

  // --- scenarios at the engine ---

  @Test
  void wrongPasswordsUnknownHostsTlsFailuresTimeoutsAndBadSql() {
    Map<String, Object> config = Map.of("engine", Map.of("queryTimeout", "30s"), "sources", new ArrayList<>(List.of(
        pgSource("pg_ok", pg.host(), CANARY, "300ms"),
        pgSource("pg_wrong", pg.host(), CANARY + "-wrong", null),
        pgSource("pg_nohost", "no-such-host.invalid", CANARY, null),
        pgSource("pg_closed", "127.0.0.1", CANARY, null),
        mariaSource("maria_ok", CANARY),
        mariaSource("maria_wrong", CANARY + "-wrong"))));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> sources = (List<Map<String, Object>>) config.get("sources");
    sources.get(3).put("port", closedPort());
    Map<String, Object> tls = pgSource("pg_tls", PostgresFixture.TLS_HOST, CANARY, null);
    tls.put("tls", "verify-full");
    tls.put("caFile", TestCertificates.authority(dir, "unrelated").pem().toString());
    config = Map.of("engine", config.get("engine"), "sources",
        java.util.stream.Stream.concat(sources.stream(), java.util.stream.Stream.of(tls)).toList());
    try (Gatehouse g = engine(config)) {
      assertEquals(100, drain(g.query("select id from pg_ok.public.customers")), "the canary logs in");
      assertEquals(ErrorCode.SOURCE_AUTH_FAILED, fails(GatehouseException.class, "wrong password PG",
          () -> drain(g.query("select 1 from pg_wrong.public.customers"))).code());
      assertEquals(ErrorCode.SOURCE_AUTH_FAILED, fails(GatehouseException.class, "wrong password MariaDB",
          () -> drain(g.query("select 1 from maria_wrong.crm.accounts"))).code());
      assertEquals(ErrorCode.SOURCE_UNAVAILABLE, fails(GatehouseException.class, "unknown host",
          () -> drain(g.query("select 1 from pg_nohost.public.customers"))).code());
      assertEquals(ErrorCode.SOURCE_UNAVAILABLE, fails(GatehouseException.class, "closed port",
          () -> drain(g.query("select 1 from pg_closed.public.customers"))).code());
      assertEquals(ErrorCode.TLS_VERIFICATION_FAILED, fails(GatehouseException.class, "TLS failure",
          () -> drain(g.query("select 1 from pg_tls.public.customers"))).code());
      assertEquals(ErrorCode.QUERY_TIMEOUT, fails(GatehouseException.class, "timeout",
          () -> drain(g.query("select count(*) from pg_ok.public.events a, pg_ok.public.events b"
              + " where a.id < 100 and b.id + a.id > 0"))).code());
      assertEquals(ErrorCode.SQL_SYNTAX, fails(GatehouseException.class, "bad SQL",
          () -> drain(g.query("select id from pg_ok.public.customers where"))).code());
      assertEquals(ErrorCode.SQL_VALIDATION, fails(GatehouseException.class, "unknown column",
          () -> drain(g.query("select nope from maria_ok.crm.accounts"))).code());
      assertEquals(ErrorCode.QUERY_REJECTED, fails(GatehouseException.class, "DML",
          () -> drain(g.query("delete from pg_ok.public.customers"))).code());
      assertEquals(ErrorCode.DATA_ERROR, fails(GatehouseException.class, "division by zero at the source",
          () -> drain(g.query("select id / (id - id) from pg_ok.public.customers"))).code());
      g.testConnections().forEach(check -> assertClean("connection check", check.toString()));
    }
    assertLogsClean();
  }

  // --- configuration files ---

  @Test
  void malformedConfigurationsNeverEchoTheSecret() throws IOException {
    ConfigLoader loader = new ConfigLoader(AdapterRegistry.discover(), Map.of("PW", CANARY));
    String good = "sources:\n  - id: shop\n    type: postgresql\n    host: h\n    database: d\n"
        + "    user: u\n";
    List<String> broken = List.of(
        good + "    password: " + CANARY + "\n",                      // plain text refused
        good + "    password: " + CANARY + ": [\n",                   // YAML syntax error on its line
        good + "    password: \"" + CANARY + "\n",                    // unterminated quote
        good + "    password: [" + CANARY + "]\n",                    // wrong type
        good + "    passwrd: " + CANARY + "\n",                       // unknown key (did you mean)
        good + "    password: ${nope:" + CANARY + "}\n",              // malformed reference
        good + "    password: \"${env:" + CANARY + "\"\n",             // unterminated reference
        "allowPlaintextSecrets: true\n" + good + "    password: " + CANARY + "\n    port: 0\n",
        good + "    password: " + MasterKey.generate().encrypt(CANARY.toCharArray()) + "\n");
    for (String yaml : broken) {
      ConfigException e = fails(ConfigException.class, "config", () -> loader.parse(yaml, "g.yaml"));
      e.problems().forEach(p -> assertClean("config problem", p.toString()));
      Path file = Files.writeString(dir.resolve("g.yaml"), yaml);
      CliResult check = cli("check", "--config", file.toString());
      assertEquals(GatehouseCommand.EXIT_USAGE, check.code, check::toString);
      assertClean("gatehouse check stderr", check.err);
      assertClean("gatehouse check stdout", check.out);
    }
    // the encrypted form with its key decrypts, and nothing prints it
    MasterKey key = MasterKey.generate();
    String yaml = good + "    password: " + key.encrypt(CANARY.toCharArray()) + "\n";
    GatehouseConfig c = new ConfigLoader(AdapterRegistry.discover(), Map.of(MasterKey.ENV, key.toBase64()))
        .parse(yaml, "g.yaml");
    assertClean("config toString", c.toString());
    assertClean("source toString", c.sources().get(0).toString());
    // plain text allowed for development: the warning names the field, not the value
    loader.parse("allowPlaintextSecrets: true\n" + good + "    password: " + CANARY + "\n", "dev.yaml");
    assertTrue(logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains(
        "sources[0].password holds a plain-text secret")), "the warning was captured");
    assertLogsClean();
  }

  private record CliResult(int code, String out, String err) {}

  private static CliResult cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = GatehouseCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new CliResult(code, out.toString(), err.toString());
  }

  // --- the in-process JDBC driver and the server ---

  @Test
  void jdbcDriversServerResponsesAndMetrics() throws Exception {
    Path pw = Files.writeString(dir.resolve("pw"), CANARY);
    Path yaml = Files.writeString(dir.resolve("gatehouse.yaml"), String.join("\n",
        "engine: { queryTimeout: 30s, maxRows: 5 }",
        "sources:",
        "  - id: shop",
        "    type: postgresql",
        "    host: " + pg.host(),
        "    port: " + pg.port(),
        "    database: " + pg.database(),
        "    user: " + PG_ROLE,
        "    password: ${file:" + pw + "}",
        "    tls: disable",
        "    queryTimeout: 300ms",
        "  - id: wrong",
        "    type: mariadb",
        "    host: " + maria.host(),
        "    port: " + maria.port(),
        "    user: " + MARIA_USER,
        "    password: ${file:" + Files.writeString(dir.resolve("pw2"), CANARY + "-wrong") + "}",
        "    tls: disable",
        "    schemas: [" + maria.database() + "]",
        "server:",
        "  users:",
        "    - name: alice",
        "      passwordHash: \"" + TestCredentials.hashOf(SERVER_PASSWORD) + "\"",
        "      sources: [shop, wrong]",
        ""));

    // in-process driver: a truncated result carries a warning; failures are SQLExceptions
    try (Connection c = DriverManager.getConnection("jdbc:gatehouse:config=" + yaml)) {
      exerciseJdbc(c, "embedded JDBC", true);
    }

    GatehouseConfig config = ConfigLoader.withDiscoveredAdapters().load(yaml);
    try (Gatehouse engine = Gatehouse.open(config)) {
      GatehouseServer server = new GatehouseServer(engine, config.server(),
          TestCredentials.forUsers(config.server()), null, 0, false);
      server.start();
      try {
        Properties p = new Properties();
        p.setProperty("url", server.url());
        p.setProperty("serialization", "protobuf");
        p.setProperty("authentication", "BASIC");
        p.setProperty("avatica_user", "alice");
        p.setProperty("avatica_password", SERVER_PASSWORD);
        try (Connection c = DriverManager.getConnection("jdbc:avatica:remote:", p)) {
          exerciseJdbc(c, "Avatica server", false);
        }
        // a failed login with the canary as the attempted password
        p.setProperty("avatica_password", CANARY);
        fails(Exception.class, "server login with a wrong password", () -> {
          try (Connection c = DriverManager.getConnection("jdbc:avatica:remote:", p);
              Statement s = c.createStatement()) {
            s.executeQuery("select 1");
          }
        });
        HttpClient http = HttpClient.newHttpClient();
        List<HttpResponse<String>> responses = new ArrayList<>();
        String basic = "Basic " + Base64.getEncoder().encodeToString(
            ("alice:" + CANARY).getBytes(StandardCharsets.UTF_8));
        responses.add(http.send(HttpRequest.newBuilder(URI.create(server.url()))
            .header("Authorization", basic)
            .POST(HttpRequest.BodyPublishers.ofString("{\"request\":\"openConnection\",\"connectionId\":\"x\"}"))
            .build(), HttpResponse.BodyHandlers.ofString()));
        assertEquals(401, responses.get(0).statusCode());
        String good = "Basic " + Base64.getEncoder().encodeToString(
            ("alice:" + SERVER_PASSWORD).getBytes(StandardCharsets.UTF_8));
        java.util.function.Function<String, HttpResponse<String>> post = body -> {
          try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url()))
                .header("Authorization", good).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
            responses.add(r);
            return r;
          } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
          }
        };
        post.apply("{\"request\":\"openConnection\",\"connectionId\":\"canary-c\"}");
        int statement = new com.fasterxml.jackson.databind.ObjectMapper().readTree(post.apply(
            "{\"request\":\"createStatement\",\"connectionId\":\"canary-c\"}").body())
            .get("statementId").asInt();
        HttpResponse<String> authFailure = post.apply("{\"request\":\"prepareAndExecute\","
            + "\"connectionId\":\"canary-c\",\"statementId\":" + statement + ",\"sql\":\"select 1 from"
            + " wrong." + maria.database() + ".accounts\",\"maxRowCount\":-1}");
        assertTrue(authFailure.body().contains("SOURCE_AUTH_FAILED"), authFailure::body);
        post.apply("{\"request\":\"prepareAndExecute\",\"connectionId\":\"canary-c\",\"statementId\":"
            + statement + ",\"sql\":\"selec 1\",\"maxRowCount\":-1}");
        post.apply("not json at all");
        for (String path : List.of("/metrics", "/health", "/health/ready")) {
          responses.add(http.send(HttpRequest.newBuilder(URI.create(server.url() + path))
              .header("Authorization", good).GET().build(), HttpResponse.BodyHandlers.ofString()));
        }
        HttpResponse<String> metrics = responses.get(responses.size() - 3);
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("gatehouse_"), "the metrics were scraped");
        for (HttpResponse<String> r : responses) {
          assertClean("HTTP " + r.uri(), r.statusCode() + " " + r.headers().map() + "\n" + r.body());
        }
      } finally {
        server.close();
      }
    }
    assertLogsClean();
  }

  /** A truncated result, a timeout, an auth failure at a source and bad SQL through one connection. */
  private static void exerciseJdbc(Connection c, String where, boolean warnsOnTruncation)
      throws SQLException {
    assertWarningsClean(where + " connection warnings", c.getWarnings());
    try (Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("select id from shop.public.customers")) {
        int n = 0;
        while (rs.next()) {
          n++;
        }
        assertEquals(5, n, where);
        if (warnsOnTruncation) {
          assertNotNull(s.getWarnings() != null ? s.getWarnings() : rs.getWarnings(),
              where + ": the truncated result carries a warning");
        }
        assertWarningsClean(where + " statement warnings", s.getWarnings());
        assertWarningsClean(where + " result warnings", rs.getWarnings());
      }
      for (String sql : List.of(
          "select count(*) from shop.public.events a, shop.public.events b where a.id < 100 and b.id + a.id > 0",
          "select 1 from wrong.crm.accounts",
          "selec 1",
          "drop table shop.public.customers")) {
        SQLException e = assertThrows(SQLException.class, () -> s.executeQuery(sql).close(), where + sql);
        assertClean(where + ": " + sql, e);
        assertWarningsClean(where + " warnings after " + sql, s.getWarnings());
      }
    }
  }

  private static int closedPort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
