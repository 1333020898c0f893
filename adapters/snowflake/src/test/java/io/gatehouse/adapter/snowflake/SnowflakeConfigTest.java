package io.gatehouse.adapter.snowflake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.config.ConfigProblem;
import io.gatehouse.core.config.GatehouseConfig;
import io.gatehouse.core.config.SourceConfig;
import io.gatehouse.core.config.TlsMode;
import io.gatehouse.core.spi.AdapterRegistry;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The configuration of {@code type: snowflake} sources: defaults, validation naming the field, masking. */
class SnowflakeConfigTest {
  private static final KeyPair KEYS = TestKeys.rsa();
  private static final Map<String, String> ENV = Map.of(
      "SF_PASSWORD", "sf-Secret-91x",
      "SF_KEY", TestKeys.encryptedPem(KEYS, "pass-Phrase-7"),
      "SF_PLAIN_KEY", TestKeys.pem(KEYS),
      "SF_PASSPHRASE", "pass-Phrase-7",
      "SF_PKCS1", "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK\n-----END RSA PRIVATE KEY-----\n");

  private static ConfigLoader loader() {
    return new ConfigLoader(new AdapterRegistry(List.of(new SnowflakeAdapter())), ENV);
  }

  private static String source(String lines) {
    return "sources:\n  - id: sf\n    type: snowflake\n" + lines;
  }

  private static final String BASE = "    account: myorg-acct1\n    user: GATEHOUSE_RO\n    database: analytics\n";

  private static GatehouseConfig parse(String yaml) {
    return loader().parse(yaml, "sf.yaml");
  }

  private static List<ConfigProblem> problems(String yaml) {
    ConfigException e = assertThrows(ConfigException.class, () -> parse(yaml));
    return e.problems();
  }

  private static ConfigProblem onlyProblem(String yaml) {
    List<ConfigProblem> p = problems(yaml);
    assertEquals(1, p.size(), () -> p.toString());
    return p.get(0);
  }

  @Test
  void passwordSourceGetsSnowflakeDefaults() {
    SourceConfig s = parse(source(BASE + "    password: ${env:SF_PASSWORD}\n")).sources().get(0);
    SnowflakeSettings n = assertInstanceOf(SnowflakeSettings.class, s.settings());
    assertEquals("myorg-acct1.snowflakecomputing.com", n.host());
    assertEquals(443, n.port());
    assertEquals(TlsMode.VERIFY_FULL, n.tls());
    assertEquals(List.of("PUBLIC"), s.schemas());
    assertNull(n.role());
    assertNull(n.warehouse());
  }

  @Test
  void theSessionSchemaIsTheDefaultExposedSchema() {
    SourceConfig s = parse(source(BASE + "    password: ${env:SF_PASSWORD}\n    schema: marts\n"
        + "    warehouse: reporting_wh\n    role: gatehouse_reader\n")).sources().get(0);
    assertEquals(List.of("marts"), s.schemas());
  }

  @Test
  void theUrlVerifiesTlsUnlessDisabledAndCarriesNoCredentials() {
    GatehouseConfig c = parse(source(BASE + "    password: ${env:SF_PASSWORD}\n    queryTimeout: 90s\n"));
    SnowflakeConnector conn = new SnowflakeConnector(c.sources().get(0), c.engine());
    assertEquals("jdbc:snowflake://myorg-acct1.snowflakecomputing.com:443/?account=myorg-acct1", conn.url());
    Properties p = conn.loginProperties();
    assertEquals("90", p.get("STATEMENT_TIMEOUT_IN_SECONDS"));
    assertEquals("gatehouse source=sf", p.get("QUERY_TAG"));
    assertNull(p.get("password"), "the password is added only for the login itself");
    GatehouseConfig local = parse(source(BASE + "    password: ${env:SF_PASSWORD}\n    host: 127.0.0.1\n"
        + "    port: 8085\n    tls: disable\n"));
    assertEquals("jdbc:snowflake://127.0.0.1:8085/?account=myorg-acct1&ssl=off",
        new SnowflakeConnector(local.sources().get(0), local.engine()).url());
  }

  @Test
  void missingKeysAreAllReportedAtOnce() {
    List<ConfigProblem> p = problems(source("    password: ${env:SF_PASSWORD}\n"));
    assertEquals(List.of("sources[0].account", "sources[0].user", "sources[0].database"),
        p.stream().map(ConfigProblem::path).collect(Collectors.toList()));
  }

  @Test
  void oneWayToLogIn() {
    ConfigProblem neither = onlyProblem(source(BASE));
    assertEquals("sources[0].password", neither.path());
    assertTrue(neither.message().contains("privateKey"), neither.message());
    ConfigProblem both = onlyProblem(source(BASE + "    password: ${env:SF_PASSWORD}\n"
        + "    privateKey: ${env:SF_PLAIN_KEY}\n"));
    assertEquals("sources[0].privateKey", both.path());
    ConfigProblem stray = onlyProblem(source(BASE + "    password: ${env:SF_PASSWORD}\n"
        + "    privateKeyPassphrase: ${env:SF_PASSPHRASE}\n"));
    assertEquals("sources[0].privateKeyPassphrase", stray.path());
  }

  @Test
  void keyPairSettingsAreCheckedWhenRead() {
    SnowflakeSettings ok = (SnowflakeSettings) parse(source(BASE + "    privateKey: ${env:SF_KEY}\n"
        + "    privateKeyPassphrase: ${env:SF_PASSPHRASE}\n")).sources().get(0).settings();
    assertNull(ok.password());
    ConfigProblem pkcs1 = onlyProblem(source(BASE + "    privateKey: ${env:SF_PKCS1}\n"));
    assertEquals("sources[0].privateKey", pkcs1.path());
    assertTrue(pkcs1.message().contains("openssl pkcs8"), pkcs1.message());
    ConfigProblem notPem = onlyProblem(source(BASE + "    privateKey: ${env:SF_PASSWORD}\n"));
    assertEquals("sources[0].privateKey", notPem.path());
    assertFalse(notPem.message().contains("sf-Secret-91x"), "the value is never echoed");
  }

  @Test
  void tlsModesTheDriverCannotHonourAreRefused() {
    ConfigProblem p = onlyProblem(source(BASE + "    password: ${env:SF_PASSWORD}\n    tls: require\n"));
    assertEquals("sources[0].tls", p.path());
    assertTrue(p.message().contains("verify-full") && p.message().contains("disable"), p.message());
    ConfigProblem ca = onlyProblem(source(BASE + "    password: ${env:SF_PASSWORD}\n    caFile: /tmp/ca.pem\n"));
    assertEquals("sources[0].caFile", ca.path());
    assertTrue(ca.message().startsWith("unknown key"), ca.message());
  }

  @Test
  void aBadAccountIdentifierIsNamed() {
    ConfigProblem p = onlyProblem(source("    account: my account\n    user: u\n    database: d\n"
        + "    password: ${env:SF_PASSWORD}\n"));
    assertEquals("sources[0].account", p.path());
  }

  @Test
  void secretsNeverPrint() {
    SnowflakeSettings s = (SnowflakeSettings) parse(source(BASE + "    privateKey: ${env:SF_KEY}\n"
        + "    privateKeyPassphrase: ${env:SF_PASSPHRASE}\n")).sources().get(0).settings();
    String text = s.toString();
    assertFalse(text.contains("pass-Phrase-7") || text.contains("BEGIN"), text);
    assertTrue(text.contains("privateKey=****"), text);
    SnowflakeSettings p = (SnowflakeSettings) parse(source(BASE + "    password: ${env:SF_PASSWORD}\n"))
        .sources().get(0).settings();
    assertFalse(p.toString().contains("sf-Secret-91x"), p.toString());
  }
}
