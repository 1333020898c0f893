package io.gatehouse.server;

import com.google.protobuf.UnsafeByteOperations;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.proto.Common;

/**
 * A frame of result rows that encodes itself to protobuf faster than Avatica's own.
 *
 * <p>Avatica writes every value twice: as the column's {@code scalar_value} and again in the
 * {@code value} list kept for clients older than Calcite 1.5, and builds fresh protobuf builders for
 * every cell. Streaming profiles of the server show that encoding as its largest single cost. Here
 * each value is written once, new style (every Avatica client since 1.5 reads it), with builders
 * reused across cells. The encoding of each value follows Avatica's {@code TypedValue} exactly.
 */
final class WireFrame extends Meta.Frame {
  private final int size;

  WireFrame(long offset, boolean done, java.util.List<Object> rows) {
    super(offset, done, rows);
    this.size = rows.size();
  }

  int size() {
    return size;
  }

  @Override
  public Common.Frame toProto() {
    Common.Frame.Builder frame = Common.Frame.newBuilder().setDone(done).setOffset(offset);
    Common.Row.Builder row = Common.Row.newBuilder();
    Common.ColumnValue.Builder column = Common.ColumnValue.newBuilder();
    Common.TypedValue.Builder value = Common.TypedValue.newBuilder();
    for (Object r : rows) {
      row.clear();
      for (Object v : (Object[]) r) {
        value.clear();
        write(value, v);
        column.clear();
        column.setScalarValue(value.build());
        row.addValue(column.build());
      }
      frame.addRows(row.build());
    }
    return frame.build();
  }

  private static void write(Common.TypedValue.Builder b, Object o) {
    if (o == null) {
      b.setType(Common.Rep.NULL).setNull(true);
    } else if (o instanceof String s) {
      b.setType(Common.Rep.STRING)
          .setStringValueBytes(UnsafeByteOperations.unsafeWrap(s.getBytes(StandardCharsets.UTF_8)));
    } else if (o instanceof Long l) {
      b.setType(Common.Rep.LONG).setNumberValue(l);
    } else if (o instanceof Integer i) {
      b.setType(Common.Rep.INTEGER).setNumberValue(i);
    } else if (o instanceof BigDecimal d) {
      b.setType(Common.Rep.BIG_DECIMAL).setStringValue(d.toString());
    } else if (o instanceof Double d) {
      b.setType(Common.Rep.DOUBLE).setDoubleValue(d);
    } else if (o instanceof Boolean x) {
      b.setType(Common.Rep.BOOLEAN).setBoolValue(x);
    } else if (o instanceof Short s) {
      b.setType(Common.Rep.SHORT).setNumberValue(s);
    } else if (o instanceof Byte x) {
      b.setType(Common.Rep.BYTE).setNumberValue(x);
    } else if (o instanceof Float f) {
      b.setType(Common.Rep.FLOAT).setNumberValue(Float.floatToIntBits(f));
    } else if (o instanceof byte[] bytes) {
      b.setType(Common.Rep.BYTE_STRING)
          .setStringValue(java.util.Base64.getEncoder().encodeToString(bytes))
          .setBytesValue(UnsafeByteOperations.unsafeWrap(bytes));
    } else {
      // anything unusual: Avatica's own encoding
      org.apache.calcite.avatica.remote.TypedValue.toProto(b, o);
    }
  }
}
