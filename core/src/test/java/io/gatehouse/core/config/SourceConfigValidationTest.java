package io.gatehouse.core.config;

import static io.gatehouse.core.config.ConfigTestSupport.ENV;
import static io.gatehouse.core.config.ConfigTestSupport.invalid;
import static io.gatehouse.core.config.ConfigTestSupport.minimal;
import static io.gatehouse.core.config.ConfigTestSupport.onlyProblem;
import static io.gatehouse.core.config.ConfigTestSupport.parse;
import static io.gatehouse.core.config.ConfigTestSupport.problemAt;
import static io.gatehouse.core.config.ConfigTestSupport.sourceWith;
import static io.gatehouse.core.config.ConfigTestSupport.sourceYaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gatehouse.core.spi.AdapterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The keys every source has ({@code id, type, schemas, pool, queryTimeout}) and the network keys. */
class SourceConfigValidationTest {
  @TempDir Path dir;

  private static NetworkSourceSettings settings(GatehouseConfig c) {
    return (NetworkSourceSettings) c.sources().get(0).settings();
  }

  // --- required keys ---

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "id       | is required (a short name; it becomes the schema name in SQL)",
      "type     | is required (one of: testdb)",
      "host     | is required (the server's host name or IP address)",
      "user     | is required (a login with read-only rights)",
      "database | is required (the database to connect to)"})
  void missingRequiredKeyIsRefused(String key, String message) {
    ConfigProblem p = onlyProblem(sourceWith(key, null), "sources[0]." + key);
    assertEquals(message, p.message());
  }

  @ParameterizedTest
  @ValueSource(strings = {"id", "type", "host", "user", "database"})
  void requiredKeyWithoutValueIsRefused(String key) {
    onlyProblem(sourceWith(key, ""), "sources[0]." + key, "is required (");
  }

  @ParameterizedTest
  @ValueSource(strings = {"id", "type", "host", "user", "database"})
  void requiredKeyWithBlankTextIsRefused(String key) {
    onlyProblem(sourceWith(key, "\"  \""), "sources[0]." + key, "must not be empty");
  }

  @Test
  void requiredTextGivenAsAListIsRefused() {
    onlyProblem(sourceWith("host", "[a, b]"), "sources[0].host", "must be a text value, got a list");
  }

  @Test
  void missingKeysOfOneSourceAreAllReported() {
    ConfigException e = invalid("sources:\n  - type: testdb\n");
    assertEquals(List.of("sources[0].id", "sources[0].host", "sources[0].database", "sources[0].user"),
        e.problems().stream().map(ConfigProblem::path).toList(), e::getMessage);
  }

  // --- id ---

  @ParameterizedTest
  @ValueSource(strings = {"1shop", "_shop", "shop-db", "shop.db", "'shop db'", "shöp", "'a$'",
      "a123456789012345678901234567890123456789012345678901234567890123"})
  void sourceIdWithBadCharactersIsRefused(String id) {
    String shown = id.startsWith("'") ? id.substring(1, id.length() - 1) : id;
    ConfigProblem p = onlyProblem(sourceWith("id", id), "sources[0].id");
    assertEquals("must start with a letter and hold only letters, digits and '_' (at most 63), got '"
        + shown + "'", p.message());
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "Shop_2", "shop_eu_west",
      "a12345678901234567890123456789012345678901234567890123456789012"})
  void sourceIdWithLettersDigitsAndUnderscoreIsAccepted(String id) {
    assertEquals(id, parse(sourceWith("id", id)).sources().get(0).id());
  }

  @Test
  void sourceIdThatIsANumberIsRefused() {
    onlyProblem(sourceWith("id", "42"), "sources[0].id", "must be a text value, got 42");
  }

  @Test
  void duplicateSourceIdIsRefused() {
    String yaml = minimal() + "  - id: shop\n    type: testdb\n    host: h2\n    database: d\n    user: u\n";
    ConfigProblem p = onlyProblem(yaml, "sources[1].id");
    assertEquals("duplicate source id 'shop' (also used by sources[0]); ids must be unique, ignoring case",
        p.message());
  }

  @Test
  void sourceIdsDifferingOnlyInCaseAreDuplicates() {
    String yaml = minimal() + "  - id: SHOP\n    type: testdb\n    host: h2\n    database: d\n    user: u\n";
    onlyProblem(yaml, "sources[1].id", "duplicate source id 'SHOP' (also used by sources[0])",
        "ignoring case");
  }

  @Test
  void everyDuplicateNamesTheFirstUse() {
    String other = "    type: testdb\n    host: h\n    database: d\n    user: u\n";
    String yaml = minimal() + "  - id: crm\n" + other + "  - id: Shop\n" + other + "  - id: CRM\n" + other;
    ConfigException e = invalid(yaml);
    assertEquals(2, e.problems().size(), e::getMessage);
    problemAt(e, "sources[2].id", "duplicate source id 'Shop' (also used by sources[0])");
    problemAt(e, "sources[3].id", "duplicate source id 'CRM' (also used by sources[1])");
  }

  // --- type ---

  @Test
  void unknownTypeListsTheKnownTypes() {
    AdapterRegistry registry = ConfigTestSupport.exampleRegistry();
    ConfigException e = assertThrows(ConfigException.class,
        () -> new ConfigLoader(registry, ENV).parse(sourceWith("type", "oracle"), "t.yaml"));
    assertEquals(1, e.problems().size(), e::getMessage);
    ConfigProblem p = problemAt(e, "sources[0].type");
    assertEquals("unknown source type 'oracle'; known types: mysql, postgresql, testdb", p.message());
  }

  @Test
  void unknownTypeWithoutAdaptersSaysSo() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> new ConfigLoader(new AdapterRegistry(List.of()), ENV).parse(minimal(), "t.yaml"));
    problemAt(e, "sources[0].type", "unknown source type 'testdb'",
        "known types: none (no source adapter is on the class path)");
  }

  @Test
  void sourceOfUnknownTypeStillHasItsCommonKeysChecked() {
    ConfigException e = invalid(sourceYaml(Map.of("type", "nosuch", "pool", "{maxSize: 0}")));
    assertEquals(2, e.problems().size(), e::getMessage);
    problemAt(e, "sources[0].type", "unknown source type 'nosuch'; known types: testdb");
    problemAt(e, "sources[0].pool.maxSize", "must be 1..1000, got 0");
  }

  @ParameterizedTest
  @ValueSource(strings = {"testdb", "TestDB", "test", "TEST"})
  void typeAliasesAndCaseResolveToTheCanonicalType(String type) {
    assertEquals("testdb", parse(sourceWith("type", type)).sources().get(0).type());
  }

  @Test
  void exampleAliasesResolveToCanonicalTypes() {
    ConfigLoader loader = new ConfigLoader(ConfigTestSupport.exampleRegistry(), ENV);
    assertEquals("postgresql", loader.parse(sourceWith("type", "postgres"), "t").sources().get(0).type());
    assertEquals("mysql", loader.parse(sourceWith("type", "mariadb"), "t").sources().get(0).type());
  }

  // --- port ---

  @Test
  void portDefaultsToTheAdaptersPort() {
    assertEquals(7000, settings(parse(minimal())).port());
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 5432, 65535})
  void portInRangeIsAccepted(int port) {
    assertEquals(port, settings(parse(sourceWith("port", String.valueOf(port)))).port());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 65536, 70000})
  void portOutOfRangeIsRefused(int port) {
    ConfigProblem p = onlyProblem(sourceWith("port", String.valueOf(port)), "sources[0].port");
    assertEquals("must be 1..65535, got " + port, p.message());
  }

  @Test
  void portOutOfRangeInTheSecondSourceHasItsIndex() {
    // The issue's own example: sources[1].port: must be 1..65535, got 70000
    String yaml = minimal() + "  - id: crm\n    type: testdb\n    host: h\n    port: 70000\n"
        + "    database: crm\n    user: u\n";
    ConfigException e = invalid(yaml);
    assertEquals(List.of(new ConfigProblem("sources[1].port", "must be 1..65535, got 70000")), e.problems());
    problemAt(e, "sources[1].port");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "abc              | 'abc'",
      "\"5432\"         | '5432'",
      "5432.5           | 5432.5",
      "99999999999999999999 | 99999999999999999999",
      "true             | true",
      "[5432]           | a list"})
  void nonNumericPortIsRefused(String value, String shown) {
    ConfigProblem p = onlyProblem(sourceWith("port", value), "sources[0].port");
    assertEquals("must be a whole number between 1 and 65535, got " + shown, p.message());
  }

  // --- tls and caFile ---

  @Test
  void tlsDefaultsToVerifyFull() {
    assertEquals(TlsMode.VERIFY_FULL, settings(parse(minimal())).tls());
  }

  @ParameterizedTest
  @CsvSource({"verify-full, VERIFY_FULL", "verify-ca, VERIFY_CA", "require, REQUIRE",
      "disable, DISABLE", "VERIFY-FULL, VERIFY_FULL", "Disable, DISABLE"})
  void tlsModesAreAccepted(String value, TlsMode mode) {
    assertEquals(mode, settings(parse(sourceWith("tls", value))).tls());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "verify    | 'verify'",
      "verify_full | 'verify_full'",
      "true      | 'true' (YAML reads on/off/yes/no as true/false)",
      "off       | 'false' (YAML reads on/off/yes/no as true/false)",
      "1         | 1"})
  void unknownTlsModeIsRefused(String value, String shown) {
    ConfigProblem p = onlyProblem(sourceWith("tls", value), "sources[0].tls");
    assertEquals("must be one of verify-full, verify-ca, require, disable, got " + shown, p.message());
  }

  @Test
  void readableCaFileIsAccepted() throws IOException {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "pem");
    assertEquals(ca, settings(parse(sourceWith("caFile", ca.toString()))).caFile());
  }

  @Test
  void missingCaFileIsRefused() {
    Path ca = dir.resolve("missing-ca.pem");
    ConfigProblem p = onlyProblem(sourceWith("caFile", ca.toString()), "sources[0].caFile");
    assertEquals("file " + ca + " does not exist or cannot be read; give the path of a readable PEM file"
        + " with the CA certificate(s) of the source, or remove caFile to use the JVM's trust store",
        p.message());
  }

  @Test
  void caFileThatIsADirectoryIsRefused() {
    onlyProblem(sourceWith("caFile", dir.toString()), "sources[0].caFile", "does not exist or cannot be read");
  }

  @Test
  void caFileWithTlsDisabledIsRefused() throws IOException {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "pem");
    onlyProblem(sourceYaml(Map.of("caFile", ca.toString(), "tls", "disable")), "sources[0].caFile",
        "is set but tls is 'disable'; remove caFile or enable TLS");
  }

  @Test
  void passwordIsOptional() {
    assertNull(settings(parse(minimal())).password());
  }

  // --- schemas ---

  @Test
  void schemasDefaultToTheAdaptersDefault() {
    assertEquals(List.of("main"), parse(minimal()).sources().get(0).schemas());
  }

  @Test
  void schemasAreKeptInOrder() {
    assertEquals(List.of("sales", "public"),
        parse(sourceWith("schemas", "[sales, public]")).sources().get(0).schemas());
  }

  @Test
  void singleSchemaMayBeWrittenWithoutBrackets() {
    assertEquals(List.of("sales"), parse(sourceWith("schemas", "sales")).sources().get(0).schemas());
  }

  @Test
  void emptySchemasListIsRefused() {
    onlyProblem(sourceWith("schemas", "[]"), "sources[0].schemas", "is an empty list",
        "list at least one schema", "or remove the key");
  }

  @Test
  void schemaListedTwiceIsRefused() {
    onlyProblem(sourceWith("schemas", "[a, b, a]"), "sources[0].schemas[2]", "'a' is listed twice");
  }

  @Test
  void schemaThatIsNotTextIsRefused() {
    onlyProblem(sourceWith("schemas", "[a, {b: c}]"), "sources[0].schemas[1]",
        "must be a non-empty text value, got a mapping");
  }

  @Test
  void schemasAsAMappingIsRefused() {
    onlyProblem(sourceWith("schemas", "{a: b}"), "sources[0].schemas", "must be a list such as [a, b], got a mapping");
  }

  // --- queryTimeout ---

  @Test
  void sourceQueryTimeoutOverridesTheEngines() {
    GatehouseConfig c = parse(sourceWith("queryTimeout", "5s"));
    assertEquals(Duration.ofSeconds(5), c.sources().get(0).effectiveQueryTimeout(c.engine()));
  }

  @Test
  void sourceWithoutQueryTimeoutUsesTheEngines() {
    GatehouseConfig c = parse(minimal());
    assertNull(c.sources().get(0).queryTimeout());
    assertEquals(EngineConfig.DEFAULT_QUERY_TIMEOUT, c.sources().get(0).effectiveQueryTimeout(c.engine()));
  }

  @Test
  void sourceQueryTimeoutOutOfRangeIsRefused() {
    onlyProblem(sourceWith("queryTimeout", "2d"), "sources[0].queryTimeout",
        "must be between 1ms and 1d, got 2d");
  }

  @Test
  void sourceLookupIgnoresCase() {
    assertEquals("shop", parse(minimal()).source("SHOP").orElseThrow().id());
  }
}
