package io.gatehouse.server.cli;

import io.gatehouse.core.Column;
import java.util.List;

/** Writes a query result in one output format, row by row. */
interface ResultPrinter {
  void start(List<Column> columns);

  /** One row; the array is reused for the next row, so copy what must be kept. */
  void row(Object[] values);

  /**
   * After the last row.
   *
   * @param truncated whether the row cap cut the result
   */
  void end(long rowCount, boolean truncated);
}
