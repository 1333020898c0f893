package io.gatehouse.adapter.redshift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import io.gatehouse.adapter.postgresql.testing.PostgresFixture;
import io.gatehouse.adapter.redshift.testing.RedshiftTestServer;
import io.gatehouse.core.ConnectionCheck;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.QueryResult;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * A credential canary for the Redshift adapter: failures are provoked with one distinctive secret as
 * the password (wrong password, a TLS failure, an error at the source, a timeout with a role whose
 * real password is the canary), and the secret must appear in no error message, no connection check,
 * no exception chain or stack trace, and no log line of Gatehouse, HikariCP or the Redshift driver
 * at DEBUG.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedshiftCredentialLeakTest {
  private static final String CANARY = "Canary-" + HexFormat.of().formatHex(
      java.security.SecureRandom.getSeed(6)) + "-RsSekret";
  private static final String ROLE = "rs_canary_reader";
  private static final List<String> DEBUG_LOGGERS =
      List.of("io.gatehouse", "com.zaxxer.hikari", "com.amazon.redshift");

  private final RedshiftTestServer server = RedshiftTestServer.get();
  private final PostgresFixture pg = server.postgres();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Map<String, Level> savedLevels = new HashMap<>();

  @BeforeAll
  void start() throws Exception {
    try (Connection c = pg.adminConnection(); Statement s = c.createStatement()) {
      s.execute("drop role if exists " + ROLE);
      s.execute("create role " + ROLE + " login password '" + CANARY + "' in role " + pg.readerUser());
    }
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    for (String name : DEBUG_LOGGERS) {
      Logger l = (Logger) LoggerFactory.getLogger(name);
      savedLevels.put(name, l.getLevel());
      l.setLevel(Level.DEBUG);
    }
  }

  @AfterAll
  void stop() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    savedLevels.forEach((name, level) -> ((Logger) LoggerFactory.getLogger(name)).setLevel(level));
  }

  private Gatehouse open(String user, Map<String, Object> overrides, Map<String, Object> engine) {
    Map<String, Object> source = new HashMap<>(server.sourceEntry(user, CANARY));
    source.put("id", "rs");
    source.putAll(overrides);
    Map<String, Object> root = new HashMap<>();
    root.put("sources", List.of(source));
    if (!engine.isEmpty()) {
      root.put("engine", engine);
    }
    return Gatehouse.open(ConfigLoader.withDiscoveredAdapters().fromMap(root));
  }

  private static void assertClean(Throwable e) {
    StringWriter w = new StringWriter();
    e.printStackTrace(new PrintWriter(w));
    assertFalse(w.toString().contains(CANARY), () -> "the secret is in an exception: " + w);
  }

  private void assertLogsClean() {
    assertFalse(logs.list.isEmpty(), "DEBUG logging was captured");
    for (ILoggingEvent e : logs.list) {
      String text = e.getFormattedMessage() + " " + throwableText(e.getThrowableProxy());
      assertFalse(text.contains(CANARY), () -> "the secret is in a log line of " + e.getLoggerName()
          + ": " + text);
    }
  }

  private static String throwableText(IThrowableProxy t) {
    StringBuilder b = new StringBuilder();
    for (; t != null; t = t.getCause()) {
      b.append(t.getClassName()).append(": ").append(t.getMessage()).append('\n');
      for (StackTraceElementProxy s : t.getStackTraceElementProxyArray()) {
        b.append(s.getSTEAsString()).append('\n');
      }
      for (IThrowableProxy s : t.getSuppressed()) {
        b.append(throwableText(s));
      }
    }
    return b.toString();
  }

  @Test
  void aWrongPasswordIsRefusedWithoutEchoingIt() {
    try (Gatehouse g = open(pg.readerUser(), Map.of(), Map.of())) {
      ConnectionCheck check = g.testConnection("rs");
      assertEquals(ErrorCode.SOURCE_AUTH_FAILED, check.code(), check::toString);
      assertFalse(check.message().contains(CANARY));
      assertFalse(check.toString().contains(CANARY));
      GatehouseException e = assertThrows(GatehouseException.class,
          () -> g.query("select id from rs.public.customers").close());
      assertEquals(ErrorCode.SOURCE_AUTH_FAILED, e.code());
      assertClean(e);
    }
    assertLogsClean();
  }

  @Test
  void aTlsFailureDoesNotEchoThePassword() {
    Map<String, Object> tls = Map.of("port", server.tls().port(), "tls", "verify-full");
    try (Gatehouse g = open(ROLE, tls, Map.of())) {
      GatehouseException e = assertThrows(GatehouseException.class,
          () -> g.query("select id from rs.public.customers").close());
      assertEquals(ErrorCode.TLS_VERIFICATION_FAILED, e.code(), e::getMessage);
      assertClean(e);
    }
    assertLogsClean();
  }

  @Test
  void errorsAndTimeoutsOfALoggedInSessionDoNotEchoThePassword() {
    try (Gatehouse g = open(ROLE, Map.of(), Map.of("queryTimeout", "1s"))) {
      try (QueryResult r = g.query("select count(*) from rs.public.customers")) {
        assertTrue(r.next(), "the canary role logs in with the canary password");
      }
      GatehouseException data = assertThrows(GatehouseException.class,
          () -> g.query("select id / (id - id) from rs.public.customers").toList());
      assertEquals(ErrorCode.DATA_ERROR, data.code(), data::getMessage);
      assertClean(data);
      GatehouseException slow = assertThrows(GatehouseException.class, () -> g.query(
          "select count(*) from rs.public.customers a, rs.public.customers b,"
              + " rs.public.customers c, rs.public.customers d where a.id + b.id + c.id + d.id > 3")
          .toList());
      assertEquals(ErrorCode.QUERY_TIMEOUT, slow.code(), slow::getMessage);
      assertClean(slow);
    }
    assertLogsClean();
  }
}
