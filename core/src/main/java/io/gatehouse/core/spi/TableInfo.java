package io.gatehouse.core.spi;

import java.util.List;

/**
 * A table or view as read from a source's catalog.
 *
 * @param schema the schema (MySQL: database) exactly as the source names it
 * @param rowEstimate the source's own estimate of the row count (PostgreSQL {@code reltuples},
 *     MySQL {@code table_rows}), or a negative number when unknown; it feeds the planner's statistics
 * @param comment the table's comment, or null
 * @param columns in ordinal order
 * @param sizeBytes the space the table and its indexes take at the source, or -1 when unknown
 */
public record TableInfo(String schema, String name, Kind kind, double rowEstimate, String comment,
    List<ColumnInfo> columns, long sizeBytes) {

  public TableInfo {
    columns = List.copyOf(columns);
  }

  /** A table whose size is not known. */
  public TableInfo(String schema, String name, Kind kind, double rowEstimate, String comment,
      List<ColumnInfo> columns) {
    this(schema, name, kind, rowEstimate, comment, columns, -1);
  }

  /** What kind of relation it is. */
  public enum Kind { TABLE, VIEW }
}
