package io.gatehouse.core;

import io.gatehouse.core.spi.ConstraintInfo;
import io.gatehouse.core.spi.TableInfo;
import java.util.List;

/**
 * A table as a session sees it: what the source's catalog says ({@link TableInfo}: kind, comment,
 * row estimate, source column types, defaults, comments), the SQL type of each column, and its keys.
 *
 * @param sourceId the source (shown to JDBC clients as the catalog)
 * @param schema the schema as configured (and as SQL names it)
 * @param columns the SQL types, in the order of {@code info.columns()}
 * @param constraints its primary key, unique constraints and the foreign keys it declares
 */
public record TableDescription(String sourceId, String schema, TableInfo info, List<Column> columns,
    List<ConstraintInfo> constraints) {
  public TableDescription {
    columns = List.copyOf(columns);
    constraints = List.copyOf(constraints);
  }
}
