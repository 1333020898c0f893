package io.gatehouse.core;

import io.gatehouse.core.exec.RowSource;
import java.util.Iterator;
import java.util.List;

/** Rows already in memory (EXPLAIN output, cached results), each handed out as a deep copy. */
final class ListRows implements RowSource {
  private final Iterator<Object[]> it;
  private Object[] current;

  ListRows(List<Object[]> rows) {
    this.it = rows.iterator();
  }

  @Override
  public boolean next() {
    if (it.hasNext()) {
      current = ResultCache.copyRow(it.next());
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
  public void close() {}
}
