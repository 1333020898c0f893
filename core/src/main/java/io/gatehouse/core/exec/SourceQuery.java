package io.gatehouse.core.exec;

import io.gatehouse.core.plan.SourceConvention;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.adapter.jdbc.GatehouseJdbcBridge;
import org.apache.calcite.adapter.jdbc.JdbcCorrelationDataContextBuilderImpl;
import org.apache.calcite.adapter.jdbc.JdbcImplementor;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlString;

/**
 * A statement to run on one source: the SQL Calcite generated in the source's dialect, which
 * parameters it takes in which order, and the types of its columns (which decide how each value is
 * read).
 *
 * @param parameters for each {@code ?} in {@code sql}, in order, the index of the query parameter (or
 *     of a correlation variable) whose value it takes
 * @param rowBound the most rows the statement can return, or {@link #UNBOUNDED}
 */
public record SourceQuery(String sourceId, String sql, List<Integer> parameters,
    List<SqlTypeName> columnTypes, long rowBound) {

  /** No bound on the number of rows is known. */
  public static final long UNBOUNDED = -1;

  public SourceQuery {
    parameters = List.copyOf(parameters);
    columnTypes = List.copyOf(columnTypes);
  }

  public SourceQuery(String sourceId, String sql, List<Integer> parameters,
      List<SqlTypeName> columnTypes) {
    this(sourceId, sql, parameters, columnTypes, UNBOUNDED);
  }

  /**
   * The same statement, known to return at most {@code rows} rows (a LIMIT at its top, or one
   * aggregate row): its source may read it whole rather than through a cursor.
   */
  public SourceQuery withRowBound(long rows) {
    return new SourceQuery(sourceId, sql, parameters, columnTypes, rows);
  }

  /** Generates the SQL for a subtree that runs entirely in the source of {@code convention}. */
  public static SourceQuery generate(SourceConvention convention, RelNode sourceRoot,
      JavaTypeFactory typeFactory, JdbcCorrelationDataContextBuilderImpl correlation) {
    SqlDialect dialect = convention.dialect;
    JdbcImplementor implementor = correlation == null
        ? new JdbcImplementor(dialect, typeFactory)
        : GatehouseJdbcBridge.implementor(dialect, typeFactory, correlation);
    return generate(convention, sourceRoot, implementor);
  }

  /**
   * Generates the SQL of a whole query, which must be self-contained: a correlation variable that
   * no table of the statement binds is an error (never a {@code ?} without a value).
   */
  public static SourceQuery generateWhole(SourceConvention convention, RelNode root,
      JavaTypeFactory typeFactory) {
    return generateWhole(convention, root, typeFactory, -1);
  }

  /**
   * As {@link #generateWhole(SourceConvention, RelNode, JavaTypeFactory)}, for a query whose
   * top-level fetch {@code capFetch} (or -1) is the engine's row cap rather than the user's LIMIT:
   * a source that asks for it gets that cap outside a grouped statement ({@link OuterRowCap}).
   */
  public static SourceQuery generateWhole(SourceConvention convention, RelNode root,
      JavaTypeFactory typeFactory, long capFetch) {
    return generate(convention, root,
        GatehouseJdbcBridge.selfContainedImplementor(convention.dialect, typeFactory),
        capFetch >= 0 && convention.connector().capsGroupedStatementsFromOutside() ? capFetch : -1);
  }

  private static SourceQuery generate(SourceConvention convention, RelNode sourceRoot,
      JdbcImplementor implementor) {
    return generate(convention, sourceRoot, implementor, -1);
  }

  private static SourceQuery generate(SourceConvention convention, RelNode sourceRoot,
      JdbcImplementor implementor, long outerCap) {
    SqlDialect dialect = convention.dialect;
    JdbcImplementor.Result result = implementor.visitRoot(sourceRoot);
    SqlNode statement = convention.connector().reshaped(result.asStatement());
    if (outerCap >= 0) {
      statement = OuterRowCap.wrapGrouped(statement, outerCap);
    }
    SqlString sql = statement.toSqlString(dialect);
    List<Integer> params = sql.getDynamicParameters() == null ? List.of() : sql.getDynamicParameters();
    List<SqlTypeName> types = new ArrayList<>();
    for (RelDataTypeField f : sourceRoot.getRowType().getFieldList()) {
      types.add(f.getType().getSqlTypeName());
    }
    return new SourceQuery(convention.sourceId(), sql.getSql(), params, types);
  }
}
