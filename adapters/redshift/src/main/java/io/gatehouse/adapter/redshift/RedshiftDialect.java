package io.gatehouse.adapter.redshift;

import io.gatehouse.core.spi.Aggregates;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.dialect.RedshiftSqlDialect;

/**
 * Calcite's Redshift dialect (LIMIT/OFFSET, {@code float8} and {@code int2} casts, no GROUP BY of
 * literals, Redshift's DECIMAL(38, 37) and VARCHAR(65535) limits), told that Redshift computes AVG
 * and the variance family itself. Calcite's default list stops at COUNT, SUM, MIN and MAX and would
 * rewrite AVG as SUM / COUNT cast back to the argument's type, which truncates the average.
 */
final class RedshiftDialect extends RedshiftSqlDialect {
  static final RedshiftDialect INSTANCE = new RedshiftDialect();

  private RedshiftDialect() {
    super(RedshiftSqlDialect.DEFAULT_CONTEXT);
  }

  @Override
  public boolean supportsAggregateFunction(SqlKind kind) {
    return Aggregates.computedBySqlSources(kind) || super.supportsAggregateFunction(kind);
  }
}
