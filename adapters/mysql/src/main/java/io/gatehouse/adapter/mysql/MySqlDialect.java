package io.gatehouse.adapter.mysql;

import io.gatehouse.core.spi.Aggregates;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.dialect.MysqlSqlDialect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;

/**
 * Calcite's MySQL dialect, told what MySQL 8 and MariaDB 10.2+ can aggregate. Calcite's own list
 * stops at COUNT, SUM, MIN and MAX, which keeps any query with AVG from being pushed down whole: the
 * engine would read every row to average them.
 */
final class MySqlDialect extends MysqlSqlDialect {
  static final MySqlDialect INSTANCE = new MySqlDialect();

  private MySqlDialect() {
    super(MysqlSqlDialect.DEFAULT_CONTEXT.withDatabaseMajorVersion(8));
  }

  @Override
  public boolean supportsAggregateFunction(SqlKind kind) {
    return Aggregates.computedBySqlSources(kind) || super.supportsAggregateFunction(kind);
  }

  /**
   * {@code a || b} is string concatenation in SQL but logical OR in MySQL and MariaDB (unless the
   * session has PIPES_AS_CONCAT), so {@code 'x' || '!'} would come back as 0. It is sent as
   * {@code CONCAT(a, b)}, which is NULL when an operand is NULL, as {@code ||} is.
   */
  @Override
  public void unparseCall(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    if (call.getOperator() == SqlStdOperatorTable.CONCAT) {
      SqlWriter.Frame frame = writer.startFunCall("CONCAT");
      for (SqlNode operand : call.getOperandList()) {
        writer.sep(",");
        operand.unparse(writer, 0, 0);
      }
      writer.endFunCall(frame);
      return;
    }
    if (call.getKind() == org.apache.calcite.sql.SqlKind.IS_NOT_DISTINCT_FROM
        || call.getKind() == org.apache.calcite.sql.SqlKind.IS_DISTINCT_FROM) {
      // MySQL and MariaDB have no IS [NOT] DISTINCT FROM; their null-safe equality is <=>.
      // (Decorrelated subqueries join on it.)
      boolean distinct = call.getKind() == org.apache.calcite.sql.SqlKind.IS_DISTINCT_FROM;
      SqlWriter.Frame frame = writer.startList("(", ")");
      if (distinct) {
        writer.keyword("NOT");
        writer.print("(");
      }
      call.operand(0).unparse(writer, 0, 0);
      writer.print(" <=> ");
      call.operand(1).unparse(writer, 0, 0);
      if (distinct) {
        writer.print(")");
      }
      writer.endList(frame);
      return;
    }
    super.unparseCall(writer, call, leftPrec, rightPrec);
  }
}
