package io.gatehouse.core.jdbc;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.Meta;

/** Helpers for tests that compare Avatica frames (here and in the server's tests). */
public final class FrameRows {
  private FrameRows() {}

  /** Rows as text, each value with its class, byte arrays by content: what accessors start from. */
  public static String show(Iterable<Object> rows) {
    StringBuilder b = new StringBuilder();
    for (Object row : rows) {
      b.append('[');
      for (Object v : row instanceof Object[] a ? Arrays.asList(a) : (List<?>) row) {
        b.append(v == null ? "null" : v.getClass().getSimpleName() + ":"
            + (v instanceof byte[] x ? Arrays.toString(x) : v)).append(", ");
      }
      b.append("]\n");
    }
    return b.toString();
  }

  /** A one-column signature. */
  public static Meta.Signature signature() {
    List<ColumnMetaData> columns = List.of(ColumnMetaData.dummy(
        ColumnMetaData.scalar(java.sql.Types.BIGINT, "BIGINT", ColumnMetaData.Rep.PRIMITIVE_LONG), true));
    return new Meta.Signature(columns, "select x", List.of(), Map.of(), Meta.CursorFactory.LIST,
        Meta.StatementType.SELECT);
  }
}
