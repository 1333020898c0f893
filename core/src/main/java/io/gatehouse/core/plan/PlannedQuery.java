package io.gatehouse.core.plan;

import io.gatehouse.core.exec.SourceQuery;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.runtime.Bindable;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * A query ready to run: either pushed down whole to one source ({@link #pushdown()} is set), or an
 * engine plan compiled to a {@link Bindable} whose leaves are source statements.
 *
 * @param columns output columns: name and Calcite type
 * @param parameterTypes the type of each {@code ?}, by index
 * @param sources the ids of the sources the query reads
 * @param plan the physical plan, printed, for EXPLAIN and logs
 */
public record PlannedQuery(
    List<OutputColumn> columns,
    List<RelDataType> parameterTypes,
    Set<String> sources,
    SourceQuery pushdown,
    Bindable<Object> bindable,
    Map<String, Object> internalParameters,
    String plan) {

  /** Whether the whole query runs as one statement in one source. */
  public boolean isPushedDown() {
    return pushdown != null;
  }

  /** The SQL type names of the parameters. */
  public List<SqlTypeName> parameterTypeNames() {
    return parameterTypes.stream().map(RelDataType::getSqlTypeName).toList();
  }

  /** One output column. */
  public record OutputColumn(String name, RelDataType type) {
    public SqlTypeName typeName() {
      return type.getSqlTypeName();
    }
  }
}
