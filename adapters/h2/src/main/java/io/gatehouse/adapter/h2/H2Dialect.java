package io.gatehouse.adapter.h2;

import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.dialect.H2SqlDialect;

/**
 * Calcite's H2 dialect, told what H2 2.x can do: window functions (Calcite's dialect predates them
 * and refuses) and AVG with the variance family, so such queries are pushed down whole.
 */
final class H2Dialect extends H2SqlDialect {
  static final H2Dialect INSTANCE = new H2Dialect();

  private H2Dialect() {
    super(H2SqlDialect.DEFAULT_CONTEXT);
  }

  @Override
  public boolean supportsWindowFunctions() {
    return true;
  }

  @Override
  public boolean supportsAggregateFunction(SqlKind kind) {
    switch (kind) {
      case AVG:
      case STDDEV_POP:
      case STDDEV_SAMP:
      case VAR_POP:
      case VAR_SAMP:
        return true;
      default:
        return super.supportsAggregateFunction(kind);
    }
  }
}
