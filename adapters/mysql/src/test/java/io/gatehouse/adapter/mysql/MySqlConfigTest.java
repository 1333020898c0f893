package io.gatehouse.adapter.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.config.ConfigProblem;
import io.gatehouse.core.config.NetworkSourceSettings;
import io.gatehouse.core.config.SourceConfig;
import io.gatehouse.core.config.TlsMode;
import io.gatehouse.core.spi.AdapterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The configuration of {@code type: mysql} (and {@code mariadb}) sources, read by {@link MySqlAdapter}. */
class MySqlConfigTest {
  private static final Map<String, String> ENV = Map.of("CRM_PASSWORD", "crm-secret-Qa19");

  private static ConfigLoader loader() {
    return new ConfigLoader(new AdapterRegistry(List.of(new MySqlAdapter())), ENV);
  }

  private static String source(String lines) {
    return "sources:\n  - id: crm\n    type: mysql\n    host: 127.0.0.1\n    user: reader\n" + lines;
  }

  private static SourceConfig parse(String yaml) {
    return loader().parse(yaml, "my.yaml").sources().get(0);
  }

  private static ConfigProblem onlyProblem(String yaml) {
    ConfigException e = assertThrows(ConfigException.class, () -> loader().parse(yaml, "my.yaml"));
    assertEquals(1, e.problems().size(), e::getMessage);
    ConfigProblem p = e.problems().get(0);
    assertTrue(e.getMessage().contains("  - " + p.path() + ": " + p.message()), e::getMessage);
    return p;
  }

  @Test
  void exampleSourceGetsMySqlDefaults() {
    SourceConfig s = parse(source("    port: 3306\n    database: crm\n    password: ${env:CRM_PASSWORD}\n"
        + "    tls: verify-full\n"));
    assertEquals("mysql", s.type());
    NetworkSourceSettings n = assertInstanceOf(NetworkSourceSettings.class, s.settings());
    assertEquals(3306, n.port());
    assertEquals("crm", n.database());
    assertEquals("crm-secret-Qa19", n.password().revealAsString());
    assertEquals(TlsMode.VERIFY_FULL, n.tls());
  }

  @Test
  void defaultPortIs3306() {
    assertEquals(3306, ((NetworkSourceSettings) parse(source("    database: crm\n")).settings()).port());
  }

  @Test
  void schemasDefaultToTheDatabase() {
    assertEquals(List.of("crm"), parse(source("    database: crm\n")).schemas());
  }

  @Test
  void schemasWithoutDatabaseAreAccepted() {
    SourceConfig s = parse(source("    schemas: [crm, billing]\n"));
    assertEquals(List.of("crm", "billing"), s.schemas());
    assertNull(((NetworkSourceSettings) s.settings()).database());
  }

  @Test
  void schemasAndDatabaseTogetherKeepTheSchemas() {
    assertEquals(List.of("billing"), parse(source("    database: crm\n    schemas: [billing]\n")).schemas());
  }

  @Test
  void neitherDatabaseNorSchemasIsRefused() {
    ConfigProblem p = onlyProblem(source(""));
    assertEquals(new ConfigProblem("sources[0].database",
        "is required unless 'schemas' lists the databases to expose"), p);
  }

  @Test
  void emptySchemasWithoutDatabaseIsRefused() {
    // Used to fail with a NullPointerException (List.of(null) as the default schemas).
    ConfigProblem p = onlyProblem(source("    schemas: []\n"));
    assertEquals("sources[0].schemas", p.path());
    assertTrue(p.message().startsWith("is an empty list: list at least one schema"), p.message());
  }

  @Test
  void invalidSchemasWithoutDatabaseIsRefused() {
    ConfigProblem p = onlyProblem(source("    schemas: {crm: yes}\n"));
    assertEquals(new ConfigProblem("sources[0].schemas", "must be a list such as [a, b], got a mapping"), p);
  }

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb", "MariaDB", "MySQL"})
  void typeAndAliasResolveToMysql(String type) {
    String yaml = "sources:\n  - id: crm\n    type: " + type + "\n    host: h\n    user: u\n    database: d\n";
    assertEquals("mysql", parse(yaml).type());
  }

  @Test
  void userIsRequired() {
    String yaml = "sources:\n  - id: crm\n    type: mysql\n    host: h\n    database: d\n";
    assertEquals(new ConfigProblem("sources[0].user", "is required (a login with read-only rights)"),
        onlyProblem(yaml));
  }

  @Test
  void unknownKeyIsRefusedWithSuggestion() {
    ConfigProblem p = onlyProblem(source("    database: crm\n    databases: [a]\n"));
    assertEquals("sources[0].databases", p.path());
    assertTrue(p.message().startsWith("unknown key; did you mean 'database'?"), p.message());
  }

  @Test
  void unknownTypeListsOnlyTheRegisteredTypes() {
    String yaml = "sources:\n  - id: crm\n    type: maria\n    host: h\n    user: u\n    database: d\n";
    assertEquals(new ConfigProblem("sources[0].type", "unknown source type 'maria'; known types: mysql"),
        onlyProblem(yaml));
  }

  @Test
  void adapterIsDiscoveredWithItsAlias() {
    AdapterRegistry discovered = AdapterRegistry.discover();
    assertInstanceOf(MySqlAdapter.class, discovered.find("mysql").orElseThrow());
    assertSame(discovered.find("mysql").orElseThrow(), discovered.find("mariadb").orElseThrow());
  }
}
