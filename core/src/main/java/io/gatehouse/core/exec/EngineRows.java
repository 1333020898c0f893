package io.gatehouse.core.exec;

import java.util.List;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Rows computed by the engine's own operators (compiled Calcite code), converted from Calcite's
 * internal representation to API values. A single-column plan yields bare values, not arrays.
 */
public final class EngineRows implements RowSource {
  private final Enumerator<Object> enumerator;
  private final List<SqlTypeName> types;
  private final QueryExecution execution;
  private Object[] current;

  public EngineRows(Enumerator<Object> enumerator, List<SqlTypeName> types, QueryExecution execution) {
    this.enumerator = enumerator;
    this.types = types;
    this.execution = execution;
  }

  @Override
  public boolean next() {
    execution.checkRunning();
    if (!enumerator.moveNext()) {
      current = null;
      return false;
    }
    Object o = enumerator.current();
    Object[] internal;
    if (types.size() == 1) {
      // Calcite hands single-column rows out bare, except from some operators that keep arrays.
      internal = o instanceof Object[] a && a.length == 1 ? a.clone() : new Object[] {o};
    } else if (o instanceof Object[] a) {
      internal = a.clone();
    } else if (o instanceof List<?> l) {
      internal = l.toArray();
    } else {
      internal = new Object[] {o};
    }
    current = ValueCodec.toApiRow(internal, types);
    return true;
  }

  @Override
  public Object[] row() {
    return current;
  }

  @Override
  public void close() {
    enumerator.close();
  }
}
