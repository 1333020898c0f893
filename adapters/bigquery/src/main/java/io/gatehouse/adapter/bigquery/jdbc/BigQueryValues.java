package io.gatehouse.adapter.bigquery.jdbc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.FieldList;
import com.google.cloud.bigquery.FieldValue;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.QueryParameterValue;
import com.google.cloud.bigquery.StandardSQLTypeName;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;

/**
 * BigQuery values in both directions: result cells (the REST API's text form, as parsed by the
 * client into {@link FieldValue}) to Java values, and Java parameter values to typed
 * {@link QueryParameterValue}s.
 *
 * <p>Exactness: INT64 is read as a long, NUMERIC and BIGNUMERIC from their decimal text into
 * BigDecimal (never through a double), DATETIME as a wall-clock LocalDateTime, TIMESTAMP as an
 * instant (OffsetDateTime in UTC) with microseconds. GEOGRAPHY arrives as WKT text and JSON as its
 * text; STRUCT and ARRAY values are written as JSON text in the style of BigQuery's
 * {@code TO_JSON_STRING} (objects by field name, arrays, INT64 and NUMERIC as JSON numbers).
 */
public final class BigQueryValues {
  private static final JsonFactory JSON = new JsonFactory();
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The client accepts DATETIME and TIME parameters with exactly six fractional digits. */
  private static final DateTimeFormatter DATETIME_PARAMETER =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");
  private static final DateTimeFormatter TIME_PARAMETER = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");

  private BigQueryValues() {}

  /** The standard SQL type of a result or table column. */
  public static StandardSQLTypeName typeOf(Field f) {
    return f.getType().getStandardType();
  }

  /** Whether a column is an ARRAY (mode REPEATED) or a STRUCT: both are read as JSON text. */
  public static boolean isNested(Field f) {
    return f.getMode() == Field.Mode.REPEATED || typeOf(f) == StandardSQLTypeName.STRUCT;
  }

  /** The natural Java value of a cell (what {@code getObject} returns); null for SQL NULL. */
  public static Object toJava(Field f, FieldValue v) throws SQLException {
    if (v == null || v.isNull()) {
      return null;
    }
    if (isNested(f)) {
      return toJson(f, v);
    }
    try {
      switch (typeOf(f)) {
        case INT64:
          return v.getLongValue();
        case FLOAT64:
          return v.getDoubleValue();
        case NUMERIC:
        case BIGNUMERIC:
          return new BigDecimal(v.getStringValue());
        case BOOL:
          return v.getBooleanValue();
        case BYTES:
          return v.getBytesValue();
        case DATE:
          return LocalDate.parse(v.getStringValue());
        case DATETIME:
          return LocalDateTime.parse(v.getStringValue().replace(' ', 'T'));
        case TIME:
          return LocalTime.parse(v.getStringValue());
        case TIMESTAMP:
          return timestamp(v);
        default:
          // STRING, GEOGRAPHY (WKT), JSON, INTERVAL, RANGE: their text.
          return v.getStringValue();
      }
    } catch (RuntimeException e) {
      throw new SQLException("a value of column '" + f.getName() + "' (" + typeOf(f)
          + ") could not be read: " + e, "22000", e);
    }
  }

  /** A TIMESTAMP cell (microseconds since 1970, in either of the API's encodings) in UTC. */
  static OffsetDateTime timestamp(FieldValue v) {
    long micros = v.getTimestampValue();
    return Instant.EPOCH.plusSeconds(Math.floorDiv(micros, 1_000_000L))
        .plusNanos(Math.floorMod(micros, 1_000_000L) * 1000L).atOffset(ZoneOffset.UTC);
  }

  /** The JDBC type a column reads as. */
  public static int jdbcType(Field f) {
    if (isNested(f)) {
      return Types.VARCHAR;
    }
    switch (typeOf(f)) {
      case INT64:
        return Types.BIGINT;
      case FLOAT64:
        return Types.DOUBLE;
      case NUMERIC:
      case BIGNUMERIC:
        return Types.DECIMAL;
      case BOOL:
        return Types.BOOLEAN;
      case BYTES:
        return Types.VARBINARY;
      case DATE:
        return Types.DATE;
      case DATETIME:
        return Types.TIMESTAMP;
      case TIME:
        return Types.TIME;
      case TIMESTAMP:
        return Types.TIMESTAMP_WITH_TIMEZONE;
      default:
        return Types.VARCHAR;
    }
  }

  /** A STRUCT or ARRAY cell as JSON text. */
  static String toJson(Field f, FieldValue v) throws SQLException {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      writeJson(g, f, v, f.getMode() == Field.Mode.REPEATED);
    } catch (IOException | UncheckedIOException e) {
      throw new SQLException("a nested value of column '" + f.getName() + "' could not be read",
          "22000", e);
    }
    return out.toString();
  }

  private static void writeJson(JsonGenerator g, Field f, FieldValue v, boolean repeated)
      throws IOException {
    if (v == null || v.isNull()) {
      g.writeNull();
      return;
    }
    if (repeated) {
      g.writeStartArray();
      for (FieldValue e : v.getRepeatedValue()) {
        writeJson(g, f, e, false);
      }
      g.writeEndArray();
      return;
    }
    if (typeOf(f) == StandardSQLTypeName.STRUCT) {
      FieldList fields = f.getSubFields();
      FieldValueList record = v.getRecordValue();
      g.writeStartObject();
      for (int i = 0; i < fields.size(); i++) {
        Field sub = fields.get(i);
        g.writeFieldName(sub.getName());
        writeJson(g, sub, record.get(i), sub.getMode() == Field.Mode.REPEATED);
      }
      g.writeEndObject();
      return;
    }
    switch (typeOf(f)) {
      case INT64:
        g.writeNumber(v.getLongValue());
        break;
      case FLOAT64: {
        double d = v.getDoubleValue();
        if (Double.isFinite(d)) {
          g.writeNumber(d);
        } else {
          g.writeString(v.getStringValue()); // JSON has no NaN or Infinity
        }
        break;
      }
      case NUMERIC:
      case BIGNUMERIC:
        g.writeNumber(new BigDecimal(v.getStringValue()));
        break;
      case BOOL:
        g.writeBoolean(v.getBooleanValue());
        break;
      case BYTES:
        g.writeString(Base64.getEncoder().encodeToString(v.getBytesValue()));
        break;
      case TIMESTAMP:
        g.writeString(DateTimeFormatter.ISO_INSTANT.format(timestamp(v).toInstant()));
        break;
      case JSON:
        g.writeTree(MAPPER.readTree(v.getStringValue()));
        break;
      default:
        g.writeString(v.getStringValue());
        break;
    }
  }

  /** A parameter value as BigQuery's typed positional parameter. */
  public static QueryParameterValue parameter(Object v) throws SQLException {
    if (v == null) {
      return QueryParameterValue.of(null, StandardSQLTypeName.STRING);
    }
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return QueryParameterValue.int64(((Number) v).longValue());
    }
    if (v instanceof BigDecimal b) {
      // NUMERIC holds 29 digits before the point and 9 after; larger values need BIGNUMERIC.
      boolean fits = b.scale() <= 9 && b.precision() - b.scale() <= 29;
      return fits ? QueryParameterValue.numeric(b) : QueryParameterValue.bigNumeric(b);
    }
    if (v instanceof Double || v instanceof Float) {
      return QueryParameterValue.float64(((Number) v).doubleValue());
    }
    if (v instanceof Boolean b) {
      return QueryParameterValue.bool(b);
    }
    if (v instanceof String s) {
      return QueryParameterValue.string(s);
    }
    if (v instanceof byte[] b) {
      return QueryParameterValue.bytes(b);
    }
    if (v instanceof LocalDate d) {
      return QueryParameterValue.date(d.toString());
    }
    if (v instanceof LocalDateTime t) {
      return QueryParameterValue.dateTime(DATETIME_PARAMETER.format(t));
    }
    if (v instanceof LocalTime t) {
      return QueryParameterValue.time(TIME_PARAMETER.format(t));
    }
    Instant instant = v instanceof OffsetDateTime o ? o.toInstant()
        : v instanceof ZonedDateTime z ? z.toInstant()
        : v instanceof Instant i ? i : null;
    if (instant != null) {
      long micros = Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L),
          instant.getNano() / 1000L);
      return QueryParameterValue.timestamp(micros);
    }
    throw new SQLException("a parameter of type " + v.getClass().getSimpleName()
        + " cannot be sent to BigQuery", "22023");
  }

  /** A typed NULL parameter for a {@link Types} constant. */
  public static QueryParameterValue nullParameter(int jdbcType) {
    StandardSQLTypeName t;
    switch (jdbcType) {
      case Types.TINYINT:
      case Types.SMALLINT:
      case Types.INTEGER:
      case Types.BIGINT:
        t = StandardSQLTypeName.INT64;
        break;
      case Types.DECIMAL:
      case Types.NUMERIC:
        t = StandardSQLTypeName.NUMERIC;
        break;
      case Types.REAL:
      case Types.FLOAT:
      case Types.DOUBLE:
        t = StandardSQLTypeName.FLOAT64;
        break;
      case Types.BOOLEAN:
      case Types.BIT:
        t = StandardSQLTypeName.BOOL;
        break;
      case Types.BINARY:
      case Types.VARBINARY:
        t = StandardSQLTypeName.BYTES;
        break;
      case Types.DATE:
        t = StandardSQLTypeName.DATE;
        break;
      case Types.TIME:
        t = StandardSQLTypeName.TIME;
        break;
      case Types.TIMESTAMP:
        t = StandardSQLTypeName.DATETIME;
        break;
      case Types.TIMESTAMP_WITH_TIMEZONE:
        t = StandardSQLTypeName.TIMESTAMP;
        break;
      default:
        t = StandardSQLTypeName.STRING;
        break;
    }
    return QueryParameterValue.of(null, t);
  }

  /** The BigQuery spelling of a column's type, with nested fields: {@code STRUCT<a INT64>}. */
  public static String typeName(Field f) {
    String base;
    if (typeOf(f) == StandardSQLTypeName.STRUCT) {
      StringBuilder b = new StringBuilder("STRUCT<");
      List<Field> subs = f.getSubFields();
      for (int i = 0; i < subs.size(); i++) {
        b.append(i == 0 ? "" : ", ").append(subs.get(i).getName()).append(' ').append(typeName(subs.get(i)));
      }
      base = b.append('>').toString();
    } else {
      base = typeOf(f).name();
    }
    return f.getMode() == Field.Mode.REPEATED ? "ARRAY<" + base + ">" : base;
  }
}
