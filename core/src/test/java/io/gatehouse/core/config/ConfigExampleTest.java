package io.gatehouse.core.config;

import static io.gatehouse.core.config.ConfigTestSupport.ENV;
import static io.gatehouse.core.config.ConfigTestSupport.exampleRegistry;
import static io.gatehouse.core.config.ConfigTestSupport.problemAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped example ({@code config-example.yaml}, an unmodified copy of the user-facing contract of
 * key names). Every key it uses must be known. Two things keep it from loading as written: the files
 * it names do not exist on a test machine, and its {@code server.tls} line writes
 * {@code ${env:KEYSTORE_PASSWORD}} unquoted inside {@code { }}, which is not valid YAML ('{' is a flow
 * indicator there). The tests load a copy with the reference quoted and the files created.
 */
class ConfigExampleTest {
  private static final String CA_PATH = "/etc/gatehouse/shop-ca.pem";
  private static final String KEYSTORE_PATH = "/etc/gatehouse/server.p12";
  private static final String UNQUOTED_REFERENCE = "password: ${env:KEYSTORE_PASSWORD} }";
  private static final String QUOTED_REFERENCE = "password: \"${env:KEYSTORE_PASSWORD}\" }";

  @TempDir Path dir;
  private String example;

  @BeforeEach
  void readExample() throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/config-example.yaml")) {
      example = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    // Guard the assumptions the tests below make about the example.
    assertTrue(example.contains(CA_PATH) && example.contains(KEYSTORE_PATH), "example changed");
  }

  /** The example with the reference in server.tls quoted. */
  private String quotedExample() {
    return example.replace(UNQUOTED_REFERENCE, QUOTED_REFERENCE);
  }

  /** {@link #quotedExample()} with its two file paths pointing at files that exist. */
  private String exampleWithFiles() throws IOException {
    Path ca = Files.writeString(dir.resolve("shop-ca.pem"), "-----BEGIN CERTIFICATE-----\n");
    Path keystore = Files.write(dir.resolve("server.p12"), new byte[] {0x30});
    return quotedExample().replace(CA_PATH, ca.toString()).replace(KEYSTORE_PATH, keystore.toString());
  }

  @Test
  void exampleAsWrittenIsRefusedForItsUnquotedReferenceInsideBraces() {
    // Fails once the shared example quotes the reference; then assert that it parses like
    // exampleWithQuotedReferenceReportsOnlyTheTwoFilesMissingOnThisMachine.
    int line = example.substring(0, example.indexOf(UNQUOTED_REFERENCE)).split("\n", -1).length;
    ConfigException e = assertThrows(ConfigException.class, () -> loader().parse(example, "config-example.yaml"));
    assertEquals(1, e.problems().size(), e::getMessage);
    problemAt(e, "", "is not valid YAML at line " + line + ", column ",
        "a ${...} reference inside { } or [ ] must be quoted, e.g. password: \"${env:NAME}\"");
  }

  private ConfigLoader loader() {
    return new ConfigLoader(exampleRegistry(), ENV);
  }

  @Test
  void exampleWithQuotedReferenceReportsOnlyTheTwoFilesMissingOnThisMachine() {
    String yaml = quotedExample();
    ConfigException e = assertThrows(ConfigException.class, () -> loader().parse(yaml, "config-example.yaml"));
    assertEquals(2, e.problems().size(), e::getMessage);
    problemAt(e, "sources[0].caFile", "file " + CA_PATH + " does not exist or cannot be read",
        "give the path of a readable PEM file");
    problemAt(e, "server.tls.keystore", "file " + KEYSTORE_PATH + " does not exist or cannot be read",
        "PKCS12");
    assertTrue(e.getMessage().startsWith("CONFIG_INVALID: config-example.yaml has 2 problems:\n"),
        e::getMessage);
  }

  @Test
  void exampleParsesWithEveryValueAsWritten() throws IOException {
    GatehouseConfig c = loader().parse(exampleWithFiles(), "config-example.yaml");

    EngineConfig engine = c.engine();
    assertEquals(10_000, engine.maxRows());
    assertEquals(Duration.ofSeconds(30), engine.queryTimeout());
    assertEquals(512L << 20, engine.memoryBudget());
    assertEquals(EngineConfig.DEFAULT_FETCH_SIZE, engine.fetchSize());
    assertEquals(EngineConfig.DEFAULT_METADATA_CACHE_TTL, engine.metadataCacheTtl());

    assertEquals(List.of("shop", "crm"), c.sources().stream().map(SourceConfig::id).toList());
    SourceConfig shop = c.source("shop").orElseThrow();
    assertEquals("postgresql", shop.type());
    assertEquals(List.of("public", "sales"), shop.schemas());
    assertEquals(10, shop.pool().maxSize());
    assertEquals(Duration.ofSeconds(5), shop.pool().connectionTimeout());
    assertEquals(PoolConfig.defaults().minIdle(), shop.pool().minIdle());
    assertEquals(PoolConfig.defaults().idleTimeout(), shop.pool().idleTimeout());
    assertEquals(PoolConfig.defaults().maxLifetime(), shop.pool().maxLifetime());
    assertEquals(null, shop.queryTimeout());
    assertEquals(Duration.ofSeconds(30), shop.effectiveQueryTimeout(engine));
    NetworkSourceSettings s = assertInstanceOf(NetworkSourceSettings.class, shop.settings());
    assertEquals("db.internal.example", s.host());
    assertEquals(5432, s.port());
    assertEquals("shop", s.database());
    assertEquals("gatehouse_ro", s.user());
    assertEquals(ENV.get("SHOP_PG_PASSWORD"), s.password().revealAsString());
    assertEquals(TlsMode.VERIFY_FULL, s.tls());
    assertEquals(dir.resolve("shop-ca.pem"), s.caFile());

    SourceConfig crm = c.source("CRM").orElseThrow();
    assertEquals("mysql", crm.type());
    assertEquals(List.of("crm"), crm.schemas(), "MySQL exposes its database by default");
    assertEquals(PoolConfig.defaults(), crm.pool());
    NetworkSourceSettings m = (NetworkSourceSettings) crm.settings();
    assertEquals("127.0.0.1", m.host());
    assertEquals(3306, m.port());
    assertEquals("reader", m.user());
    assertEquals(ENV.get("CRM_PASSWORD"), m.password().revealAsString());
    assertEquals(null, m.caFile());

    ServerConfig server = c.server();
    assertEquals("127.0.0.1", server.bind());
    assertEquals(8765, server.port());
    assertEquals(dir.resolve("server.p12"), server.tls().keystore());
    assertEquals(ENV.get("KEYSTORE_PASSWORD"), server.tls().password().revealAsString());
    assertEquals(2, server.users().size());
    assertEquals("alice", server.users().get(0).name());
    assertTrue(server.users().get(0).passwordHash().startsWith("$argon2id$"));
    assertEquals(List.of("shop", "crm"), server.users().get(0).sources());
    assertEquals("agent", server.users().get(1).name());
    assertEquals(List.of("shop"), server.users().get(1).sources());
  }

  @Test
  void exampleLoadsFromAFile() throws IOException {
    Path file = Files.writeString(dir.resolve("gatehouse.yaml"), exampleWithFiles());
    GatehouseConfig c = loader().load(file);
    assertEquals(2, c.sources().size());
  }

  @Test
  void exampleWithoutItsEnvironmentNamesEveryMissingVariable() throws IOException {
    String yaml = exampleWithFiles();
    ConfigException e = assertThrows(ConfigException.class,
        () -> new ConfigLoader(exampleRegistry(), Map.of()).parse(yaml, "config-example.yaml"));
    assertEquals(3, e.problems().size(), e::getMessage);
    problemAt(e, "sources[0].password", "environment variable SHOP_PG_PASSWORD is not set", "export it");
    problemAt(e, "sources[1].password", "environment variable CRM_PASSWORD is not set");
    problemAt(e, "server.tls.password", "environment variable KEYSTORE_PASSWORD is not set");
  }

  @Test
  void exampleToStringShowsNoSecret() throws IOException {
    String shown = loader().parse(exampleWithFiles(), "config-example.yaml").toString();
    for (String secret : ENV.values()) {
      assertFalse(shown.contains(secret), shown);
    }
    assertFalse(shown.contains("$argon2id$"), "password hashes are not printed either: " + shown);
  }
}
