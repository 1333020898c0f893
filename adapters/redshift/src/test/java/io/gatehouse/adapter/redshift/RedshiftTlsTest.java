package io.gatehouse.adapter.redshift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gatehouse.adapter.postgresql.testing.PostgresFixture;
import io.gatehouse.adapter.redshift.testing.RedshiftTestServer;
import io.gatehouse.adapter.redshift.testing.StartupRewritingProxy;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.QueryResult;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import io.gatehouse.core.spi.JdbcSourceConnector;
import io.gatehouse.core.testing.TestCertificates;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The Redshift driver's TLS, as Gatehouse configures it, against a TLS server that presents the
 * PostgreSQL fixture's own certificate (its per-run CA, {@link PostgresFixture#caFile()}, naming only
 * {@code localhost}). The TLS session ends at the test proxy, which must read the startup message
 * inside it; the proxy counts the encrypted sessions, so "encrypted" is observed, not assumed.
 */
class RedshiftTlsTest {
  private static final RedshiftTestServer SERVER = RedshiftTestServer.get();
  private static final PostgresFixture PG = SERVER.postgres();

  @TempDir Path dir;

  private static Gatehouse open(String host, String tls, Path caFile) {
    Map<String, Object> source = new HashMap<>(Map.of("id", "rs", "type", "redshift", "host", host,
        "port", SERVER.tls().port(), "database", PG.database(), "user", PG.readerUser(),
        "password", PG.readerPassword(), "pool", Map.of("connectionTimeout", "1s")));
    if (tls != null) {
      source.put("tls", tls);
    }
    if (caFile != null) {
      source.put("caFile", caFile.toString());
    }
    return Gatehouse.open(ConfigLoader.withDiscoveredAdapters().fromMap(Map.of("sources",
        List.of(source))));
  }

  private static void assertWorksEncrypted(Gatehouse g) {
    StartupRewritingProxy proxy = SERVER.tls();
    int before = proxy.tlsSessions();
    try (QueryResult r = g.query("select count(*) from rs.public.customers")) {
      assertTrue(r.next());
      assertEquals(100L, ((Number) r.get(0)).longValue());
    }
    assertTrue(proxy.tlsSessions() > before, "the session was encrypted");
  }

  private static void assertTlsFailure(Gatehouse g) {
    GatehouseException e = assertThrows(GatehouseException.class,
        () -> g.query("select 1 from rs.public.customers").close());
    assertEquals(ErrorCode.TLS_VERIFICATION_FAILED, e.code(), e::getMessage);
    assertTrue(e.getMessage().contains("source 'rs'"), e::getMessage);
    assertFalse(e.getMessage().contains("PKIX"), "no driver text: " + e.getMessage());
    assertFalse(e.getMessage().toLowerCase().contains("hostname"), "no driver text: " + e.getMessage());
  }

  @Test
  void verifyFullWithTheRightCaWorksAndIsEncrypted() {
    try (Gatehouse g = open(PostgresFixture.TLS_HOST, "verify-full", PG.caFile())) {
      assertWorksEncrypted(g);
    }
  }

  @Test
  void aWrongCaIsAVerificationFailure() {
    Path otherCa = TestCertificates.authority(dir, "other").pem();
    try (Gatehouse g = open(PostgresFixture.TLS_HOST, "verify-full", otherCa)) {
      assertTlsFailure(g);
    }
    try (Gatehouse g = open(PostgresFixture.TLS_HOST, "verify-ca", otherCa)) {
      assertTlsFailure(g);
    }
  }

  @Test
  void aHostNameTheCertificateDoesNotNameIsAVerificationFailure() {
    try (Gatehouse g = open("127.0.0.1", "verify-full", PG.caFile())) {
      assertTlsFailure(g);
    }
  }

  @Test
  void verifyCaChecksTheChainButNotTheName() {
    try (Gatehouse g = open("127.0.0.1", "verify-ca", PG.caFile())) {
      assertWorksEncrypted(g);
    }
  }

  @Test
  void requireEncryptsWithoutChecking() {
    try (Gatehouse g = open("127.0.0.1", "require", null)) {
      assertWorksEncrypted(g);
    }
  }

  @Test
  void verificationIsOnByDefault() {
    // no tls key and no caFile: verify-full against the JVM's trust store, which lacks the test CA
    try (Gatehouse g = open(PostgresFixture.TLS_HOST, null, null)) {
      assertTlsFailure(g);
    }
  }

  @Test
  void disablingTlsIsExplicitPlainAndWarnedOnceWhenTheEngineOpens() {
    Logger logger = (Logger) LoggerFactory.getLogger(JdbcSourceConnector.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    StartupRewritingProxy proxy = SERVER.tls();
    int before = proxy.tlsSessions();
    try (Gatehouse g = open(PostgresFixture.TLS_HOST, "disable", null)) {
      for (int i = 0; i < 2; i++) {
        try (QueryResult r = g.query("select 1 from rs.public.customers limit 1")) {
          assertTrue(r.next());
        }
      }
    } finally {
      logger.detachAppender(appender);
    }
    assertEquals(before, proxy.tlsSessions(), "plain text, as configured: no TLS handshake");
    List<String> warnings = appender.list.stream().filter(e -> e.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("TLS is disabled")).toList();
    assertEquals(1, warnings.size(), warnings::toString);
    assertTrue(warnings.get(0).contains("source 'rs'"), warnings::toString);
  }
}
