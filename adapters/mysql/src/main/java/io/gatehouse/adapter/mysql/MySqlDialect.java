package io.gatehouse.adapter.mysql;

import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.dialect.MysqlSqlDialect;

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
