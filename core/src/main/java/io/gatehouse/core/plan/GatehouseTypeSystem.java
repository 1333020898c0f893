package io.gatehouse.core.plan;

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
  public boolean shouldConvertRaggedUnionTypesToVarying() {
    return true;
  }
}
