package io.gatehouse.adapter.redshift;

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
import io.gatehouse.core.config.NetworkSourceSettings;
import io.gatehouse.core.config.SourceConfig;
import io.gatehouse.core.config.TlsMode;
import io.gatehouse.core.spi.AdapterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The configuration of {@code type: redshift} sources and the driver properties made from it. */
class RedshiftConfigTest {
  private static final Map<String, String> ENV = Map.of("RS_PASSWORD", "rs-secret-Qz81");

  @TempDir Path dir;

  private static ConfigLoader loader() {
    return new ConfigLoader(new AdapterRegistry(List.of(new RedshiftAdapter())), ENV);
  }

  private static String source(String lines) {
    return "sources:\n  - id: dw\n    type: redshift\n"
        + "    host: dw.abc123.eu-west-1.redshift.amazonaws.com\n" + lines;
  }

  private static SourceConfig parse(String yaml) {
    return loader().parse(yaml, "rs.yaml").sources().get(0);
  }

  private static ConfigProblem onlyProblem(String yaml) {
    ConfigException e = assertThrows(ConfigException.class, () -> loader().parse(yaml, "rs.yaml"));
    assertEquals(1, e.problems().size(), e::getMessage);
    return e.problems().get(0);
  }

  @Test
  void minimalSourceGetsRedshiftDefaults() {
    SourceConfig s = parse(source("    database: dev\n    user: gatehouse_ro\n"));
    assertEquals("redshift", s.type());
    assertEquals(List.of("public"), s.schemas());
    RedshiftSettings r = assertInstanceOf(RedshiftSettings.class, s.settings());
    NetworkSourceSettings n = r.network();
    assertEquals(5439, n.port());
    assertEquals("dev", n.database());
    assertEquals("gatehouse_ro", n.user());
    assertEquals(TlsMode.VERIFY_FULL, n.tls(), "TLS is verified unless configured otherwise");
    assertNull(n.password());
    assertNull(r.queryGroup());
    assertEquals("gatehouse", r.applicationName());
  }

  @Test
  void everyKeyIsRead() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "not checked here");
    SourceConfig s = parse(source("    port: 5440\n    database: dev\n    user: gatehouse_ro\n"
        + "    password: ${env:RS_PASSWORD}\n    tls: verify-ca\n    caFile: " + ca + "\n"
        + "    schemas: [public, sales]\n    queryGroup: reports\n"
        + "    applicationName: gatehouse-bi\n    pool: { maxSize: 4 }\n"));
    RedshiftSettings r = (RedshiftSettings) s.settings();
    assertEquals(5440, r.network().port());
    assertEquals("rs-secret-Qz81", r.network().password().revealAsString());
    assertEquals(TlsMode.VERIFY_CA, r.network().tls());
    assertEquals(ca, r.network().caFile());
    assertEquals(List.of("public", "sales"), s.schemas());
    assertEquals("reports", r.queryGroup());
    assertEquals("gatehouse-bi", r.applicationName());
    assertEquals(4, s.pool().maxSize());
  }

  @Test
  void databaseAndUserAreRequired() {
    assertEquals(new ConfigProblem("sources[0].database", "is required (the database to connect to)"),
        onlyProblem(source("    user: u\n")));
    assertEquals(new ConfigProblem("sources[0].user", "is required (a login with read-only rights)"),
        onlyProblem(source("    database: dev\n")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"reports'; drop table x; --", "a\"b", "two\nlines"})
  void queryGroupMustBeAPlainLabel(String value) {
    ConfigProblem p = onlyProblem(source("    database: dev\n    user: u\n    queryGroup: \""
        + value.replace("\n", "\\n").replace("\"", "\\\"") + "\"\n"));
    assertEquals("sources[0].queryGroup", p.path());
    assertTrue(p.message().startsWith("must be 1..320 letters, digits, spaces or _ . : / -"),
        p.message());
  }

  @Test
  void applicationNameHasALimit() {
    ConfigProblem p = onlyProblem(source("    database: dev\n    user: u\n    applicationName: "
        + "x".repeat(64) + "\n"));
    assertEquals("sources[0].applicationName", p.path());
    assertTrue(p.message().startsWith("must be 1..63 "), p.message());
  }

  @Test
  void unknownKeysAreRefusedWithSuggestion() {
    ConfigProblem p = onlyProblem(source("    database: dev\n    user: u\n    querygroup: reports\n"));
    assertEquals("sources[0].querygroup", p.path());
    assertTrue(p.message().startsWith("unknown key; did you mean 'queryGroup'?"), p.message());
    ConfigProblem iam = onlyProblem(source("    database: dev\n    user: u\n    iam: true\n"));
    assertEquals("sources[0].iam", iam.path());
  }

  @Test
  void theAdapterIsDiscovered() {
    assertInstanceOf(RedshiftAdapter.class, AdapterRegistry.discover().find("redshift").orElseThrow());
  }

  @Test
  void passwordIsNotPrinted() {
    GatehouseConfig c = loader().parse(source("    database: dev\n    user: u\n"
        + "    password: ${env:RS_PASSWORD}\n"), "rs.yaml");
    assertTrue(c.toString().contains("password=****"), c.toString());
    assertFalse(c.toString().contains("rs-secret-Qz81"), c.toString());
  }

  // ---- what the driver is told ----

  private static Properties driverProperties(String lines) {
    return RedshiftConnector.driverProperties((RedshiftSettings) parse(source(lines)).settings(),
        500, 5);
  }

  @Test
  void tlsModesBecomeTheDriversProperties() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
    Properties full = driverProperties("    database: d\n    user: u\n    caFile: " + ca + "\n");
    assertEquals("verify-full", full.getProperty("sslmode"));
    assertEquals(ca.toString(), full.getProperty("sslrootcert"));
    assertNull(full.getProperty("ssl"), "the driver refuses ssl next to sslmode in some forms");
    Properties verifyCa = driverProperties("    database: d\n    user: u\n    tls: verify-ca\n");
    assertEquals("verify-ca", verifyCa.getProperty("sslmode"));
    assertNull(verifyCa.getProperty("sslrootcert"), "without caFile: the JVM's trust store");
    Properties require = driverProperties("    database: d\n    user: u\n    tls: require\n");
    assertEquals("com.amazon.redshift.ssl.NonValidatingFactory", require.getProperty("sslfactory"));
    assertNull(require.getProperty("sslmode"));
    Properties disable = driverProperties("    database: d\n    user: u\n    tls: disable\n");
    assertEquals("false", disable.getProperty("ssl"));
    assertNull(disable.getProperty("sslmode"));
  }

  @Test
  void sessionPropertiesAreReadOnlyStreamingAndNamed() {
    Properties p = driverProperties("    database: d\n    user: u\n    queryGroup: reports\n");
    assertEquals("transaction", p.getProperty("readOnlyMode"), "BEGIN READ ONLY, no SET readonly");
    assertEquals("false", p.getProperty("enableFetchRingBuffer"));
    assertEquals("500", p.getProperty("defaultRowFetchSize"));
    assertEquals("reports", p.getProperty("QueryGroup"));
    assertEquals("gatehouse", p.getProperty("ApplicationName"));
    assertFalse(p.containsKey("password") || p.containsKey("user"),
        "credentials go to the pool, not into these properties");
    assertEquals("SET statement_timeout TO 30000", RedshiftConnector.initSql(30_000));
  }

  @Test
  void urlQuotesTheDatabaseAndBracketsIpv6() {
    NetworkSourceSettings n = ((RedshiftSettings) parse(source("    database: my db\n    user: u\n"))
        .settings()).network();
    assertEquals("jdbc:redshift://dw.abc123.eu-west-1.redshift.amazonaws.com:5439/my%20db",
        RedshiftConnector.url(n));
    NetworkSourceSettings v6 = new NetworkSourceSettings("::1", 5439, "dev", "u", null,
        TlsMode.DISABLE, null);
    assertEquals("jdbc:redshift://[::1]:5439/dev", RedshiftConnector.url(v6));
  }
}
