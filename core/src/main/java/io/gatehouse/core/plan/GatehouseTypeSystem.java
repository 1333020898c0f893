package io.gatehouse.core.plan;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Type rules for the engine.
 *
 * <ul>
 *   <li>Decimals up to 38 digits of precision and scale (Calcite's default is 19), so source columns
 *       such as {@code numeric(30,6)} and sums of money keep their digits, and a division of two
 *       decimal sums keeps a useful scale instead of rounding to 0.</li>
 *   <li>A CASE or UNION over strings of different lengths yields VARCHAR, not a CHAR padded with
 *       blanks ({@code 'neg     '}), matching what PostgreSQL and MySQL return.</li>
 *   <li>Timestamps and times keep microseconds in their declared precision (PostgreSQL's and
 *       MySQL's maximum).</li>
 *   <li>SUM of a TINYINT, SMALLINT or INTEGER is a BIGINT, and SUM of a decimal keeps its scale
 *       with 38 digits of precision: Calcite's default keeps the argument's type, so a sum of
 *       SMALLINT values above 32,767 could not be read back (PostgreSQL answers BIGINT, MySQL a
 *       DECIMAL).</li>
 *   <li>AVG of an exact number is a DECIMAL with at least 6 digits after the point, as in PostgreSQL
 *       and MySQL; Calcite's default keeps the argument's type, so the average of integers 1 and 2
 *       would be 1, not 1.5. (A pushed-down AVG returns the source's own value and scale.)</li>
 * </ul>
 */
public final class GatehouseTypeSystem extends RelDataTypeSystemImpl {
  public static final GatehouseTypeSystem INSTANCE = new GatehouseTypeSystem();
  static final int MAX_DECIMAL = 38;

  private GatehouseTypeSystem() {}

  @Override
  public int getMaxPrecision(SqlTypeName typeName) {
    switch (typeName) {
      case DECIMAL:
        return MAX_DECIMAL;
      case TIME:
      case TIME_WITH_LOCAL_TIME_ZONE:
      case TIMESTAMP:
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
        return 6;
      default:
        return super.getMaxPrecision(typeName);
    }
  }

  @Override
  public int getMaxScale(SqlTypeName typeName) {
    return typeName == SqlTypeName.DECIMAL ? MAX_DECIMAL : super.getMaxScale(typeName);
  }

  @Override
  public int getDefaultPrecision(SqlTypeName typeName) {
    return typeName == SqlTypeName.DECIMAL ? MAX_DECIMAL : super.getDefaultPrecision(typeName);
  }

  @Override
  public RelDataType deriveSumType(RelDataTypeFactory typeFactory, RelDataType argumentType) {
    switch (argumentType.getSqlTypeName()) {
      case TINYINT:
      case SMALLINT:
      case INTEGER:
        return typeFactory.createTypeWithNullability(
            typeFactory.createSqlType(SqlTypeName.BIGINT), argumentType.isNullable());
      case DECIMAL:
        return typeFactory.createTypeWithNullability(
            typeFactory.createSqlType(SqlTypeName.DECIMAL, MAX_DECIMAL,
                Math.max(0, argumentType.getScale())),
            argumentType.isNullable());
      default:
        return argumentType;
    }
  }

  @Override
  public RelDataType deriveAvgAggType(RelDataTypeFactory typeFactory, RelDataType argumentType) {
    switch (argumentType.getSqlTypeName()) {
      case TINYINT:
      case SMALLINT:
      case INTEGER:
      case BIGINT:
      case DECIMAL:
        int scale = Math.max(6, Math.max(0, argumentType.getScale()));
        return typeFactory.createTypeWithNullability(
            typeFactory.createSqlType(SqlTypeName.DECIMAL, MAX_DECIMAL, Math.min(scale, MAX_DECIMAL)),
            argumentType.isNullable());
      default:
        return argumentType;
    }
  }

  @Override
  public boolean shouldConvertRaggedUnionTypesToVarying() {
    return true;
  }
}
