package io.gatehouse.core.spi;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The SQL type an adapter maps a source column to. The engine builds Calcite types from it and reads
 * values with the JDBC getter that keeps them exact (BigDecimal for DECIMAL, long for BIGINT, java.time
 * values for dates and times).
 *
 * @param precision precision or length, or -1 for the type's default
 * @param scale scale, or -1
 */
public record ColumnType(SqlTypeName typeName, int precision, int scale) {
  public static ColumnType of(SqlTypeName typeName) {
    return new ColumnType(typeName, -1, -1);
  }

  public static ColumnType of(SqlTypeName typeName, int precision) {
    return new ColumnType(typeName, precision, -1);
  }

  public static ColumnType of(SqlTypeName typeName, int precision, int scale) {
    return new ColumnType(typeName, precision, scale);
  }

  /** The Calcite type, clamped to what the type system allows. */
  public RelDataType toRelDataType(RelDataTypeFactory factory, boolean nullable) {
    RelDataType t;
    int maxPrecision = factory.getTypeSystem().getMaxPrecision(typeName);
    if (precision >= 0 && scale >= 0 && typeName.allowsPrecScale(true, true)) {
      int p = Math.min(Math.max(precision, 1), maxPrecision);
      int s = Math.min(scale, Math.min(p, factory.getTypeSystem().getMaxScale(typeName)));
      t = factory.createSqlType(typeName, p, s);
    } else if (precision >= 0 && typeName.allowsPrecNoScale()) {
      t = factory.createSqlType(typeName,
          maxPrecision > 0 ? Math.min(precision, maxPrecision) : precision);
    } else {
      t = factory.createSqlType(typeName);
    }
    return factory.createTypeWithNullability(t, nullable);
  }
}
