package io.gatehouse.core.exec;

import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Converts values between the three forms they take on their way through the engine.
 *
 * <ul>
 *   <li><b>JDBC</b>: what a source driver returns and accepts. Read with the getter that keeps the
 *       value exact: {@code getBigDecimal} for DECIMAL, {@code getLong} for BIGINT, java.time
 *       objects for dates and times (never {@code java.sql.Timestamp}, whose conversions depend on
 *       the JVM's time zone).</li>
 *   <li><b>internal</b>: Calcite's run-time representation, used when the engine itself computes
 *       (joins across sources): DATE as days since 1970 ({@code int}), TIME as milliseconds of the
 *       day ({@code int}), TIMESTAMP as milliseconds since 1970 read as UTC ({@code long}), TIMESTAMP
 *       WITH LOCAL TIME ZONE as the instant in milliseconds, binary as {@link ByteString}.</li>
 *   <li><b>API</b>: what callers of the Java API receive: {@link LocalDate}, {@link LocalTime},
 *       {@link LocalDateTime} (a timestamp without zone stays a wall-clock value),
 *       {@link OffsetDateTime} in UTC (a timestamp with zone is an instant), {@code byte[]},
 *       {@link BigDecimal}, {@code Long}, {@code Integer}, ...</li>
 * </ul>
 *
 * <p>A query that runs entirely in one source is read straight from JDBC into API values, which keeps
 * microseconds. Values that pass through the engine's own operators carry Calcite's millisecond
 * precision.
 */
public final class ValueCodec {
  private ValueCodec() {}

  /** Reads one column of the current row as API value. */
  public static Object readApi(ResultSet rs, int i, SqlTypeName type) throws SQLException {
    switch (type) {
      case BOOLEAN: {
        boolean v = rs.getBoolean(i);
        return rs.wasNull() ? null : v;
      }
      case TINYINT: {
        byte v = rs.getByte(i);
        return rs.wasNull() ? null : v;
      }
      case SMALLINT: {
        short v = rs.getShort(i);
        return rs.wasNull() ? null : v;
      }
      case INTEGER: {
        int v = rs.getInt(i);
        return rs.wasNull() ? null : v;
      }
      case BIGINT: {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
      }
      case REAL: {
        float v = rs.getFloat(i);
        return rs.wasNull() ? null : v;
      }
      case FLOAT:
      case DOUBLE: {
        double v = rs.getDouble(i);
        return rs.wasNull() ? null : v;
      }
      case DECIMAL:
        return rs.getBigDecimal(i);
      case CHAR:
      case VARCHAR:
        return rs.getString(i);
      case BINARY:
      case VARBINARY:
        return rs.getBytes(i);
      case DATE:
        return rs.getObject(i, LocalDate.class);
      case TIME:
        return rs.getObject(i, LocalTime.class);
      case TIMESTAMP:
        return rs.getObject(i, LocalDateTime.class);
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE: {
        OffsetDateTime v = rs.getObject(i, OffsetDateTime.class);
        return v == null ? null : v.withOffsetSameInstant(ZoneOffset.UTC);
      }
      default:
        return rs.getObject(i);
    }
  }

  /** Reads one column of the current row in Calcite's internal representation. */
  public static Object readInternal(ResultSet rs, int i, SqlTypeName type) throws SQLException {
    switch (type) {
      case BINARY:
      case VARBINARY: {
        byte[] b = rs.getBytes(i);
        return b == null ? null : new ByteString(b);
      }
      case DATE: {
        LocalDate d = rs.getObject(i, LocalDate.class);
        return d == null ? null : (int) d.toEpochDay();
      }
      case TIME: {
        LocalTime t = rs.getObject(i, LocalTime.class);
        return t == null ? null : (int) (t.toNanoOfDay() / 1_000_000L);
      }
      case TIMESTAMP: {
        LocalDateTime t = rs.getObject(i, LocalDateTime.class);
        return t == null ? null : t.toInstant(ZoneOffset.UTC).toEpochMilli();
      }
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE: {
        OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
        return t == null ? null : t.toInstant().toEpochMilli();
      }
      default:
        return readApi(rs, i, type);
    }
  }

  /** Converts a value computed by the engine (internal form) to the API form of its column type. */
  public static Object internalToApi(Object v, SqlTypeName type) {
    if (v == null) {
      return null;
    }
    switch (type) {
      case DATE:
        return LocalDate.ofEpochDay(((Number) v).longValue());
      case TIME:
        return LocalTime.ofNanoOfDay(Math.floorMod(((Number) v).longValue(), 86_400_000L) * 1_000_000L);
      case TIMESTAMP: {
        long ms = ((Number) v).longValue();
        return LocalDateTime.ofEpochSecond(Math.floorDiv(ms, 1000L),
            (int) Math.floorMod(ms, 1000L) * 1_000_000, ZoneOffset.UTC);
      }
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
        return Instant.ofEpochMilli(((Number) v).longValue()).atOffset(ZoneOffset.UTC);
      case BINARY:
      case VARBINARY:
        return v instanceof ByteString b ? b.getBytes() : v;
      case TINYINT:
        return v instanceof Number n ? (Object) n.byteValue() : v;
      case SMALLINT:
        return v instanceof Number n ? (Object) n.shortValue() : v;
      case INTEGER:
        return v instanceof Number n ? (Object) n.intValue() : v;
      case BIGINT:
        return v instanceof Number n ? (Object) n.longValue() : v;
      case REAL:
        return v instanceof Number n ? (Object) n.floatValue() : v;
      case FLOAT:
      case DOUBLE:
        return v instanceof Number n ? (Object) n.doubleValue() : v;
      case DECIMAL:
        return v instanceof BigDecimal ? v : v instanceof Number n ? new BigDecimal(n.toString()) : v;
      case CHAR:
      case VARCHAR:
        return v.toString();
      default:
        return v;
    }
  }

  /** Converts an internal value to what a source driver accepts as a parameter. */
  public static Object internalToJdbc(Object v, SqlTypeName type) {
    if (v == null) {
      return null;
    }
    if (v instanceof ByteString b) {
      return b.getBytes();
    }
    if (type == null) {
      return v;
    }
    switch (type) {
      case DATE:
      case TIME:
      case TIMESTAMP:
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
        return internalToApi(v, type);
      default:
        return v;
    }
  }

  /** Binds a parameter value (JDBC form) at a 1-based position. */
  public static void bind(PreparedStatement ps, int position, Object jdbcValue, SqlTypeName type)
      throws SQLException {
    if (jdbcValue == null) {
      ps.setNull(position, type == null ? java.sql.Types.NULL : type.getJdbcOrdinal());
    } else {
      ps.setObject(position, jdbcValue);
    }
  }

  private static final DateTimeFormatter LENIENT_DATE_TIME = new DateTimeFormatterBuilder()
      .append(DateTimeFormatter.ISO_LOCAL_DATE)
      .optionalStart().appendLiteral('T').optionalEnd()
      .optionalStart().appendLiteral(' ').optionalEnd()
      .append(DateTimeFormatter.ISO_LOCAL_TIME)
      .toFormatter();

  /**
   * Converts a caller's parameter value to the internal form of the parameter's type, accepting the
   * usual Java types for it (for a DATE: LocalDate, java.sql.Date or 'yyyy-mm-dd').
   *
   * @param position 1-based, for the error message
   */
  public static Object apiToInternal(Object v, SqlTypeName type, int position) {
    if (v == null) {
      return null;
    }
    try {
      switch (type) {
        case BOOLEAN:
          if (v instanceof Boolean) {
            return v;
          }
          if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.valueOf(s);
          }
          break;
        case TINYINT:
          return (byte) integral(v, Byte.MIN_VALUE, Byte.MAX_VALUE);
        case SMALLINT:
          return (short) integral(v, Short.MIN_VALUE, Short.MAX_VALUE);
        case INTEGER:
          return (int) integral(v, Integer.MIN_VALUE, Integer.MAX_VALUE);
        case BIGINT:
          return integral(v, Long.MIN_VALUE, Long.MAX_VALUE);
        case DECIMAL:
          return decimal(v);
        case REAL:
          if (v instanceof Number n) {
            return n.floatValue();
          }
          if (v instanceof String s) {
            return Float.parseFloat(s.trim());
          }
          break;
        case FLOAT:
        case DOUBLE:
          if (v instanceof Number n) {
            return n.doubleValue();
          }
          if (v instanceof String s) {
            return Double.parseDouble(s.trim());
          }
          break;
        case CHAR:
        case VARCHAR:
          if (v instanceof CharSequence || v instanceof java.util.UUID || v instanceof Number
              || v instanceof Boolean || v instanceof Character) {
            return v.toString();
          }
          break;
        case BINARY:
        case VARBINARY:
          if (v instanceof byte[] b) {
            return new ByteString(b);
          }
          if (v instanceof ByteString) {
            return v;
          }
          break;
        case DATE: {
          LocalDate d = v instanceof LocalDate ld ? ld
              : v instanceof java.sql.Date sd ? sd.toLocalDate()
              : v instanceof LocalDateTime ldt ? ldt.toLocalDate()
              : v instanceof String s ? LocalDate.parse(s.trim()) : null;
          if (d != null) {
            return (int) d.toEpochDay();
          }
          break;
        }
        case TIME: {
          LocalTime t = v instanceof LocalTime lt ? lt
              : v instanceof java.sql.Time st ? st.toLocalTime()
              : v instanceof String s ? LocalTime.parse(s.trim()) : null;
          if (t != null) {
            return (int) (t.toNanoOfDay() / 1_000_000L);
          }
          break;
        }
        case TIMESTAMP: {
          LocalDateTime t = v instanceof LocalDateTime ldt ? ldt
              : v instanceof java.sql.Timestamp ts ? ts.toLocalDateTime()
              : v instanceof LocalDate ld ? ld.atStartOfDay()
              : v instanceof String s ? LocalDateTime.parse(s.trim(), LENIENT_DATE_TIME) : null;
          if (t != null) {
            return t.toInstant(ZoneOffset.UTC).toEpochMilli();
          }
          break;
        }
        case TIMESTAMP_WITH_LOCAL_TIME_ZONE: {
          Instant i = v instanceof Instant in ? in
              : v instanceof OffsetDateTime o ? o.toInstant()
              : v instanceof ZonedDateTime z ? z.toInstant()
              : v instanceof java.sql.Timestamp ts ? ts.toInstant()
              : v instanceof String s ? OffsetDateTime.parse(s.trim()).toInstant() : null;
          if (i != null) {
            return i.toEpochMilli();
          }
          break;
        }
        default:
          return v;
      }
    } catch (ArithmeticException | NumberFormatException | DateTimeParseException e) {
      throw badParameter(v, type, position);
    }
    throw badParameter(v, type, position);
  }

  private static long integral(Object v, long min, long max) {
    long l;
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      l = ((Number) v).longValue();
    } else if (v instanceof BigDecimal || v instanceof BigInteger || v instanceof Double
        || v instanceof Float || v instanceof String) {
      l = new BigDecimal(v.toString().trim()).longValueExact();
    } else {
      throw new NumberFormatException();
    }
    if (l < min || l > max) {
      throw new ArithmeticException();
    }
    return l;
  }

  private static BigDecimal decimal(Object v) {
    if (v instanceof BigDecimal b) {
      return b;
    }
    if (v instanceof Number || v instanceof String) {
      return new BigDecimal(v.toString().trim());
    }
    throw new NumberFormatException();
  }

  private static GatehouseException badParameter(Object v, SqlTypeName type, int position) {
    return new GatehouseException(ErrorCode.INVALID_PARAMETER, "parameter " + position + " must be "
        + describe(type) + ", got a value of type " + v.getClass().getSimpleName());
  }

  /** How a type is described to users in errors. */
  static String describe(SqlTypeName type) {
    switch (type) {
      case DATE: return "a date (LocalDate, java.sql.Date or 'yyyy-mm-dd')";
      case TIME: return "a time (LocalTime, java.sql.Time or 'hh:mm:ss')";
      case TIMESTAMP: return "a timestamp (LocalDateTime, java.sql.Timestamp or 'yyyy-mm-dd hh:mm:ss')";
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE: return "an instant (OffsetDateTime, Instant or ISO-8601 with offset)";
      case DECIMAL: return "a decimal number";
      case TINYINT: case SMALLINT: case INTEGER: case BIGINT:
        return "a whole number in the range of " + type.getName();
      case REAL: case FLOAT: case DOUBLE: return "a number";
      case BOOLEAN: return "true or false";
      case BINARY: case VARBINARY: return "binary data (byte[])";
      default: return "a " + type.getName().toLowerCase(java.util.Locale.ROOT) + " value";
    }
  }

  /** A List view of an engine row, converted to API values. */
  static Object[] toApiRow(Object[] internal, List<SqlTypeName> types) {
    Object[] out = new Object[internal.length];
    for (int i = 0; i < internal.length; i++) {
      out[i] = internalToApi(internal[i], types.get(i));
    }
    return out;
  }

}
