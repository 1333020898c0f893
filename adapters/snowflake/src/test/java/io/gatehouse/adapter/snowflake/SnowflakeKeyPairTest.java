package io.gatehouse.adapter.snowflake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.adapter.snowflake.fake.FakeSnowflake;
import io.gatehouse.core.ConnectionCheck;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.QueryResult;
import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.config.ConfigProblem;
import io.gatehouse.core.error.ErrorCode;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Key-pair logins through the real driver. The FAKE Snowflake verifies the JWT the driver signs
 * with the private key against the public key registered for the user (signature, fingerprint in
 * the issuer, subject, expiry), so a wrong key fails as it would at Snowflake.
 */
class SnowflakeKeyPairTest {
  private static final String PASSPHRASE = "key-Pass-" + System.nanoTime();
  private static FakeSnowflakeFixture fixture;
  private static KeyPair keys;

  @BeforeAll
  static void start() throws Exception {
    fixture = new FakeSnowflakeFixture();
    keys = TestKeys.rsa();
    fixture.fake.addKeyPairUser("svc_gatehouse", keys.getPublic(), FakeSnowflakeFixture.READER_ROLE);
    try (Connection c = fixture.adminConnection(); Statement s = c.createStatement()) {
      s.execute("create schema kp");
      s.execute("create table kp.t (n number(9,0))");
      s.execute("insert into kp.t values (1), (2), (3)");
    }
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @BeforeEach
  void clear() {
    fixture.fake.clearRecords();
  }

  static Map<String, Object> source(String privateKey, String passphrase) {
    Map<String, Object> m = new LinkedHashMap<>(fixture.source("svc_gatehouse", null));
    m.put("id", "sf");
    m.put("schemas", List.of("kp"));
    m.put("privateKey", privateKey);
    if (passphrase != null) {
      m.put("privateKeyPassphrase", passphrase);
    }
    return m;
  }

  private static Gatehouse open(Map<String, Object> source) {
    Map<String, Object> root = new HashMap<>();
    root.put("sources", List.of(source));
    return Gatehouse.open(ConfigLoader.withDiscoveredAdapters().fromMap(root));
  }

  private static int rows(Gatehouse gh) {
    int n = 0;
    try (QueryResult r = gh.query("select n from sf.kp.t")) {
      while (r.next()) {
        n++;
      }
    }
    return n;
  }

  @Test
  void encryptedKeyLogsInWithASignedJwt() {
    try (Gatehouse gh = open(source(TestKeys.encryptedPem(keys, PASSPHRASE), PASSPHRASE))) {
      assertEquals(3, rows(gh));
    }
    FakeSnowflake.Login login = fixture.fake.logins().get(0);
    assertEquals("SNOWFLAKE_JWT", login.authenticator());
    assertEquals("SVC_GATEHOUSE", login.user());
    assertNull(login.error());
  }

  @Test
  void unencryptedKeyLogsIn() {
    try (Gatehouse gh = open(source(TestKeys.pem(keys), null))) {
      assertEquals(3, rows(gh));
    }
    assertEquals("SNOWFLAKE_JWT", fixture.fake.logins().get(0).authenticator());
  }

  @Test
  void aKeyThatIsNotTheUsersIsRefusedAtLogin() {
    try (Gatehouse gh = open(source(TestKeys.pem(TestKeys.rsa()), null))) {
      ConnectionCheck c = gh.testConnection("sf");
      assertFalse(c.ok());
      assertEquals(ErrorCode.SOURCE_AUTH_FAILED, c.code());
      assertTrue(c.message().contains("privateKey"), c.message());
    }
    assertEquals("390144", fixture.fake.logins().get(0).error());
  }

  @Test
  void aWrongPassphraseIsAConfigurationErrorNamingIt() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> open(source(TestKeys.encryptedPem(keys, PASSPHRASE), "not-" + PASSPHRASE)));
    ConfigProblem p = e.problems().get(0);
    assertEquals("sources[0].privateKeyPassphrase", p.path());
    assertTrue(p.message().contains("does not decrypt"), p.message());
    assertFalse(e.getMessage().contains(PASSPHRASE));
    assertTrue(fixture.fake.logins().isEmpty(), "nothing was sent to Snowflake");
  }

  @Test
  void anEncryptedKeyWithoutPassphraseIsAConfigurationErrorNamingIt() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> open(source(TestKeys.encryptedPem(keys, PASSPHRASE), null)));
    assertEquals("sources[0].privateKeyPassphrase", e.problems().get(0).path());
  }
}
