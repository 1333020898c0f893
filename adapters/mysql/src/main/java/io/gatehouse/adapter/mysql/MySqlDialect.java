package io.gatehouse.adapter.mysql;

import io.gatehouse.core.spi.Aggregates;
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
    return Aggregates.computedBySqlSources(kind) || super.supportsAggregateFunction(kind);
  }
}
