package io.gatehouse.core.jdbc;

import io.gatehouse.core.Column;
import java.math.BigDecimal;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.TimeZone;
import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.util.ByteString;

/**
 * How result values travel through Avatica's JDBC objects: the column metadata (JDBC type and the
 * representation Avatica's accessors read) and the conversion of API values to that representation.
 *
 * <p>Dates, times and timestamps travel as numbers (days, milliseconds of the day, milliseconds of
 * the wall-clock time read as UTC), which is what Avatica's accessors expect and what survives its
 * wire formats unchanged; the accessors turn them into {@code java.sql} values in the connection's
 * time zone. A timestamp with time zone is an instant: it is shifted into the connection's zone so
 * that {@code getTimestamp} returns that instant.
 */
final class JdbcValues {
  private JdbcValues() {}

  static ColumnMetaData columnMetaData(Column c, int ordinal) {
    ColumnMetaData.Rep rep = rep(c);
    int jdbcType = jdbcType(c);
    ColumnMetaData.AvaticaType type = ColumnMetaData.scalar(jdbcType, c.typeName(), rep);
    int displaySize = displaySize(c);
    return new ColumnMetaData(ordinal, false, true, true, false,
        c.nullable() ? java.sql.ResultSetMetaData.columnNullable
            : java.sql.ResultSetMetaData.columnNoNulls,
        signed(jdbcType), displaySize, c.name(), c.name(), null, c.precision(), c.scale(), null,
        null, type, true, false, false, className(c));
  }

  static AvaticaParameter parameter(Column c) {
    return new AvaticaParameter(signed(jdbcType(c)), c.precision(), c.scale(), jdbcType(c),
        c.typeName(), className(c), c.name());
  }

  /** The JDBC type reported; WITH TIME ZONE types are reported as their plain types (see class doc). */
  static int jdbcType(Column c) {
    switch (c.jdbcType()) {
      case Types.TIMESTAMP_WITH_TIMEZONE:
        return Types.TIMESTAMP;
      case Types.TIME_WITH_TIMEZONE:
        return Types.TIME;
      default:
        return c.jdbcType();
    }
  }

  private static ColumnMetaData.Rep rep(Column c) {
    switch (jdbcType(c)) {
      case Types.BOOLEAN: return ColumnMetaData.Rep.BOOLEAN;
      case Types.TINYINT: return ColumnMetaData.Rep.BYTE;
      case Types.SMALLINT: return ColumnMetaData.Rep.SHORT;
      case Types.INTEGER: return ColumnMetaData.Rep.INTEGER;
      case Types.BIGINT: return ColumnMetaData.Rep.LONG;
      case Types.DECIMAL:
      case Types.NUMERIC: return ColumnMetaData.Rep.NUMBER;
      case Types.REAL: return ColumnMetaData.Rep.FLOAT;
      case Types.FLOAT:
      case Types.DOUBLE: return ColumnMetaData.Rep.DOUBLE;
      case Types.CHAR:
      case Types.VARCHAR: return ColumnMetaData.Rep.STRING;
      case Types.BINARY:
      case Types.VARBINARY: return ColumnMetaData.Rep.BYTE_STRING;
      case Types.DATE: return ColumnMetaData.Rep.INTEGER;
      case Types.TIME: return ColumnMetaData.Rep.INTEGER;
      case Types.TIMESTAMP: return ColumnMetaData.Rep.LONG;
      default: return ColumnMetaData.Rep.OBJECT;
    }
  }

  private static boolean signed(int jdbcType) {
    switch (jdbcType) {
      case Types.TINYINT: case Types.SMALLINT: case Types.INTEGER: case Types.BIGINT:
      case Types.DECIMAL: case Types.NUMERIC: case Types.REAL: case Types.FLOAT: case Types.DOUBLE:
        return true;
      default:
        return false;
    }
  }

  private static int displaySize(Column c) {
    switch (jdbcType(c)) {
      case Types.CHAR:
      case Types.VARCHAR:
      case Types.BINARY:
      case Types.VARBINARY:
        return c.precision() > 0 ? c.precision() : 65536;
      case Types.DECIMAL:
        return c.precision() + 2;
      case Types.DATE:
        return 10;
      case Types.TIMESTAMP:
        return 26;
      default:
        return 20;
    }
  }

  private static String className(Column c) {
    switch (jdbcType(c)) {
      case Types.DATE: return java.sql.Date.class.getName();
      case Types.TIME: return java.sql.Time.class.getName();
      case Types.TIMESTAMP: return java.sql.Timestamp.class.getName();
      case Types.BINARY:
      case Types.VARBINARY: return byte[].class.getName();
      default: return c.javaClass().getName();
    }
  }

  /**
   * Converts an API value of column {@code c} to the representation of {@link #rep}. With
   * {@code exact}, times and timestamps are {@link Exact} numbers that also carry the value itself,
   * for in-process result sets (the number alone has milliseconds; sources have microseconds).
   */
  static Object toFrameValue(Object v, Column c, TimeZone zone, boolean exact) {
    if (v == null) {
      return null;
    }
    if (v instanceof LocalDate d) {
      return (int) d.toEpochDay();
    }
    if (v instanceof LocalTime t) {
      int millis = (int) (t.toNanoOfDay() / 1_000_000L);
      return exact ? new Exact(millis, t) : (Object) millis;
    }
    if (v instanceof LocalDateTime t) {
      long millis = wallMillis(t);
      return exact ? new Exact(millis, t) : (Object) millis;
    }
    if (v instanceof OffsetDateTime o) {
      // The accessor subtracts the connection zone's offset; add the wall-clock time in that zone.
      long millis = wallMillis(o.atZoneSameInstant(ZoneId.of(zone.getID(), ZoneId.SHORT_IDS))
          .toLocalDateTime());
      return exact ? new Exact(millis, o) : (Object) millis;
    }
    if (v instanceof byte[] b) {
      // in process Avatica's accessors read ByteString; its wire encoders only know byte[]
      return exact ? new ByteString(b) : b;
    }
    if (v instanceof BigDecimal || v instanceof Number || v instanceof String
        || v instanceof Boolean) {
      return v;
    }
    return c.jdbcType() == Types.VARCHAR ? v.toString() : v;
  }

  /** Milliseconds of the wall-clock time read as UTC, rounded down (the accessors' representation). */
  private static long wallMillis(LocalDateTime t) {
    return Math.addExact(Math.multiplyExact(t.toEpochSecond(ZoneOffset.UTC), 1000L),
        t.getNano() / 1_000_000);
  }

  /**
   * A time or timestamp as Avatica's accessors read it (milliseconds, see the class comment) that
   * also keeps the exact value: {@link LocalTime}, {@link LocalDateTime} or {@link OffsetDateTime}.
   * Only in-process result sets see these; the wire formats carry the plain number.
   */
  static final class Exact extends Number {
    private static final long serialVersionUID = 1L;

    private final long millis;
    private final transient Object value;

    Exact(long millis, Object value) {
      this.millis = millis;
      this.value = value;
    }

    Object value() {
      return value;
    }

    int nanoOfSecond() {
      if (value instanceof LocalDateTime t) {
        return t.getNano();
      }
      if (value instanceof OffsetDateTime o) {
        return o.getNano();
      }
      return ((LocalTime) value).getNano();
    }

    @Override
    public int intValue() {
      return (int) millis;
    }

    @Override
    public long longValue() {
      return millis;
    }

    @Override
    public float floatValue() {
      return millis;
    }

    @Override
    public double doubleValue() {
      return millis;
    }

    @Override
    public String toString() {
      return String.valueOf(value);
    }
  }

  /**
   * An exact date/time value ({@link LocalDate} too) as {@code type}, or null when {@code type} is
   * not a java.time class it converts to. Wall-clock values are placed in {@code zone}, the
   * connection's time zone, the same zone Avatica's getters use.
   */
  static Object temporalAs(Object v, Class<?> type, ZoneId zone) {
    if (type == LocalDate.class) {
      return v instanceof LocalDate d ? d
          : v instanceof LocalDateTime t ? t.toLocalDate()
          : v instanceof OffsetDateTime o ? o.atZoneSameInstant(zone).toLocalDate() : null;
    }
    if (type == LocalDateTime.class) {
      return v instanceof LocalDateTime t ? t
          : v instanceof LocalDate d ? d.atStartOfDay()
          : v instanceof OffsetDateTime o ? o.atZoneSameInstant(zone).toLocalDateTime() : null;
    }
    if (type == LocalTime.class) {
      return v instanceof LocalTime t ? t
          : v instanceof LocalDateTime t ? t.toLocalTime()
          : v instanceof OffsetDateTime o ? o.atZoneSameInstant(zone).toLocalTime() : null;
    }
    ZonedDateTime z = v instanceof OffsetDateTime o ? o.atZoneSameInstant(ZoneOffset.UTC)
        : v instanceof LocalDateTime t ? t.atZone(zone)
        : v instanceof LocalDate d ? d.atStartOfDay(zone) : null;
    if (z == null) {
      return null;
    }
    if (type == OffsetDateTime.class) {
      return z.toOffsetDateTime();
    }
    if (type == ZonedDateTime.class) {
      return z;
    }
    if (type == Instant.class) {
      return z.toInstant();
    }
    return null;
  }

  /**
   * A time or timestamp printed as Avatica prints them ({@code 2024-01-31 08:00:00.5}), with at
   * least {@code precision} fractional digits and as many as the value needs.
   */
  static String format(Exact e, ZoneId zone, int precision) {
    Object v = e.value();
    LocalDateTime wall = v instanceof OffsetDateTime o ? o.atZoneSameInstant(zone).toLocalDateTime()
        : v instanceof LocalDateTime t ? t : null;
    LocalTime time = wall != null ? wall.toLocalTime() : (LocalTime) v;
    StringBuilder b = new StringBuilder(29);
    if (wall != null) {
      LocalDate d = wall.toLocalDate();
      b.append(d).append(' ');
    }
    b.append(String.format(java.util.Locale.ROOT, "%02d:%02d:%02d", time.getHour(), time.getMinute(),
        time.getSecond()));
    int nanos = time.getNano();
    int needed = 0;
    if (nanos != 0) {
      needed = 9;
      for (int n = nanos; n % 10 == 0; n /= 10) {
        needed--;
      }
    }
    int digits = Math.max(needed, Math.max(0, Math.min(precision, 9)));
    if (digits > 0) {
      b.append('.').append(String.format(java.util.Locale.ROOT, "%09d", nanos), 0, digits);
    }
    return b.toString();
  }
}
