package io.gatehouse.adapter.h2;

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
import io.gatehouse.core.spi.AdapterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The configuration of {@code type: h2} sources, read by {@link H2Adapter}. No database is opened. */
class H2ConfigTest {
  private static final Map<String, String> ENV = Map.of("H2_PASSWORD", "h2-secret-Vb73");

  @TempDir
  static Path dir;

  /** An existing database path (without .mv.db): validation only checks that the file exists. */
  private static Path shop;

  @BeforeAll
  static void files() throws Exception {
    shop = dir.resolve("shop");
    Files.writeString(dir.resolve("shop.mv.db"), "");
    Files.writeString(dir.resolve("legacy.h2.db"), "");
  }

  private static ConfigLoader loader() {
    return new ConfigLoader(new AdapterRegistry(List.of(new H2Adapter())), ENV);
  }

  private static String source(String lines) {
    return "sources:\n  - id: local\n    type: h2\n" + lines;
  }

  private static SourceConfig parse(String yaml) {
    return loader().parse(yaml, "h2.yaml").sources().get(0);
  }

  private static ConfigProblem onlyProblem(String yaml) {
    ConfigException e = assertThrows(ConfigException.class, () -> loader().parse(yaml, "h2.yaml"));
    assertEquals(1, e.problems().size(), e::getMessage);
    ConfigProblem p = e.problems().get(0);
    assertTrue(e.getMessage().contains("  - " + p.path() + ": " + p.message()), e::getMessage);
    return p;
  }

  private static String quoted(Object path) {
    return "'" + path + "'";
  }

  @Test
  void pathSourceGetsH2Defaults() {
    SourceConfig s = parse(source("    path: " + quoted(shop) + "\n"));
    assertEquals("h2", s.type());
    assertEquals(List.of("PUBLIC"), s.schemas());
    H2SourceSettings h = assertInstanceOf(H2SourceSettings.class, s.settings());
    assertEquals(shop, h.path());
    assertNull(h.memory());
    assertFalse(h.inMemory());
    assertEquals("sa", h.user());
    assertNull(h.password());
    assertEquals("jdbc:h2:file:" + shop + ";IFEXISTS=TRUE;ACCESS_MODE_DATA=r", h.url());
  }

  @Test
  void memorySourceIsRead() {
    SourceConfig s = parse(source("    memory: gatehouse_demo\n    user: gatehouse_demo_reader\n"
        + "    password: ${env:H2_PASSWORD}\n    schemas: [PUBLIC, SALES]\n"));
    H2SourceSettings h = (H2SourceSettings) s.settings();
    assertTrue(h.inMemory());
    assertNull(h.path());
    assertEquals("gatehouse_demo", h.memory());
    assertEquals("gatehouse_demo_reader", h.user());
    assertEquals("h2-secret-Vb73", h.password().revealAsString());
    assertEquals(List.of("PUBLIC", "SALES"), s.schemas());
    assertEquals("jdbc:h2:mem:gatehouse_demo;IFEXISTS=TRUE", h.url());
  }

  @Test
  void relativePathIsMadeAbsolute() {
    Path relative = Path.of("").toAbsolutePath().relativize(shop);
    H2SourceSettings h = (H2SourceSettings) parse(source("    path: " + quoted(relative) + "\n")).settings();
    assertEquals(shop, h.path());
    assertTrue(h.path().isAbsolute());
  }

  @Test
  void pathOrMemoryIsRequired() {
    ConfigProblem p = onlyProblem(source("    user: sa\n"));
    assertEquals("sources[0].path", p.path());
    assertTrue(p.message().startsWith("is required unless 'memory' is given"), p.message());
  }

  @Test
  void pathAndMemoryTogetherAreRefused() {
    ConfigProblem p = onlyProblem(source("    path: " + quoted(shop) + "\n    memory: demo\n"));
    assertEquals(new ConfigProblem("sources[0].memory", "cannot be combined with 'path'; give one of the two"), p);
  }

  @Test
  void urlIsRefused() {
    ConfigProblem p = onlyProblem(source("    path: " + quoted(shop) + "\n"
        + "    url: \"jdbc:h2:mem:x;INIT=RUNSCRIPT FROM 'http://example.com/evil.sql'\"\n"));
    assertEquals("sources[0].url", p.path());
    assertTrue(p.message().startsWith("is not accepted for H2 sources"), p.message());
    // alone, it is refused too, besides the missing path
    ConfigException e = assertThrows(ConfigException.class,
        () -> loader().parse(source("    url: jdbc:h2:mem:x\n"), "h2.yaml"));
    assertTrue(e.problems().stream().anyMatch(x -> x.path().equals("sources[0].url")), e::getMessage);
  }

  @ParameterizedTest
  @ValueSource(strings = {"demo;INIT=RUNSCRIPT FROM 'x.sql'", "demo;IFEXISTS=FALSE", "a=b", "demo db",
      "../demo", "demo:x", "dém"})
  void memoryNameWithAnythingButLettersDigitsAndUnderscoreIsRefused(String name) {
    ConfigProblem p = onlyProblem(source("    memory: \"" + name + "\"\n"));
    assertEquals(new ConfigProblem("sources[0].memory",
        "must hold only letters, digits and '_' (at most 64), got '" + name + "'"), p);
  }

  @Test
  void pathWithUrlOptionsIsRefused() {
    ConfigProblem p = onlyProblem(source("    path: \"" + shop + ";INIT=RUNSCRIPT FROM 'x.sql'\"\n"));
    assertEquals("sources[0].path", p.path());
    assertTrue(p.message().startsWith("must not contain ';'"), p.message());
  }

  @Test
  void pathWithTheFileSuffixIsRefusedWithTheFix() {
    ConfigProblem p = onlyProblem(source("    path: " + quoted(shop + ".mv.db") + "\n"));
    assertEquals(new ConfigProblem("sources[0].path",
        "must not end with .mv.db (H2 adds it); write '" + shop + "'"), p);
  }

  @Test
  void missingDatabaseFileIsRefused() {
    Path missing = dir.resolve("missing");
    ConfigProblem p = onlyProblem(source("    path: " + quoted(missing) + "\n"));
    assertEquals("sources[0].path", p.path());
    assertTrue(p.message().startsWith("no H2 database file " + missing + ".mv.db"), p.message());
  }

  @Test
  void legacyH2FileIsExplained() {
    ConfigProblem p = onlyProblem(source("    path: " + quoted(dir.resolve("legacy")) + "\n"));
    assertEquals("sources[0].path", p.path());
    assertTrue(p.message().contains("H2 1.x database"), p.message());
  }

  @Test
  void unknownKeyIsRefusedWithSuggestion() {
    ConfigProblem p = onlyProblem(source("    memory: demo\n    pasword: x\n"));
    assertEquals("sources[0].pasword", p.path());
    assertTrue(p.message().startsWith("unknown key; did you mean 'password'?"), p.message());
    ConfigProblem host = onlyProblem(source("    memory: demo\n    host: localhost\n"));
    assertEquals("sources[0].host", host.path());
    assertTrue(host.message().startsWith("unknown key"), host.message());
  }

  @Test
  void passwordMustBeTextAndIsNotPrinted() {
    GatehouseConfig c = loader().parse(source("    memory: demo\n    password: ${env:H2_PASSWORD}\n"), "h2.yaml");
    assertTrue(c.toString().contains("password=****"), c.toString());
    assertFalse(c.toString().contains("h2-secret-Vb73"), c.toString());
    ConfigProblem p = onlyProblem(source("    memory: demo\n    password: 1234\n"));
    assertEquals(new ConfigProblem("sources[0].password", "must be a text value (quote it), got a number"), p);
  }

  @Test
  void emptyMemoryNameIsRefused() {
    ConfigProblem p = onlyProblem(source("    memory: ''\n"));
    assertEquals(new ConfigProblem("sources[0].memory", "must not be empty"), p);
  }

  @Test
  void unknownTypeListsOnlyTheRegisteredTypes() {
    ConfigProblem p = onlyProblem("sources:\n  - id: local\n    type: h3\n    memory: demo\n");
    assertEquals(new ConfigProblem("sources[0].type", "unknown source type 'h3'; known types: h2"), p);
  }

  @Test
  void adapterIsDiscovered() {
    assertInstanceOf(H2Adapter.class, AdapterRegistry.discover().find("h2").orElseThrow());
    assertInstanceOf(H2Adapter.class, AdapterRegistry.discover().find("H2").orElseThrow());
  }
}
