package io.gatehouse.adapter.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The configuration of {@code type: postgresql} sources, read by {@link PostgresAdapter}. */
class PostgresConfigTest {
  private static final Map<String, String> ENV = Map.of("SHOP_PG_PASSWORD", "pg-secret-Lm42");

  private static ConfigLoader loader() {
    return new ConfigLoader(new AdapterRegistry(List.of(new PostgresAdapter())), ENV);
  }

  private static String source(String lines) {
    return "sources:\n  - id: shop\n    type: postgresql\n    host: db.internal.example\n" + lines;
  }

  private static SourceConfig parse(String yaml) {
    return loader().parse(yaml, "pg.yaml").sources().get(0);
  }

  private static ConfigProblem onlyProblem(String yaml) {
    ConfigException e = assertThrows(ConfigException.class, () -> loader().parse(yaml, "pg.yaml"));
    assertEquals(1, e.problems().size(), e::getMessage);
    ConfigProblem p = e.problems().get(0);
    assertTrue(e.getMessage().contains("  - " + p.path() + ": " + p.message()), e::getMessage);
    return p;
  }

  @Test
  void minimalSourceGetsPostgresDefaults() {
    SourceConfig s = parse(source("    database: shop\n    user: gatehouse_ro\n"));
    assertEquals("postgresql", s.type());
    assertEquals(List.of("public"), s.schemas());
    NetworkSourceSettings n = assertInstanceOf(NetworkSourceSettings.class, s.settings());
    assertEquals(5432, n.port());
    assertEquals("shop", n.database());
    assertEquals("gatehouse_ro", n.user());
    assertEquals(TlsMode.VERIFY_FULL, n.tls());
    assertNull(n.password());
    assertNull(n.caFile());
  }

  @Test
  void exampleSourceIsRead() {
    SourceConfig s = parse(source("    port: 5433\n    database: shop\n    user: gatehouse_ro\n"
        + "    password: ${env:SHOP_PG_PASSWORD}\n    tls: verify-ca\n    schemas: [public, sales]\n"
        + "    pool: { maxSize: 10, connectionTimeout: 5s }\n"));
    NetworkSourceSettings n = (NetworkSourceSettings) s.settings();
    assertEquals(5433, n.port());
    assertEquals("pg-secret-Lm42", n.password().revealAsString());
    assertEquals(TlsMode.VERIFY_CA, n.tls());
    assertEquals(List.of("public", "sales"), s.schemas());
    assertEquals(10, s.pool().maxSize());
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "postgres", "PostgreSQL", "POSTGRES"})
  void typeAndAliasResolveToPostgresql(String type) {
    String yaml = "sources:\n  - id: shop\n    type: " + type + "\n    host: h\n    database: d\n    user: u\n";
    assertEquals("postgresql", parse(yaml).type());
  }

  @Test
  void databaseIsRequired() {
    ConfigProblem p = onlyProblem(source("    user: gatehouse_ro\n"));
    assertEquals(new ConfigProblem("sources[0].database", "is required (the database to connect to)"), p);
  }

  @Test
  void databaseIsRequiredEvenWithSchemas() {
    ConfigProblem p = onlyProblem(source("    user: gatehouse_ro\n    schemas: [public]\n"));
    assertEquals("sources[0].database", p.path());
  }

  @Test
  void userIsRequired() {
    ConfigProblem p = onlyProblem(source("    database: shop\n"));
    assertEquals(new ConfigProblem("sources[0].user", "is required (a login with read-only rights)"), p);
  }

  @Test
  void portOutOfRangeIsRefused() {
    ConfigProblem p = onlyProblem(source("    database: shop\n    user: u\n    port: 70000\n"));
    assertEquals(new ConfigProblem("sources[0].port", "must be 1..65535, got 70000"), p);
  }

  @Test
  void unknownKeyIsRefusedWithSuggestion() {
    ConfigProblem p = onlyProblem(source("    database: shop\n    user: u\n    sslmode: require\n"));
    assertEquals("sources[0].sslmode", p.path());
    assertTrue(p.message().startsWith("unknown key; known keys here: "), p.message());
    ConfigProblem typo = onlyProblem(source("    databse: shop\n    database: shop\n    user: u\n"));
    assertEquals("sources[0].databse", typo.path());
    assertTrue(typo.message().startsWith("unknown key; did you mean 'database'?"), typo.message());
  }

  @Test
  void unknownTypeListsOnlyTheRegisteredTypes() {
    String yaml = "sources:\n  - id: shop\n    type: postgress\n    host: h\n    database: d\n    user: u\n";
    ConfigProblem p = onlyProblem(yaml);
    assertEquals(new ConfigProblem("sources[0].type",
        "unknown source type 'postgress'; known types: postgresql"), p);
  }

  @Test
  void adapterIsDiscoveredWithItsAlias() {
    AdapterRegistry discovered = AdapterRegistry.discover();
    assertInstanceOf(PostgresAdapter.class, discovered.find("postgresql").orElseThrow());
    assertSame(discovered.find("postgresql").orElseThrow(), discovered.find("postgres").orElseThrow());
  }

  @Test
  void passwordIsNotPrinted() {
    GatehouseConfig c = loader().parse(source("    database: d\n    user: u\n    password: ${env:SHOP_PG_PASSWORD}\n"),
        "pg.yaml");
    assertTrue(c.toString().contains("password=****"), c.toString());
    assertTrue(!c.toString().contains("pg-secret-Lm42"), c.toString());
  }
}
