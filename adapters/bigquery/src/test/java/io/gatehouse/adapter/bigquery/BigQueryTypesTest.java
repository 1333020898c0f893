package io.gatehouse.adapter.bigquery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.adapter.bigquery.fake.FakeBigQuery;
import io.gatehouse.adapter.bigquery.testing.FakeBigQueryFixture;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.QueryOptions;
import io.gatehouse.core.QueryResult;
import io.gatehouse.core.introspect.IntrospectOptions;
import io.gatehouse.core.introspect.SourceModel;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every BigQuery type through the engine, against the <b>fake</b> BigQuery: the values travel in the
 * REST API's wire form (INT64 and NUMERIC as text, TIMESTAMP as int64 microseconds, BYTES in
 * base64, STRUCT and ARRAY in the {@code f}/{@code v} encoding), are parsed by the real client and
 * converted by the adapter.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BigQueryTypesTest {
  private static final BigDecimal NUMERIC = new BigDecimal("12345678901234567890.123456789");
  private static final BigDecimal BIGNUMERIC =
      new BigDecimal("12345678901234567890123456789012345678.12345678901234567890123456789012345678");
  private final FakeBigQuery fake = FakeBigQueryFixture.fake();
  private Gatehouse engine;

  @BeforeAll
  void open() throws Exception {
    try (Connection c = fake.adminConnection(); Statement s = c.createStatement()) {
      s.execute("drop schema if exists types cascade");
      s.execute("create schema types");
      s.execute("create table types.all_types(i bigint, f double precision, n decimal(38, 9),"
          + " bn decimal(76, 38), b boolean, s varchar(100), bin varbinary(100), d date,"
          + " dt timestamp(6), t time(6), ts timestamp(6) with time zone, g varchar(200), j varchar(200),"
          + " st varchar(200), arr varchar(200))");
      s.execute("comment on column types.all_types.g is '{\"type\":\"GEOGRAPHY\"}'");
      s.execute("comment on column types.all_types.j is '{\"type\":\"JSON\"}'");
      s.execute("comment on column types.all_types.st is '{\"type\":\"RECORD\",\"fields\":["
          + "{\"name\":\"a\",\"type\":\"INTEGER\"},{\"name\":\"b\",\"type\":\"STRING\"},"
          + "{\"name\":\"at\",\"type\":\"TIMESTAMP\"},{\"name\":\"tags\",\"type\":\"STRING\",\"mode\":\"REPEATED\"}]}'");
      s.execute("comment on column types.all_types.arr is '{\"type\":\"INTEGER\",\"mode\":\"REPEATED\"}'");
      try (PreparedStatement ps = c.prepareStatement("insert into types.all_types values"
          + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        ps.setLong(1, Long.MAX_VALUE);
        ps.setDouble(2, 0.1);
        ps.setBigDecimal(3, NUMERIC);
        ps.setBigDecimal(4, BIGNUMERIC);
        ps.setBoolean(5, true);
        ps.setString(6, "Zürich ✓");
        ps.setBytes(7, new byte[] {0, 1, (byte) 0xff});
        ps.setObject(8, LocalDate.of(2024, 2, 29));
        ps.setObject(9, LocalDateTime.of(2024, 2, 29, 23, 59, 58, 123_456_000));
        ps.setObject(10, LocalTime.of(7, 8, 9, 654_321_000));
        ps.setObject(11, OffsetDateTime.of(2024, 3, 1, 12, 0, 0, 1_000, ZoneOffset.ofHours(2)));
        ps.setString(12, "POINT(-9.14 38.71)");
        ps.setString(13, "{\"k\":[1,2],\"s\":\"v\"}");
        ps.setString(14, "{\"f\":[{\"v\":\"7\"},{\"v\":\"x\"},{\"v\":\"1.709294400000001E9\"},"
            + "{\"v\":[{\"v\":\"p\"},{\"v\":\"q\"}]}]}");
        ps.setString(15, "[{\"v\":\"1\"},{\"v\":\"2\"},{\"v\":\"3\"}]");
        ps.executeUpdate();
      }
      s.execute("insert into types.all_types(i, arr) values (2, '[]')");
    }
    engine = FakeBigQueryFixture.openEngine(List.of("types"), Map.of());
  }

  @AfterAll
  void close() {
    engine.close();
  }

  @Test
  void everyTypeArrivesExactly() {
    try (QueryResult r = engine.query("select * from bq.types.all_types order by i desc")) {
      assertTrue(r.next());
      assertEquals(Long.MAX_VALUE, r.get(0));
      assertEquals(0.1, r.get(1));
      assertEquals(NUMERIC, r.get(2));
      assertEquals(0, BIGNUMERIC.compareTo((BigDecimal) r.get(3)),
          () -> "BIGNUMERIC exact, got " + r.get(3));
      assertEquals(true, r.get(4));
      assertEquals("Zürich ✓", r.get(5));
      assertArrayEquals(new byte[] {0, 1, (byte) 0xff}, (byte[]) r.get(6));
      assertEquals(LocalDate.of(2024, 2, 29), r.get(7));
      assertEquals(LocalDateTime.of(2024, 2, 29, 23, 59, 58, 123_456_000), r.get(8), "DATETIME");
      assertEquals(LocalTime.of(7, 8, 9, 654_321_000), r.get(9));
      assertEquals(OffsetDateTime.of(2024, 3, 1, 10, 0, 0, 1_000, ZoneOffset.UTC), r.get(10),
          "TIMESTAMP: the instant in UTC, microseconds kept");
      assertEquals("POINT(-9.14 38.71)", r.get(11), "GEOGRAPHY as WKT");
      assertEquals("{\"k\":[1,2],\"s\":\"v\"}", r.get(12), "JSON as its text");
      assertEquals("{\"a\":7,\"b\":\"x\",\"at\":\"2024-03-01T12:00:00.000001Z\",\"tags\":[\"p\",\"q\"]}",
          r.get(13), "STRUCT as a JSON object");
      assertEquals("[1,2,3]", r.get(14), "ARRAY as a JSON array");
      assertTrue(r.next());
      assertEquals(2L, r.get(0));
      for (int i = 1; i < 14; i++) {
        assertNull(r.get(i), "column " + (i + 1) + " is NULL");
      }
      assertEquals("[]", r.get(14), "BigQuery has no NULL arrays, only empty ones");
    }
  }

  @Test
  void parametersOfEveryTypeAreSentTyped() {
    try (QueryResult r = engine.query("select i from bq.types.all_types where n = ? and b = ?"
        + " and d = ? and dt > ? and s = ? and f > ? and bin = ?",
        List.of(NUMERIC, true, LocalDate.of(2024, 2, 29),
            LocalDateTime.of(2024, 2, 29, 23, 59, 58, 123_000_000), "Zürich ✓", 0.05,
            new byte[] {0, 1, (byte) 0xff}), QueryOptions.defaults())) {
      assertTrue(r.next(), "the row matches every typed parameter");
      assertEquals(Long.MAX_VALUE, r.get(0));
    }
    String sent = fake.queries().get(fake.queries().size() - 1);
    assertEquals(7, sent.chars().filter(ch -> ch == '?').count(), sent);
  }

  @Test
  void introspectionShowsBigQueryTypesAndTheirSqlTypes() {
    SourceModel m = engine.introspect("bq", IntrospectOptions.defaults());
    Map<String, String> types = m.schemas().get(0).tables().get(0).columns().stream()
        .collect(Collectors.toMap(c -> c.name(), c -> c.sourceType() + " -> " + c.sqlType(),
            (a, b) -> a, LinkedHashMap::new));
    assertEquals("INT64 -> BIGINT", types.get("i"));
    assertEquals("FLOAT64 -> DOUBLE", types.get("f"));
    assertEquals("NUMERIC -> DECIMAL(38, 9)", types.get("n"));
    assertEquals("BIGNUMERIC -> DECIMAL(38, 10)", types.get("bn"));
    assertEquals("BOOL -> BOOLEAN", types.get("b"));
    assertEquals("BYTES -> VARBINARY", types.get("bin"));
    assertEquals("DATETIME -> TIMESTAMP(6)", types.get("dt"));
    assertEquals("TIMESTAMP -> TIMESTAMP_WITH_LOCAL_TIME_ZONE(6)", types.get("ts"));
    assertEquals("GEOGRAPHY -> VARCHAR", types.get("g"));
    assertEquals("JSON -> VARCHAR", types.get("j"));
    assertEquals("STRUCT<a INT64, b STRING, at TIMESTAMP, tags ARRAY<STRING>> -> VARCHAR", types.get("st"));
    assertEquals("ARRAY<INT64> -> VARCHAR", types.get("arr"));
    assertEquals(2L, m.schemas().get(0).tables().get(0).rowEstimate(), "numRows of tables.get");
  }

  @Test
  void profilingSamplesWithAProjectQualifiedQuery() {
    fake.clearLog();
    SourceModel m = engine.introspect("bq", IntrospectOptions.defaults().withProfile(true));
    assertEquals(2, m.schemas().get(0).tables().get(0).profile().sampledRows(),
        () -> String.valueOf(m.schemas().get(0).tables().get(0).profile()));
    assertTrue(fake.queries().stream().anyMatch(q -> q.contains("FROM `my-proj-1`.types.all_types")),
        () -> String.valueOf(fake.queries()));
  }
}
