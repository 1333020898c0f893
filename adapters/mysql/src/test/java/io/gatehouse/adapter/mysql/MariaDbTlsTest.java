package io.gatehouse.adapter.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gatehouse.adapter.mysql.testing.MariaDbFixture;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.QueryResult;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import io.gatehouse.core.spi.JdbcSourceConnector;
import io.gatehouse.core.testing.TestCertificates;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * TLS to a real MariaDB whose certificate is signed by a CA made for the test run and names
 * only {@code localhost}: verified connections work and are encrypted; a wrong CA, a wrong host name
 * or the JVM's trust store (the default) fail with TLS_VERIFICATION_FAILED.
 */
class MariaDbTlsTest {
  private static final MariaDbFixture DB = MariaDbFixture.get();

  @TempDir Path dir;

  private static Gatehouse open(String host, String tls, Path caFile) {
    Map<String, Object> source = new HashMap<>(Map.of("id", "crm", "type", "mariadb", "host", host,
        "port", DB.port(), "database", DB.database(), "user", DB.readerUser(),
        "password", DB.readerPassword(), "pool", Map.of("connectionTimeout", "1s")));
    if (tls != null) {
      source.put("tls", tls);
    }
    if (caFile != null) {
      source.put("caFile", caFile.toString());
    }
    return Gatehouse.open(ConfigLoader.withDiscoveredAdapters().fromMap(Map.of("sources", List.of(source))));
  }

  /** Runs a query, then asks the server whether this very session is encrypted. */
  private static void assertWorksEncrypted(Gatehouse g) throws Exception {
    try (QueryResult r = g.query("select count(*) from crm.crm.accounts")) {
      assertTrue(r.next());
      assertTrue(((Number) r.get(0)).longValue() > 0);
    }
    assertTrue(!cipher(g).isEmpty(), "the session is encrypted");
  }

  /** The session's TLS cipher, empty for a plain connection. */
  private static String cipher(Gatehouse g) throws Exception {
    try (Connection c = g.connector("crm").connection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("show session status like 'Ssl_cipher'")) {
      assertTrue(rs.next());
      return rs.getString(2) == null ? "" : rs.getString(2);
    }
  }

  private static void assertTlsFailure(Gatehouse g) {
    GatehouseException e = assertThrows(GatehouseException.class,
        () -> g.query("select 1 from crm.crm.accounts").close());
    assertEquals(ErrorCode.TLS_VERIFICATION_FAILED, e.code(), e::getMessage);
    assertTrue(e.getMessage().contains("source 'crm'"), e::getMessage);
    assertFalse(e.getMessage().toLowerCase().contains("hostnameverifier"), "no driver text: " + e.getMessage());
    assertFalse(e.getMessage().contains("PKIX"), "no driver text: " + e.getMessage());
  }

  @Test
  void verifyFullWithTheRightCaWorksAndIsEncrypted() throws Exception {
    try (Gatehouse g = open(MariaDbFixture.TLS_HOST, "verify-full", DB.caFile())) {
      assertWorksEncrypted(g);
    }
  }

  @Test
  void aWrongCaIsAVerificationFailure() {
    Path otherCa = TestCertificates.authority(dir, "other").pem();
    try (Gatehouse g = open(MariaDbFixture.TLS_HOST, "verify-full", otherCa)) {
      assertTlsFailure(g);
    }
    try (Gatehouse g = open(MariaDbFixture.TLS_HOST, "verify-ca", otherCa)) {
      assertTlsFailure(g);
    }
  }

  @Test
  void aHostNameTheCertificateDoesNotNameIsAVerificationFailure() {
    try (Gatehouse g = open("127.0.0.1", "verify-full", DB.caFile())) {
      assertTlsFailure(g);
    }
  }

  @Test
  void verifyCaChecksTheChainButNotTheName() throws Exception {
    try (Gatehouse g = open("127.0.0.1", "verify-ca", DB.caFile())) {
      assertWorksEncrypted(g);
    }
  }

  @Test
  void requireEncryptsWithoutChecking() throws Exception {
    try (Gatehouse g = open("127.0.0.1", "require", null)) {
      assertWorksEncrypted(g);
    }
  }

  @Test
  void verificationIsOnByDefault() {
    // no tls key and no caFile: verify-full against the JVM's trust store, which lacks the test CA
    try (Gatehouse g = open(MariaDbFixture.TLS_HOST, null, null)) {
      assertTlsFailure(g);
    }
  }

  @Test
  void disablingTlsIsExplicitAndWarnedOnceWhenTheEngineOpens() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(JdbcSourceConnector.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try (Gatehouse g = open(MariaDbFixture.TLS_HOST, "disable", null)) {
      for (int i = 0; i < 2; i++) {
        try (QueryResult r = g.query("select 1 from crm.crm.accounts limit 1")) {
          assertTrue(r.next());
        }
      }
      assertEquals("", cipher(g), "plain text, as configured");
    } finally {
      logger.detachAppender(appender);
    }
    List<String> warnings = appender.list.stream()
        .filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
        .map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("TLS is disabled")).toList();
    assertEquals(1, warnings.size(), warnings::toString);
    assertTrue(warnings.get(0).contains("source 'crm'"), warnings::toString);
  }
}
