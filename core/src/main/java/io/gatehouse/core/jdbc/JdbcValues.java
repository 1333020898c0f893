package io.gatehouse.core.jdbc;

import io.gatehouse.core.Column;
import java.math.BigDecimal;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
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

  /** Converts an API value of column {@code c} to the representation of {@link #rep}. */
  static Object toFrameValue(Object v, Column c, TimeZone zone) {
    if (v == null) {
      return null;
    }
    if (v instanceof LocalDate d) {
      return (int) d.toEpochDay();
    }
    if (v instanceof LocalTime t) {
      return (int) (t.toNanoOfDay() / 1_000_000L);
    }
    if (v instanceof LocalDateTime t) {
      return t.toInstant(ZoneOffset.UTC).toEpochMilli();
    }
    if (v instanceof OffsetDateTime o) {
      // The accessor subtracts the connection zone's offset; add the wall-clock time in that zone.
      LocalDateTime wall = o.atZoneSameInstant(ZoneId.of(zone.getID(), ZoneId.SHORT_IDS))
          .toLocalDateTime();
      return wall.toInstant(ZoneOffset.UTC).toEpochMilli();
    }
    if (v instanceof byte[] b) {
      return new ByteString(b);
    }
    if (v instanceof BigDecimal || v instanceof Number || v instanceof String
        || v instanceof Boolean) {
      return v;
    }
    return c.jdbcType() == Types.VARCHAR ? v.toString() : v;
  }
}
