package io.gatehouse.adapter.snowflake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.QueryResult;
import io.gatehouse.core.config.ConfigLoader;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every Snowflake type the adapter maps, from the catalog (INFORMATION_SCHEMA.COLUMNS as the FAKE
 * Snowflake reports it) to the Java value read through the real driver.
 */
class SnowflakeTypesTest {
  private static FakeSnowflakeFixture fixture;
  private static Gatehouse gh;

  @BeforeAll
  static void start() throws Exception {
    fixture = new FakeSnowflakeFixture();
    try (Connection c = fixture.adminConnection(); Statement s = c.createStatement()) {
      s.execute("create schema types");
      s.execute("create table types.all_types (id number(9,0), big int, money number(38,10),"
          + " small number(4,0), ratio number(5,2), f float, t varchar(30), b boolean, d date,"
          + " tm time, ntz timestamp_ntz, ltz timestamp_ltz, tz timestamp_tz, bin binary,"
          + " v variant, o object, a array)");
      s.execute("insert into types.all_types values (1, 12345678901234567890123456789,"
          + " 1234567890123456789012345678.0123456789, 1234, 123.45, 1.5, 'héllo', true,"
          + " '2024-02-29', '13:45:30.123456789', '2024-03-01 10:00:00.123456789',"
          + " '2024-03-01 10:00:00.5+02:00', '2024-03-01 10:00:00.25+02:00', X'CAFE',"
          + " '{\"k\": [1, 2]}', '{\"a\": 1}', '[1, \"x\"]')");
      s.execute("insert into types.all_types (id) values (2)");
    }
    Map<String, Object> source = new LinkedHashMap<>(fixture.source(FakeSnowflakeFixture.READER,
        fixture.readerPassword));
    source.put("id", "sf");
    source.put("schemas", List.of("types"));
    Map<String, Object> root = new HashMap<>();
    root.put("sources", List.of(source));
    gh = Gatehouse.open(ConfigLoader.withDiscoveredAdapters().fromMap(root));
  }

  @AfterAll
  static void stop() {
    if (gh != null) {
      gh.close();
    }
    fixture.close();
  }

  @Test
  void catalogTypesMapExactly() {
    Map<String, Class<?>> expected = new LinkedHashMap<>();
    expected.put("ID", Integer.class);
    expected.put("BIG", BigDecimal.class);     // INT is NUMBER(38,0): too wide for a long
    expected.put("MONEY", BigDecimal.class);
    expected.put("SMALL", Integer.class);
    expected.put("RATIO", BigDecimal.class);
    expected.put("F", Double.class);
    expected.put("T", String.class);
    expected.put("B", Boolean.class);
    expected.put("D", LocalDate.class);
    expected.put("TM", LocalTime.class);
    expected.put("NTZ", LocalDateTime.class);
    expected.put("LTZ", OffsetDateTime.class);
    expected.put("TZ", OffsetDateTime.class);
    expected.put("BIN", byte[].class);
    expected.put("V", String.class);
    expected.put("O", String.class);
    expected.put("A", String.class);
    try (QueryResult r = gh.query("select * from sf.types.all_types where id = 1")) {
      Map<String, Class<?>> actual = new LinkedHashMap<>();
      r.columns().forEach(c -> actual.put(c.name(), c.javaClass()));
      assertEquals(expected, actual);
      assertEquals("DECIMAL", r.columns().get(2).typeName());
      assertEquals(38, r.columns().get(2).precision());
      assertEquals(10, r.columns().get(2).scale());
      assertEquals(30, r.columns().get(6).precision());
    }
  }

  @Test
  void valuesArriveExact() {
    try (QueryResult r = gh.query("select * from sf.types.all_types where id = 1")) {
      assertTrue(r.next());
      assertEquals(1, r.get(0));
      assertEquals(new BigDecimal("12345678901234567890123456789"), r.get(1));
      assertEquals(new BigDecimal("1234567890123456789012345678.0123456789"), r.get(2));
      assertEquals(1234, r.get(3));
      assertEquals(new BigDecimal("123.45"), r.get(4));
      assertEquals(1.5, r.get(5));
      assertEquals("héllo", r.get(6));
      assertEquals(true, r.get(7));
      assertEquals(LocalDate.of(2024, 2, 29), r.get(8));
      assertEquals(LocalTime.of(13, 45, 30, 123_456_789), r.get(9));
      assertEquals(LocalDateTime.of(2024, 3, 1, 10, 0, 0, 123_456_789), r.get(10));
      assertEquals(OffsetDateTime.of(2024, 3, 1, 8, 0, 0, 500_000_000, ZoneOffset.UTC), r.get(11));
      assertEquals(OffsetDateTime.of(2024, 3, 1, 8, 0, 0, 250_000_000, ZoneOffset.UTC), r.get(12));
      assertArrayEquals(new byte[] {(byte) 0xCA, (byte) 0xFE}, (byte[]) r.get(13));
      assertEquals("{\"k\": [1, 2]}", r.get(14));
      assertEquals("{\"a\": 1}", r.get(15));
      assertEquals("[1, \"x\"]", r.get(16));
    }
  }

  @Test
  void nullsOfEveryTypeAreNull() {
    try (QueryResult r = gh.query("select * from sf.types.all_types where id = 2")) {
      assertTrue(r.next());
      for (int i = 1; i < r.columns().size(); i++) {
        assertNull(r.get(i), r.columns().get(i).name());
      }
    }
  }

  /** The engine carries parameters with millisecond precision (its internal form), hence .123. */
  @Test
  void temporalParametersAreBound() {
    try (QueryResult r = gh.query("select id from sf.types.all_types where d = ? and ntz > ?"
        + " and ntz < ?", List.of(LocalDate.of(2024, 2, 29), LocalDateTime.of(2024, 3, 1, 10, 0, 0,
            123_000_000), LocalDateTime.of(2024, 3, 1, 10, 0, 0, 124_000_000)),
        io.gatehouse.core.QueryOptions.defaults())) {
      assertTrue(r.next());
      assertEquals(1, r.get(0));
    }
  }
}
