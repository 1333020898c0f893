package io.gatehouse.core.config;

import static io.gatehouse.core.config.ConfigTestSupport.ENV;
import static io.gatehouse.core.config.ConfigTestSupport.invalid;
import static io.gatehouse.core.config.ConfigTestSupport.loader;
import static io.gatehouse.core.config.ConfigTestSupport.minimal;
import static io.gatehouse.core.config.ConfigTestSupport.onlyProblem;
import static io.gatehouse.core.config.ConfigTestSupport.parse;
import static io.gatehouse.core.config.ConfigTestSupport.problemAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The document as a whole: YAML syntax, shape, empty input, files and maps built in code. */
class ConfigDocumentTest {
  @TempDir Path dir;

  @Test
  void minimalConfigurationIsAcceptedWithDefaults() {
    GatehouseConfig c = parse(minimal());
    assertEquals(EngineConfig.defaults(), c.engine());
    assertEquals(ServerConfig.defaults(), c.server());
    assertEquals(1, c.sources().size());
  }

  @Test
  void invalidYamlSyntaxGivesLineAndColumn() {
    String yaml = minimal() + "    pool: { maxSize: 10\n";
    ConfigProblem p = onlyProblem(yaml, "", "is not valid YAML at line 8, column 1",
        "expected ',' or '}'", "while parsing a flow mapping that starts at line 7, column 11",
        "check the indentation, quotes and brackets");
    assertFalse(p.message().contains("\n"), "one line per problem: " + p.message());
  }

  @Test
  void badIndentationGivesLineAndColumn() {
    onlyProblem("engine:\n  maxRows: 5\n    fetchSize: 1\n", "",
        "is not valid YAML at line 3, column 14", "mapping values are not allowed here");
  }

  @Test
  void tabIndentationIsExplained() {
    onlyProblem("engine:\n\tmaxRows: 5\n", "", "is not valid YAML at line 2, column 1", "TAB");
  }

  @Test
  void syntaxErrorDoesNotEchoTheOffendingLine() {
    // SnakeYAML's own message quotes the line, which here holds a password.
    String yaml = minimal() + "    password: \"hunter2-Literal\n";
    ConfigException e = invalid(yaml);
    problemAt(e, "", "is not valid YAML at line", "at line 8, column 1: found unexpected end of stream",
        "while scanning a quoted scalar that starts at line 7, column 15");
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   \n\n", "# nothing but a comment\n", "~\n", "---\n"})
  void emptyDocumentIsRefused(String yaml) {
    onlyProblem(yaml, "", "is empty", "needs at least a 'sources:' list");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "- a\\n- b\\n | must be a mapping with the keys engine, sources and server",
      "just text   | must be a mapping with the keys engine, sources and server",
      "42          | must be a mapping with the keys engine, sources and server"})
  void documentThatIsNotAMappingIsRefused(String yaml, String message) {
    onlyProblem(yaml.replace("\\n", "\n"), "", message);
  }

  @Test
  void duplicateTopLevelKeyIsRefusedWithItsLine() {
    String yaml = minimal() + "engine:\n  maxRows: 5\nengine:\n  maxRows: 6\n";
    onlyProblem(yaml, "", "key 'engine' appears twice in the same mapping at line 9",
        "keep only one of them");
  }

  @Test
  void duplicateNestedKeyIsRefusedWithItsLine() {
    String yaml = minimal() + "    port: 5432\n    port: 5433\n";
    onlyProblem(yaml, "", "key 'port' appears twice in the same mapping at line 8", "keep only one");
  }

  @Test
  void sameKeyInTwoSourcesIsNotADuplicate() {
    String yaml = minimal() + "  - id: crm\n    type: testdb\n    host: h\n    database: crm\n    user: u\n";
    assertEquals(2, parse(yaml).sources().size());
  }

  @Test
  void secondYamlDocumentIsRefusedNotIgnored() {
    String yaml = minimal() + "---\nserver:\n  port: 9000\n";
    onlyProblem(yaml, "", "holds more than one YAML document", "near line 8",
        "remove the extra '---'");
  }

  @Test
  void unquotedReferenceInsideBracesGetsAHint() {
    String yaml = minimal() + "    pool: {maxSize: 2}\nserver:\n  tls: {keystore: /k.p12, password: ${env:X}}\n";
    onlyProblem(yaml, "", "is not valid YAML at line 9, column 37",
        "a ${...} reference inside { } or [ ] must be quoted, e.g. password: \"${env:NAME}\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"engine:\n", "engine:\n#  maxRows: 5\n", "server:\n", "engine: ~\n"})
  void emptySectionMeansDefaults(String section) {
    GatehouseConfig c = parse(minimal() + section);
    assertEquals(EngineConfig.defaults(), c.engine());
    assertEquals(ServerConfig.defaults(), c.server());
  }

  @Test
  void leadingAndTrailingDocumentMarkersAreFine() {
    assertEquals(1, parse("---\n" + minimal() + "---\n").sources().size());
    assertEquals(1, parse("---\n" + minimal() + "...\n").sources().size());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      // a list where a mapping is expected
      "engine: [maxRows, 5]        | engine        | must be a mapping of keys to values, got a list",
      "engine: 5                   | engine        | must be a mapping of keys to values, got 5",
      "server: [a]                 | server        | must be a mapping of keys to values, got a list",
      "server: {tls: [a]}          | server.tls    | must be a mapping of keys to values, got a list",
      "server: {users: [alice]}    | server.users[0] | must be a mapping of keys to values, got 'alice'",
      // a mapping or scalar where a list is expected
      "server: {users: {name: a}}  | server.users  | must be a list of mappings, got a mapping"})
  void wrongShapeOfASectionIsRefused(String extra, String path, String message) {
    onlyProblem(minimal() + extra + "\n", path, message);
  }

  @Test
  void poolThatIsAListIsRefused() {
    onlyProblem(minimal() + "    pool: [10, 5s]\n", "sources[0].pool",
        "must be a mapping of keys to values, got a list");
  }

  @Test
  void sourcesThatIsAMappingIsRefused() {
    onlyProblem("sources:\n  id: shop\n  type: testdb\n", "sources",
        "must be a list of mappings, got a mapping");
  }

  @Test
  void sourceEntryThatIsNotAMappingIsRefused() {
    onlyProblem("sources:\n  - shop\n", "sources[0]", "must be a mapping of keys to values, got 'shop'");
  }

  @Test
  void missingSourcesIsRefused() {
    onlyProblem("engine:\n  maxRows: 5\n", "sources", "is required", "list at least one source");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sources: []\n", "sources:\n"})
  void emptySourcesIsRefused(String yaml) {
    onlyProblem(yaml, "sources", "list at least one source");
  }

  @Test
  void unknownTopLevelKeyIsRefusedWithSuggestion() {
    onlyProblem(minimal() + "sever:\n  port: 1\n", "sever", "unknown key", "did you mean 'server'?",
        "Known keys here: allowPlaintextSecrets, masterKeyFile, engine, sources, server, audit");
  }

  @Test
  void unknownTopLevelKeyWithoutCloseMatchListsTheKnownKeys() {
    ConfigProblem p = onlyProblem(minimal() + "logging: debug\n", "logging",
        "unknown key; known keys here: allowPlaintextSecrets, masterKeyFile, engine, sources, server, audit");
    assertFalse(p.message().contains("did you mean"), p.message());
  }

  @Test
  void loadOfAMissingFileIsConfigInvalid() {
    Path missing = dir.resolve("nope.yaml");
    ConfigException e = assertThrows(ConfigException.class, () -> loader().load(missing));
    assertEquals(ErrorCode.CONFIG_INVALID, e.code());
    assertEquals(List.of(new ConfigProblem("", "file not found; pass the path of a YAML configuration file")),
        e.problems());
    assertTrue(e.getMessage().startsWith("CONFIG_INVALID: " + missing + " has 1 problem:\n"), e.getMessage());
  }

  @Test
  void loadOfADirectoryIsConfigInvalid() {
    ConfigException e = assertThrows(ConfigException.class, () -> loader().load(dir));
    problemAt(e, "", "is a directory", "pass the path of a YAML configuration file");
  }

  @Test
  void loadOfAFileThatIsNotUtf8IsConfigInvalid() throws IOException {
    Path file = Files.write(dir.resolve("latin1.yaml"), new byte[] {'a', ':', ' ', (byte) 0xE9, '\n'});
    ConfigException e = assertThrows(ConfigException.class, () -> loader().load(file));
    problemAt(e, "", "is not UTF-8", "save it with UTF-8 encoding");
  }

  @Test
  void loadNamesTheFileInEveryMessage() throws IOException {
    Path file = Files.writeString(dir.resolve("g.yaml"), ConfigTestSupport.sourceWith("port", "70000"));
    ConfigException e = assertThrows(ConfigException.class, () -> loader().load(file));
    assertTrue(e.getMessage().startsWith("CONFIG_INVALID: " + file + " has 1 problem:\n"), e.getMessage());
    problemAt(e, "sources[0].port", "must be 1..65535, got 70000");
  }

  @Test
  void loadReadsAValidFile() throws IOException {
    Path file = Files.writeString(dir.resolve("g.yaml"), minimal());
    assertEquals("shop", loader().load(file).sources().get(0).id());
  }

  @Test
  void fromMapAcceptsAConfigurationBuiltInCode() {
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("id", "shop");
    source.put("type", "testdb");
    source.put("host", "db.example");
    source.put("port", 7001);
    source.put("database", "shop");
    source.put("user", "reader");
    source.put("password", "${env:TEST_PASSWORD}");
    source.put("tls", "require");
    source.put("pool", Map.of("maxSize", 4, "minIdle", 1));
    source.put("queryTimeout", "10s");
    Map<String, Object> config = Map.of(
        "engine", Map.of("maxRows", 500, "memoryBudget", "64MB"),
        "sources", List.of(source),
        "server", Map.of("port", 9000, "users", List.of(
            Map.of("name", "bob", "passwordHash", "$2b$12$abcdefghijklmnopqrstuv", "sources", List.of("shop")))));

    GatehouseConfig c = loader().fromMap(config);

    assertEquals(500, c.engine().maxRows());
    assertEquals(64L << 20, c.engine().memoryBudget());
    SourceConfig s = c.sources().get(0);
    assertEquals(List.of("main"), s.schemas());
    assertEquals(4, s.pool().maxSize());
    assertEquals(1, s.pool().minIdle());
    assertEquals(Duration.ofSeconds(10), s.queryTimeout());
    NetworkSourceSettings n = (NetworkSourceSettings) s.settings();
    assertEquals(7001, n.port());
    assertEquals(TlsMode.REQUIRE, n.tls());
    assertEquals(ENV.get("TEST_PASSWORD"), n.password().revealAsString());
    assertEquals(9000, c.server().port());
    assertEquals(List.of("shop"), c.server().users().get(0).sources());
  }

  @Test
  void fromMapReportsProblemsWithPaths() {
    Map<String, Object> config = Map.of("sources", List.of(
        Map.of("id", "shop", "type", "testdb", "host", "h", "database", "d", "user", "u", "prot", 1)));
    ConfigException e = assertThrows(ConfigException.class, () -> loader().fromMap(config));
    assertEquals(1, e.problems().size(), e::getMessage);
    problemAt(e, "sources[0].prot", "unknown key; did you mean 'port'?");
    assertTrue(e.getMessage().startsWith("CONFIG_INVALID: configuration has 1 problem:"), e.getMessage());
  }

  @Test
  void fromMapOfAnEmptyMapNeedsSources() {
    ConfigException e = assertThrows(ConfigException.class, () -> loader().fromMap(Map.of()));
    assertEquals(1, e.problems().size(), e::getMessage);
    problemAt(e, "sources", "is required");
  }
}
