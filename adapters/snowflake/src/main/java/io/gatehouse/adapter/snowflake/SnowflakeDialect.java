package io.gatehouse.adapter.snowflake;

import io.gatehouse.core.spi.Aggregates;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.dialect.SnowflakeSqlDialect;

/**
 * Calcite's Snowflake dialect, told that Snowflake computes AVG and the variance family itself
 * (Calcite's default list stops at COUNT, SUM, MIN and MAX and would rewrite AVG as a truncating
 * SUM / COUNT computed partly in the engine).
 *
 * <p>Identifiers are always double-quoted in the names Snowflake reported, so Snowflake's folding of
 * unquoted names to upper case never applies to generated SQL.
 */
final class SnowflakeDialect extends SnowflakeSqlDialect {
  static final SnowflakeDialect INSTANCE = new SnowflakeDialect();

  private SnowflakeDialect() {
    super(SnowflakeSqlDialect.DEFAULT_CONTEXT);
  }

  @Override
  public boolean supportsAggregateFunction(SqlKind kind) {
    return Aggregates.computedBySqlSources(kind) || super.supportsAggregateFunction(kind);
  }
}
