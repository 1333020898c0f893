package io.gatehouse.adapter.postgresql;

import io.gatehouse.core.spi.ColumnInfo;
import io.gatehouse.core.spi.ColumnType;
import java.util.Locale;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * PostgreSQL's type names (as {@code format_type} spells them) mapped to the SQL types Gatehouse
 * exposes. Public because Redshift reports the same names for the types it shares with PostgreSQL,
 * and its adapter maps those through here.
 */
public final class PostgresTypes {
  private PostgresTypes() {}

  /** Length, precision and scale from PostgreSQL's type modifier; -1 where not declared. */
  public static int[] precisionScale(String type, int typmod) {
    if (typmod < 0) {
      return new int[] {-1, -1};
    }
    switch (type) {
      case "numeric":
        return new int[] {((typmod - 4) >> 16) & 0xffff, (typmod - 4) & 0xffff};
      case "character varying":
      case "character":
      case "bit":
      case "bit varying":
        return new int[] {typmod - 4, -1};
      case "time without time zone":
      case "time with time zone":
      case "timestamp without time zone":
      case "timestamp with time zone":
      case "interval":
        return new int[] {typmod, -1};
      default:
        return new int[] {-1, -1};
    }
  }

  /**
   * The type mapping. Exact where PostgreSQL and SQL agree (integers, numeric, floats, text, boolean,
   * dates and times); {@code timestamptz} is an instant (TIMESTAMP WITH LOCAL TIME ZONE, returned as
   * OffsetDateTime in UTC); types without a SQL equivalent (uuid, json, jsonb, interval, arrays,
   * enums, network types, money) are exposed as text in PostgreSQL's own output format, so nothing is
   * unreadable and comparisons with literals still reach the server typed by it.
   */
  public static ColumnType map(ColumnInfo c) {
    String t = c.sourceType() == null ? "" : c.sourceType().toLowerCase(Locale.ROOT).trim();
    switch (t) {
      case "smallint":
        return ColumnType.of(SqlTypeName.SMALLINT);
      case "integer":
        return ColumnType.of(SqlTypeName.INTEGER);
      case "bigint":
      case "oid":
        return ColumnType.of(SqlTypeName.BIGINT);
      case "numeric":
        // Unconstrained numeric has no fixed scale; values still arrive exact (BigDecimal).
        return c.precision() > 0 ? ColumnType.of(SqlTypeName.DECIMAL, c.precision(), c.scale())
            : ColumnType.of(SqlTypeName.DECIMAL, 38, 10);
      case "real":
        return ColumnType.of(SqlTypeName.REAL);
      case "double precision":
        return ColumnType.of(SqlTypeName.DOUBLE);
      case "boolean":
        return ColumnType.of(SqlTypeName.BOOLEAN);
      case "character varying":
        return c.precision() > 0 ? ColumnType.of(SqlTypeName.VARCHAR, c.precision())
            : ColumnType.of(SqlTypeName.VARCHAR);
      case "character":
        return ColumnType.of(SqlTypeName.CHAR, Math.max(1, c.precision()));
      case "\"char\"":
        return ColumnType.of(SqlTypeName.CHAR, 1);
      case "date":
        return ColumnType.of(SqlTypeName.DATE);
      case "time without time zone":
        return ColumnType.of(SqlTypeName.TIME, c.precision() >= 0 ? c.precision() : 6);
      case "timestamp without time zone":
        return ColumnType.of(SqlTypeName.TIMESTAMP, c.precision() >= 0 ? c.precision() : 6);
      case "timestamp with time zone":
        return ColumnType.of(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE,
            c.precision() >= 0 ? c.precision() : 6);
      case "bytea":
        return ColumnType.of(SqlTypeName.VARBINARY);
      default:
        // text, name, uuid, json, jsonb, xml, interval, time with time zone, money, inet, cidr,
        // macaddr, bit strings, arrays, enums, ranges, geometric types: PostgreSQL's text form.
        return ColumnType.of(SqlTypeName.VARCHAR);
    }
  }
}
