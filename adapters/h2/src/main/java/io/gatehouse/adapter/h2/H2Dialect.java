package io.gatehouse.adapter.h2;

import org.apache.calcite.config.NullCollation;
import io.gatehouse.core.spi.Aggregates;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.dialect.H2SqlDialect;

/**
 * Calcite's H2 dialect, corrected for H2 2.x.
 *
 * <ul>
 *   <li><b>NULL ordering.</b> Calcite's H2 dialect keeps the default, nulls sort high, but H2 sorts
 *       them low ({@code DEFAULT_NULL_ORDERING=LOW}: first in ascending order). Declared truthfully,
 *       Calcite writes {@code NULLS FIRST/LAST} wherever H2's default differs from Gatehouse's, so an
 *       {@code ORDER BY} means the same on H2 as on every other source.</li>
 *   <li><b>Window functions.</b> The dialect says H2 has none, which kept every query with
 *       {@code OVER} in the engine; H2 has had them since 1.4.198. Ranking functions are written
 *       without a frame, which H2 would refuse.</li>
 *   <li><b>AVG and the variance family</b> are computed by H2 (Calcite's default list stops at COUNT,
 *       SUM, MIN and MAX and rewrites AVG as a truncating SUM / COUNT).</li>
 * </ul>
 *
 * <p>Row limits use the dialect's standard {@code OFFSET n ROWS FETCH NEXT m ROWS ONLY}, which H2 2.x
 * accepts, also with a parameter; identifiers are always double-quoted, so H2's folding of unquoted
 * names to upper case never applies to generated SQL.
 */
final class H2Dialect extends H2SqlDialect {
  static final H2Dialect INSTANCE = new H2Dialect();

  private H2Dialect() {
    super(H2SqlDialect.DEFAULT_CONTEXT.withNullCollation(NullCollation.LOW));
  }

  @Override
  public boolean supportsWindowFunctions() {
    return true;
  }

  @Override
  public boolean supportsAggregateFunction(SqlKind kind) {
    return Aggregates.computedBySqlSources(kind) || super.supportsAggregateFunction(kind);
  }
}
