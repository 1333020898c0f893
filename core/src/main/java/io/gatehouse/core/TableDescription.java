package io.gatehouse.core;

import io.gatehouse.core.spi.TableInfo;
import java.util.List;

/**
 * A table as a session sees it: what the source's catalog says ({@link TableInfo}: kind, comment,
 * row estimate, source column types, defaults, comments) and the SQL type of each column.
 *
 * @param sourceId the source (shown to JDBC clients as the catalog)
 * @param columns the SQL types, in the order of {@code info.columns()}
 */
public record TableDescription(String sourceId, TableInfo info, List<Column> columns) {
  public TableDescription {
    columns = List.copyOf(columns);
  }
}
