package io.gatehouse.core;

import io.gatehouse.core.error.GatehouseException;
import java.util.List;

/**
 * The outcome of one query of a batch: its rows, read whole (at most the row cap), or the coded
 * error it failed with. The other queries of the batch are not affected by one query's failure.
 *
 * @param sql the query as given
 * @param columns the result's columns; empty when the query failed
 * @param rows the rows, at most the row cap; empty when the query failed
 * @param truncated whether the row cap cut rows from the result
 * @param error the failure, or null when the query succeeded
 */
public record BatchResult(String sql, List<Column> columns, List<Object[]> rows, boolean truncated,
    GatehouseException error) {
  public BatchResult {
    columns = List.copyOf(columns);
    rows = List.copyOf(rows);
  }

  static BatchResult failed(String sql, GatehouseException error) {
    return new BatchResult(sql, List.of(), List.of(), false, error);
  }

  public boolean succeeded() {
    return error == null;
  }
}
