package org.apache.calcite.adapter.jdbc;

import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.linq4j.Queryable;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.prepare.Prepare.CatalogReader;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.TableModify;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelProtoDataType;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.Statistic;
import org.apache.calcite.sql.SqlDialect;

/**
 * What Gatehouse needs from Calcite's JDBC adapter that it does not expose publicly:
 * constructing a {@link JdbcTable} (whose constructor is package-private) with our own row type and
 * statistics, a {@link JdbcImplementor} that can express correlation variables (also a
 * package-private constructor), and the convention of a table (a package-private field).
 *
 * <p>Why a class in Calcite's package rather than our own scan and SQL generator: Calcite's JDBC rules,
 * {@code JdbcTableScan} and {@code JdbcImplementor} only work with {@code JdbcTable}, and they are
 * exactly the pushdown machinery we want to reuse. A split package is legal on the class path (Calcite
 * is not a named module and its jar is not sealed). Keep this class tiny: everything else lives in
 * {@code io.gatehouse}.
 */
public final class GatehouseJdbcBridge {
  private GatehouseJdbcBridge() {}

  /**
   * A table of a source whose row type comes from Gatehouse's type mapping and whose statistics come
   * from the source's catalog (Calcite's own JdbcTable reports 100 rows for every table).
   */
  public static JdbcTable table(JdbcSchema schema, String tableName, Schema.TableType tableType,
      RelProtoDataType rowType, Statistic statistic) {
    return new SourceJdbcTable(schema, tableName, tableType, rowType, statistic);
  }

  /** A SQL generator for {@code dialect} that turns correlation variables into parameters. */
  public static JdbcImplementor implementor(SqlDialect dialect, JavaTypeFactory typeFactory,
      JdbcCorrelationDataContextBuilderImpl correlationBuilder) {
    return new JdbcImplementor(dialect, typeFactory, correlationBuilder);
  }

  /**
   * A SQL generator for a whole query: every correlation variable must be bound by a table of the
   * same statement. Calcite's default would silently write an unbound one as a {@code ?} (for which
   * no value exists, so a subquery compares with NULL and answers wrongly); this one fails instead,
   * and the caller plans the query another way.
   */
  public static JdbcImplementor selfContainedImplementor(SqlDialect dialect,
      JavaTypeFactory typeFactory) {
    return new JdbcImplementor(dialect, typeFactory, (id, ordinal, type) -> {
      throw new IllegalStateException("correlation variable " + id + " is not bound in the statement");
    });
  }

  /** The convention (the source) whose rules push work on {@code table} down. */
  public static JdbcConvention convention(JdbcTable table) {
    return table.jdbcSchema.convention;
  }

  /** The SQL identifier (catalog/schema/table) Calcite writes for a table. */
  public static List<String> qualifiedName(JdbcTable table) {
    return table.tableName().names;
  }

  /** A read-only JdbcTable: reads go through the planner, never through {@link #scan}. */
  private static final class SourceJdbcTable extends JdbcTable {
    private final RelProtoDataType rowType;
    private final Statistic statistic;

    SourceJdbcTable(JdbcSchema schema, String tableName, Schema.TableType tableType,
        RelProtoDataType rowType, Statistic statistic) {
      super(schema, schema.catalog, schema.schema, tableName, tableType);
      this.rowType = rowType;
      this.statistic = statistic;
    }

    @Override public RelDataType getRowType(RelDataTypeFactory typeFactory) {
      return rowType.apply(typeFactory);
    }

    @Override public Statistic getStatistic() {
      return statistic;
    }

    @Override public Enumerable<Object[]> scan(DataContext root) {
      throw new UnsupportedOperationException("Gatehouse reads tables only through planned queries");
    }

    @Override public <T> Queryable<T> asQueryable(QueryProvider queryProvider, SchemaPlus schema,
        String tableName) {
      throw new UnsupportedOperationException("Gatehouse reads tables only through planned queries");
    }

    @Override public TableModify toModificationRel(RelOptCluster cluster, RelOptTable table,
        CatalogReader catalogReader, RelNode input, TableModify.Operation operation,
        List<String> updateColumnList, List<RexNode> sourceExpressionList, boolean flattened) {
      throw new UnsupportedOperationException("Gatehouse sources are read-only");
    }
  }
}
