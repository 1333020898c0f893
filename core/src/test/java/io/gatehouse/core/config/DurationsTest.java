package io.gatehouse.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The duration ({@code 30s}) and size ({@code 512MB}) notation. */
class DurationsTest {

  @ParameterizedTest
  @CsvSource({"500ms, 500", "30s, 30000", "5m, 300000", "1h, 3600000", "1d, 86400000",
      "PT30S, 30000", "pt30s, 30000", "PT0.5S, 500", "P2D, 172800000", "' 10s ', 10000", "'10 ms', 10",
      "0s, 0", "30S, 30000", "1H, 3600000"})
  void parsesTheAcceptedForms(String text, long millis) {
    assertEquals(Duration.ofMillis(millis), Durations.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "30", "s", "ms", "30sec", "30 seconds", "1.5s", "-5s", "+5s", "5w", "1y",
      "P", "PT", "P1Y", "P1M", "thirty seconds", "5m30s", "99999999999999999999s"})
  void refusesOtherForms(String text) {
    assertNull(Durations.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"9999999999999999d", "9999999999999999h", "999999999999999999m",
      "PT9999999999999999999H"})
  void overflowIsRefusedNotThrown(String text) {
    assertNull(Durations.parse(text));
  }

  @ParameterizedTest
  @CsvSource({"0, 0s", "1, 1ms", "250, 250ms", "1500, 1500ms", "1000, 1s", "90000, 90s", "60000, 1m",
      "3600000, 1h", "86400000, 1d", "604800000, 7d"})
  void formatsTheWayTheConfigWritesThem(long millis, String text) {
    assertEquals(text, Durations.format(Duration.ofMillis(millis)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1ms", "250ms", "30s", "5m", "1h", "1d"})
  void formatAndParseRoundTrip(String text) {
    assertEquals(text, Durations.format(Durations.parse(text)));
  }

  @ParameterizedTest
  @CsvSource({"0, 0", "100, 100", "100b, 100", "1k, 1024", "1KB, 1024", "64kb, 65536", "1MB, 1048576",
      "512MB, 536870912", "2GB, 2147483648", "1TB, 1099511627776", "'1 GB', 1073741824", "' 2m ', 2097152"})
  void parsesSizes(String text, long bytes) {
    assertEquals(bytes, Durations.parseBytes(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "MB", "1.5GB", "-1MB", "1MiB", "1PB", "1 M B", "lots", "99999999999TB",
      "99999999999999999999"})
  void refusesOtherSizes(String text) {
    assertNull(Durations.parseBytes(text));
  }

  @Test
  void formatsSizesInTheLargestExactUnit() {
    assertEquals("1MB", Durations.formatBytes(1L << 20));
    assertEquals("1536KB", Durations.formatBytes(1536L << 10));
    assertEquals("2GB", Durations.formatBytes(2L << 30));
    assertEquals("3TB", Durations.formatBytes(3L << 40));
    assertEquals("1000 bytes", Durations.formatBytes(1000));
    assertEquals("0 bytes", Durations.formatBytes(0));
  }
}
