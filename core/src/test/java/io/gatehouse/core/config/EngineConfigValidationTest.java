package io.gatehouse.core.config;

import static io.gatehouse.core.config.ConfigTestSupport.invalid;
import static io.gatehouse.core.config.ConfigTestSupport.minimal;
import static io.gatehouse.core.config.ConfigTestSupport.onlyProblem;
import static io.gatehouse.core.config.ConfigTestSupport.parse;
import static io.gatehouse.core.config.ConfigTestSupport.problemAt;
import static io.gatehouse.core.config.ConfigTestSupport.sourceWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code engine:} section and a source's {@code pool:}: numbers, durations and sizes. */
class EngineConfigValidationTest {

  private static GatehouseConfig engine(String key, String value) {
    return parse(minimal() + "engine:\n  " + key + ": " + value + "\n");
  }

  private static ConfigProblem engineProblem(String key, String value) {
    return onlyProblem(minimal() + "engine:\n  " + key + ": " + value + "\n", "engine." + key);
  }

  @Test
  void missingEngineSectionMeansDefaults() {
    assertEquals(EngineConfig.defaults(), parse(minimal()).engine());
  }

  @Test
  void emptyEngineSectionMeansDefaults() {
    assertEquals(EngineConfig.defaults(), parse(minimal() + "engine: {}\n").engine());
  }

  // --- maxRows ---

  @ParameterizedTest
  @ValueSource(longs = {1, 10_000, 1_000_000_000L})
  void maxRowsWithinBoundsIsAccepted(long rows) {
    assertEquals(rows, engine("maxRows", String.valueOf(rows)).engine().maxRows());
  }

  @ParameterizedTest
  @ValueSource(longs = {0, -1, 1_000_000_001L, 5_000_000_000L})
  void maxRowsOutOfBoundsIsRefused(long rows) {
    assertEquals("must be 1..1000000000, got " + rows, engineProblem("maxRows", String.valueOf(rows)).message());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "10k      | '10k'",
      "100.5    | 100.5",
      "\"100\"  | '100'"})
  void maxRowsThatIsNotAWholeNumberIsRefused(String value, String shown) {
    assertEquals("must be a whole number between 1 and 1000000000, got " + shown,
        engineProblem("maxRows", value).message());
  }

  // --- fetchSize ---

  @Test
  void fetchSizeOutOfBoundsIsRefused() {
    assertEquals("must be 1..1000000, got 0", engineProblem("fetchSize", "0").message());
  }

  @Test
  void fetchSizeIsRead() {
    assertEquals(250, engine("fetchSize", "250").engine().fetchSize());
  }

  // --- durations ---

  @ParameterizedTest
  @CsvSource({"500ms, PT0.5S", "30s, PT30S", "5m, PT5M", "1h, PT1H", "1d, PT24H", "PT30S, PT30S",
      "pt1m30s, PT1M30S", "P1D, PT24H", "30S, PT30S", "'30 s', PT30S"})
  void queryTimeoutAcceptsTheDurationForms(String value, Duration expected) {
    assertEquals(expected, engine("queryTimeout", value).engine().queryTimeout());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "30        | 30",
      "30sec     | '30sec'",
      "1.5s      | '1.5s'",
      "-5s       | '-5s'",
      "5 minutes | '5 minutes'",
      "s         | 's'",
      "PT        | 'PT'",
      "P1Y       | 'P1Y'",
      "[30s]     | a list",
      "99999999999999999d | '99999999999999999d'"})
  void queryTimeoutRefusesOtherForms(String value, String shown) {
    assertEquals("must be a duration such as 500ms, 30s, 5m or 1h, got " + shown,
        engineProblem("queryTimeout", value).message());
  }

  @ParameterizedTest
  @CsvSource({"0s, 0s", "0ms, 0ms", "2d, 2d", "PT-1S, PT-1S", "25h, 25h"})
  void queryTimeoutOutOfRangeIsRefused(String value, String shown) {
    assertEquals("must be between 1ms and 1d, got " + shown, engineProblem("queryTimeout", value).message());
  }

  @Test
  void metadataCacheTtlMayBeZero() {
    assertEquals(Duration.ZERO, engine("metadataCacheTtl", "0s").engine().metadataCacheTtl());
  }

  @Test
  void metadataCacheTtlAboveAWeekIsRefused() {
    assertEquals("must be between 0s and 7d, got 8d", engineProblem("metadataCacheTtl", "8d").message());
  }

  // --- sizes ---

  @ParameterizedTest
  @CsvSource({"1MB, 1048576", "512MB, 536870912", "2GB, 2147483648", "1TB, 1099511627776",
      "64mb, 67108864", "4096KB, 4194304", "2G, 2147483648", "'1 GB', 1073741824",
      "1048576, 1048576", "\"2097152\", 2097152", "2097152B, 2097152"})
  void memoryBudgetAcceptsTheSizeForms(String value, long bytes) {
    assertEquals(bytes, engine("memoryBudget", value).engine().memoryBudget());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "512MiB    | '512MiB'",
      "1.5GB     | '1.5GB'",
      "-1MB      | '-1MB'",
      "lots      | 'lots'",
      "-1048576  | -1048576",
      "99999999999TB | '99999999999TB'",
      "[1GB]     | a list"})
  void memoryBudgetRefusesOtherForms(String value, String shown) {
    assertEquals("must be a size such as 64KB, 512MB or 2GB, got " + shown,
        engineProblem("memoryBudget", value).message());
  }

  @ParameterizedTest
  @CsvSource({"512KB, 512KB", "0, 0", "1000, 1000", "1048575, 1048575"})
  void memoryBudgetBelowOneMegabyteIsRefused(String value, String shown) {
    assertEquals("must be at least 1MB, got " + shown, engineProblem("memoryBudget", value).message());
  }

  // --- pool ---

  @Test
  void poolDefaults() {
    assertEquals(PoolConfig.defaults(), parse(minimal()).sources().get(0).pool());
  }

  @Test
  void poolKeysAreRead() {
    PoolConfig p = parse(sourceWith("pool",
        "{maxSize: 20, minIdle: 2, connectionTimeout: 2s, idleTimeout: 1m, maxLifetime: 1h}"))
        .sources().get(0).pool();
    assertEquals(new PoolConfig(20, 2, Duration.ofSeconds(2), Duration.ofMinutes(1), Duration.ofHours(1)), p);
  }

  @Test
  void poolMinIdleAboveMaxSizeIsRefused() {
    ConfigProblem p = onlyProblem(sourceWith("pool", "{maxSize: 5, minIdle: 6}"), "sources[0].pool.minIdle");
    assertEquals("must not exceed maxSize (5), got 6; lower minIdle or raise maxSize", p.message());
  }

  @Test
  void poolMinIdleAboveTheDefaultMaxSizeIsRefused() {
    onlyProblem(sourceWith("pool", "{minIdle: 11}"), "sources[0].pool.minIdle", "must not exceed maxSize (10), got 11");
  }

  @Test
  void poolMinIdleEqualToMaxSizeIsAccepted() {
    assertEquals(5, parse(sourceWith("pool", "{maxSize: 5, minIdle: 5}")).sources().get(0).pool().minIdle());
  }

  @Test
  void poolWithABadMaxSizeDoesNotAlsoBlameMinIdle() {
    // maxSize 5000 is refused; minIdle 20 must not be compared with the default that replaced it.
    ConfigProblem p = onlyProblem(sourceWith("pool", "{maxSize: 5000, minIdle: 20}"), "sources[0].pool.maxSize");
    assertEquals("must be 1..1000, got 5000", p.message());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "maxSize           | 0    | must be 1..1000, got 0",
      "minIdle           | -1   | must be 0..1000, got -1",
      "connectionTimeout | 100ms | must be between 250ms and 10m, got 100ms",
      "idleTimeout       | 5s   | must be between 10s and 1d, got 5s",
      "maxLifetime       | 10s  | must be between 30s and 7d, got 10s",
      "maxLifetime       | 8d   | must be between 30s and 7d, got 8d",
      "connectionTimeout | 5    | must be a duration such as 500ms, 30s, 5m or 1h, got 5"})
  void poolValueOutOfItsBoundsIsRefused(String key, String value, String message) {
    ConfigProblem p = onlyProblem(sourceWith("pool", "{" + key + ": " + value + "}"), "sources[0].pool." + key);
    assertEquals(message, p.message());
  }

  @Test
  void everyBadEngineValueIsReported() {
    ConfigException e = invalid(minimal()
        + "engine:\n  maxRows: 0\n  queryTimeout: soon\n  memoryBudget: 1KB\n  fetchSize: x\n"
        + "  metadataCacheTtl: -1s\n");
    assertEquals(5, e.problems().size(), e::getMessage);
    problemAt(e, "engine.maxRows", "must be 1..1000000000");
    problemAt(e, "engine.queryTimeout", "must be a duration");
    problemAt(e, "engine.memoryBudget", "must be at least 1MB");
    problemAt(e, "engine.fetchSize", "must be a whole number");
    problemAt(e, "engine.metadataCacheTtl", "must be a duration");
  }
}
