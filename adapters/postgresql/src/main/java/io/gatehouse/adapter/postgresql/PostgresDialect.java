package io.gatehouse.adapter.postgresql;

import io.gatehouse.core.spi.Aggregates;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.dialect.PostgresqlSqlDialect;

/**
 * Calcite's PostgreSQL dialect, told that PostgreSQL computes AVG and the variance family itself.
 * Calcite's default list stops at COUNT, SUM, MIN and MAX, so an AVG was rewritten as a cast of
 * SUM / COUNT to the argument's type, which truncates the average (PostgreSQL: 661.7925; rewritten:
 * 661.79). Pushed down as AVG, the source's own value comes back. Also writes RAND() as random().
 */
final class PostgresDialect extends PostgresqlSqlDialect {
  static final PostgresDialect INSTANCE = new PostgresDialect();

  private PostgresDialect() {
    super(PostgresqlSqlDialect.DEFAULT_CONTEXT);
  }

  @Override
  public boolean supportsAggregateFunction(SqlKind kind) {
    return Aggregates.computedBySqlSources(kind) || super.supportsAggregateFunction(kind);
  }

  /** SQL's RAND() is PostgreSQL's random() (the same uniform value in [0, 1)). */
  @Override
  public void unparseCall(org.apache.calcite.sql.SqlWriter writer, org.apache.calcite.sql.SqlCall call,
      int leftPrec, int rightPrec) {
    if (call.getOperator() == org.apache.calcite.sql.fun.SqlStdOperatorTable.RAND
        && call.operandCount() == 0) {
      writer.print("random()");
      return;
    }
    super.unparseCall(writer, call, leftPrec, rightPrec);
  }
}
