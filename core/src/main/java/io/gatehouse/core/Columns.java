package io.gatehouse.core;

import io.gatehouse.core.plan.PlannedQuery;
import java.math.BigDecimal;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.type.SqlTypeName;

/** Describes Calcite types to API callers: SQL type name, JDBC code, Java class. */
final class Columns {
  private Columns() {}

  static Column of(PlannedQuery.OutputColumn c) {
    return of(c.name(), c.type());
  }

  static Column of(String name, RelDataType type) {
    SqlTypeName t = type.getSqlTypeName();
    int precision = type.getPrecision() == RelDataType.PRECISION_NOT_SPECIFIED ? 0 : type.getPrecision();
    int scale = type.getScale() == RelDataType.SCALE_NOT_SPECIFIED ? 0 : type.getScale();
    return new Column(name, typeName(t), jdbcType(t), precision, t == SqlTypeName.DECIMAL ? scale : 0,
        type.isNullable(), javaClass(t));
  }

  static String typeName(SqlTypeName t) {
    switch (t) {
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
        return "TIMESTAMP WITH TIME ZONE";
      case TIME_WITH_LOCAL_TIME_ZONE:
        return "TIME WITH TIME ZONE";
      case DOUBLE:
        return "DOUBLE";
      default:
        return t.getName().replace('_', ' ');
    }
  }

  static int jdbcType(SqlTypeName t) {
    switch (t) {
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
        return Types.TIMESTAMP_WITH_TIMEZONE;
      case TIME_WITH_LOCAL_TIME_ZONE:
        return Types.TIME_WITH_TIMEZONE;
      default:
        return t.getJdbcOrdinal();
    }
  }

  static Class<?> javaClass(SqlTypeName t) {
    switch (t) {
      case BOOLEAN: return Boolean.class;
      case TINYINT: return Byte.class;
      case SMALLINT: return Short.class;
      case INTEGER: return Integer.class;
      case BIGINT: return Long.class;
      case DECIMAL: return BigDecimal.class;
      case REAL: return Float.class;
      case FLOAT:
      case DOUBLE: return Double.class;
      case CHAR:
      case VARCHAR: return String.class;
      case BINARY:
      case VARBINARY: return byte[].class;
      case DATE: return LocalDate.class;
      case TIME: return LocalTime.class;
      case TIMESTAMP: return LocalDateTime.class;
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE: return OffsetDateTime.class;
      default: return Object.class;
    }
  }
}
