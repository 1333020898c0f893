package io.gatehouse.adapter.snowflake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.QueryResult;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.error.GatehouseException;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateCrtKey;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * No credential leaves where it belongs: not into Gatehouse's logs (at DEBUG), the driver's own
 * logging (java.util.logging), error messages, nor the wire. What the FAKE Snowflake received is
 * checked request by request: the password only in the login request's PASSWORD field; for key
 * pairs, neither the PEM, nor the private exponent, nor the passphrase anywhere (the driver puts its
 * connection properties, masked, into the login's CLIENT_ENVIRONMENT: this checks that masking).
 */
class SnowflakeCredentialLeakTest {
  private static final String PASSPHRASE = "leak-Pass-" + System.nanoTime();
  private static FakeSnowflakeFixture fixture;
  private static KeyPair keys;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final List<String> julLines = new ArrayList<>();
  private final Handler jul = new Handler() {
    @Override
    public void publish(LogRecord r) {
      julLines.add(new SimpleFormatter().formatMessage(r) + " " + r.getThrown());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeAll
  static void start() throws Exception {
    fixture = new FakeSnowflakeFixture();
    keys = TestKeys.rsa();
    fixture.fake.addKeyPairUser("svc_key", keys.getPublic(), FakeSnowflakeFixture.READER_ROLE);
    try (Connection c = fixture.adminConnection(); Statement s = c.createStatement()) {
      s.execute("create schema leak");
      s.execute("create table leak.t (n number(9,0))");
      s.execute("insert into leak.t values (1)");
    }
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @BeforeEach
  void capture() {
    fixture.fake.clearRecords();
    logs.start();
    ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(
        org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(logs);
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.gatehouse")).setLevel(Level.DEBUG);
    java.util.logging.Logger.getLogger("").addHandler(jul);
  }

  @AfterEach
  void release() {
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .detachAppender(logs);
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.gatehouse")).setLevel(null);
    java.util.logging.Logger.getLogger("").removeHandler(jul);
  }

  private static Gatehouse open(Map<String, Object> entry) {
    Map<String, Object> source = new LinkedHashMap<>(entry);
    source.put("id", "sf");
    source.put("schemas", List.of("leak"));
    Map<String, Object> root = new HashMap<>();
    root.put("sources", List.of(source));
    return Gatehouse.open(ConfigLoader.withDiscoveredAdapters().fromMap(root));
  }

  private static void readAll(Gatehouse gh) {
    try (QueryResult r = gh.query("select n from sf.leak.t")) {
      while (r.next()) {
        r.row();
      }
    }
  }

  private String everythingLogged() {
    StringBuilder b = new StringBuilder();
    for (ILoggingEvent e : logs.list) {
      b.append(e.getFormattedMessage()).append('\n');
      for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
        b.append(t.getMessage()).append('\n');
      }
    }
    julLines.forEach(l -> b.append(l).append('\n'));
    return b.toString();
  }

  @Test
  void aPasswordTravelsOnlyInTheLoginRequest() {
    String wrong = "wrong-Pw-" + System.nanoTime();
    try (Gatehouse gh = open(fixture.source(FakeSnowflakeFixture.READER, fixture.readerPassword))) {
      readAll(gh);
      assertFalse(gh.connector("sf").config().toString().contains(fixture.readerPassword));
    }
    try (Gatehouse bad = open(fixture.source(FakeSnowflakeFixture.READER, wrong))) {
      GatehouseException e = assertThrows(GatehouseException.class, () -> readAll(bad));
      assertFalse(e.getMessage().contains(wrong), e.getMessage());
    }
    int logins = fixture.fake.logins().size();
    int carrying = 0;
    for (String request : fixture.fake.rawRequests()) {
      boolean isLogin = request.startsWith("POST /session/v1/login-request");
      for (String secret : List.of(fixture.readerPassword, wrong)) {
        int at = request.indexOf(secret);
        if (at >= 0) {
          assertTrue(isLogin, () -> "password outside a login request: " + request.lines().findFirst());
          assertTrue(request.substring(0, at).endsWith("\"PASSWORD\":\""), "only as PASSWORD");
          assertEquals(at, request.lastIndexOf(secret), "once per login request");
          carrying++;
        }
      }
    }
    assertEquals(logins, carrying, "every login carried its password once, nothing else did");
    String logged = everythingLogged();
    assertTrue(logged.contains("SQLState"), "the failed login was logged (at DEBUG), so logs were read");
    assertFalse(logged.contains(fixture.readerPassword), "password in a log line");
    assertFalse(logged.contains(wrong), "wrong password in a log line");
  }

  @Test
  void aPrivateKeyAndItsPassphraseNeverTravelNorPrint() {
    String pem = TestKeys.encryptedPem(keys, PASSPHRASE);
    Map<String, Object> entry = new LinkedHashMap<>(fixture.source("svc_key", null));
    entry.put("privateKey", pem);
    entry.put("privateKeyPassphrase", PASSPHRASE);
    try (Gatehouse gh = open(entry)) {
      readAll(gh);
      assertFalse(gh.connector("sf").config().toString().contains(PASSPHRASE));
    }
    assertTrue(fixture.fake.logins().stream().allMatch(l -> l.error() == null
        && l.authenticator().equals("SNOWFLAKE_JWT")));
    RSAPrivateCrtKey k = (RSAPrivateCrtKey) keys.getPrivate();
    List<String> secrets = List.of(PASSPHRASE, pem.lines().skip(1).findFirst().orElseThrow(),
        k.getPrivateExponent().toString(), k.getPrivateExponent().toString(16),
        k.getPrimeP().toString(), Base64.getEncoder().encodeToString(k.getEncoded()).substring(0, 40));
    String wire = String.join("\n", fixture.fake.rawRequests());
    String logged = everythingLogged();
    for (String s : secrets) {
      assertFalse(wire.contains(s), "key material on the wire");
      assertFalse(logged.contains(s), "key material in a log line");
    }
    assertTrue(wire.contains("\"privateKey\":\"****\""),
        "the driver reports its connection properties masked in CLIENT_ENVIRONMENT");
  }
}
