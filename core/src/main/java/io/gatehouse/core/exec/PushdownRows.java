package io.gatehouse.core.exec;

/**
 * Rows of a query that runs entirely in one source, read straight from the driver into API values
 * (no engine code in between, microseconds kept).
 */
public final class PushdownRows implements RowSource {
  private final SourceScan scan;
  private Object[] current;

  public PushdownRows(QueryExecution execution, SourceQuery query) {
    this.scan = new SourceScan(execution, query);
    scan.open(execution::parameterValue);
  }

  @Override
  public boolean next() {
    if (scan.next()) {
      current = scan.readApi();
      return true;
    }
    current = null;
    return false;
  }

  @Override
  public Object[] row() {
    return current;
  }

  @Override
  public void close() {
    scan.close();
  }
}
