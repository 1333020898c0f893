package io.gatehouse.server;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.proto.Common;

/**
 * A frame of result rows, held either as rows (for JSON clients) or already encoded as the bytes of a
 * protobuf {@code Frame} message (for protobuf clients).
 *
 * <p>Protobuf frames are encoded by {@link Encoder} while the rows are read from the engine, on the
 * prefetch thread, so that the request that sends the frame only copies bytes, and the rows' objects
 * are dropped as soon as they are written. Building Avatica's message objects per cell (its own
 * {@code Frame.toProto}) was the largest cost of the server in streaming profiles.
 *
 * <p>The bytes are what Avatica's protobuf encoder produces for the same frame, except that each
 * value is written once, new style ({@code ColumnValue.scalar_value}, which every Avatica client since
 * 1.5 reads) and not again in the deprecated {@code value} list. Each value follows Avatica's
 * {@code TypedValue} encoding field by field, including proto3's rule that fields holding their
 * default (0, false, empty) are not written; anything unusual is encoded by Avatica itself.
 */
final class WireFrame extends Meta.Frame {
  private final int size;
  /** The encoded {@code Frame} message is {@code bytes[start, end)}; null for a frame of rows. */
  private final byte[] bytes;
  private final int start;
  private final int end;

  /** A frame of rows (each an {@code Object[]} of Avatica's serial values). */
  WireFrame(long offset, boolean done, List<Object> rows) {
    super(offset, done, rows);
    this.size = rows.size();
    this.bytes = null;
    this.start = 0;
    this.end = 0;
  }

  private WireFrame(long offset, boolean done, int size, byte[] bytes, int start, int end) {
    super(offset, done, List.of());
    this.size = size;
    this.bytes = bytes;
    this.start = start;
    this.end = end;
  }

  /** Rows in the frame. */
  int size() {
    return size;
  }

  boolean isEncoded() {
    return bytes != null;
  }

  /** Length of the encoded {@code Frame} message. */
  int encodedLength() {
    return encoded().end - encoded().start;
  }

  /** Writes the encoded {@code Frame} message (without tag or length). */
  void writeEncoded(CodedOutputStream out) throws IOException {
    WireFrame e = encoded();
    out.writeRawBytes(e.bytes, e.start, e.end - e.start);
  }

  /** This frame encoded (itself if it already is). */
  WireFrame encoded() {
    if (bytes != null) {
      return this;
    }
    Encoder encoder = new Encoder();
    for (Object row : rows) {
      encoder.add((Object[]) row);
    }
    return encoder.finish(offset, done);
  }

  /** This frame as rows, for a JSON response (decodes an encoded frame). */
  WireFrame withRows() {
    if (bytes == null) {
      return this;
    }
    List<Object> rows = new ArrayList<>(size);
    for (Object row : Meta.Frame.fromProto(toProto()).rows) {
      rows.add(((List<?>) row).toArray());
    }
    return new WireFrame(offset, done, rows);
  }

  @Override
  public Common.Frame toProto() {
    // Only reached when something other than ServerProtobufTranslation serializes the frame.
    WireFrame e = encoded();
    try {
      return Common.Frame.parseFrom(
          com.google.protobuf.UnsafeByteOperations.unsafeWrap(e.bytes, e.start, e.end - e.start));
    } catch (InvalidProtocolBufferException x) {
      throw new IllegalStateException("an encoded frame does not parse", x);
    }
  }

  /**
   * Encodes rows one at a time into a growing buffer: the {@code rows} fields of a {@code Frame}
   * message, with room left in front for its {@code offset} and {@code done} fields.
   */
  static final class Encoder {
    // protobuf field keys (field number << 3 | wire type)
    private static final int ROW_KEY = 3 << 3 | 2; // Frame.rows
    private static final int VALUE_KEY = 1 << 3 | 2; // Row.value
    private static final int SCALAR_KEY = 4 << 3 | 2; // ColumnValue.scalar_value
    /** Room for the Frame's offset (up to 11 bytes) and done (2) fields. */
    private static final int HEADER = 16;

    private byte[] buffer = new byte[64 * 1024];
    private int position = HEADER;
    private int count;
    // per-row scratch, reused
    private int[] sizes = new int[0];
    private Object[] extra = new Object[0];

    /** Appends one row of serial values. */
    void add(Object[] row) {
      if (sizes.length < row.length) {
        sizes = new int[row.length];
        extra = new Object[row.length];
      }
      int rowSize = 0;
      for (int i = 0; i < row.length; i++) {
        int size = measure(row[i], i);
        sizes[i] = size;
        int column = 1 + CodedOutputStream.computeUInt32SizeNoTag(size) + size;
        rowSize += 1 + CodedOutputStream.computeUInt32SizeNoTag(column) + column;
      }
      int total = 1 + CodedOutputStream.computeUInt32SizeNoTag(rowSize) + rowSize;
      ensure(total);
      CodedOutputStream out = CodedOutputStream.newInstance(buffer, position, total);
      try {
        out.writeUInt32NoTag(ROW_KEY);
        out.writeUInt32NoTag(rowSize);
        for (int i = 0; i < row.length; i++) {
          int size = sizes[i];
          out.writeUInt32NoTag(VALUE_KEY);
          out.writeUInt32NoTag(1 + CodedOutputStream.computeUInt32SizeNoTag(size) + size);
          out.writeUInt32NoTag(SCALAR_KEY);
          out.writeUInt32NoTag(size);
          write(out, row[i], extra[i]);
          extra[i] = null;
        }
        out.checkNoSpaceLeft();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      position += total;
      count++;
    }

    /** The frame: the rows added so far, at {@code offset}, last of its result if {@code done}. */
    WireFrame finish(long offset, boolean done) {
      int header = (offset != 0 ? CodedOutputStream.computeUInt64Size(1, offset) : 0)
          + (done ? CodedOutputStream.computeBoolSize(2, true) : 0);
      int from = HEADER - header;
      CodedOutputStream out = CodedOutputStream.newInstance(buffer, from, header);
      try {
        if (offset != 0) {
          out.writeUInt64(1, offset);
        }
        if (done) {
          out.writeBool(2, true);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new WireFrame(offset, done, count, buffer, from, position);
    }

    private void ensure(int n) {
      if (buffer.length - position < n) {
        buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, position + n));
      }
    }

    /** Size of the TypedValue message for {@code o}; keeps what {@link #write} needs in extra[i]. */
    private int measure(Object o, int i) {
      if (o == null) {
        return 4; // type NULL, null = true
      } else if (o instanceof String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        extra[i] = utf8;
        return 2 + bytesSize(3, utf8);
      } else if (o instanceof Long l) {
        return 2 + numberSize(l);
      } else if (o instanceof Integer x) {
        return 2 + numberSize(x);
      } else if (o instanceof BigDecimal d) {
        byte[] text = d.toString().getBytes(StandardCharsets.US_ASCII);
        extra[i] = text;
        return 2 + bytesSize(3, text);
      } else if (o instanceof Double d) {
        return 2 + (Double.doubleToRawLongBits(d) != 0 ? 9 : 0);
      } else if (o instanceof Boolean b) {
        return 2 + (b ? 2 : 0);
      } else if (o instanceof Short x) {
        return 2 + numberSize(x);
      } else if (o instanceof Byte x) {
        return 2 + numberSize(x);
      } else if (o instanceof Float f) {
        return 2 + numberSize(Float.floatToIntBits(f));
      } else if (o instanceof byte[] b) {
        byte[] base64 = Base64.getEncoder().encode(b);
        extra[i] = base64;
        return 2 + bytesSize(3, base64) + bytesSize(5, b);
      }
      // anything unusual: Avatica's own encoding
      Common.TypedValue.Builder b = Common.TypedValue.newBuilder();
      org.apache.calcite.avatica.remote.TypedValue.toProto(b, o);
      Common.TypedValue message = b.build();
      extra[i] = message;
      return message.getSerializedSize();
    }

    private static void write(CodedOutputStream out, Object o, Object extra) throws IOException {
      if (o == null) {
        out.writeEnum(1, Common.Rep.NULL_VALUE);
        out.writeBool(7, true);
      } else if (o instanceof String) {
        out.writeEnum(1, Common.Rep.STRING_VALUE);
        writeBytes(out, 3, (byte[]) extra);
      } else if (o instanceof Long l) {
        out.writeEnum(1, Common.Rep.LONG_VALUE);
        writeNumber(out, l);
      } else if (o instanceof Integer x) {
        out.writeEnum(1, Common.Rep.INTEGER_VALUE);
        writeNumber(out, x);
      } else if (o instanceof BigDecimal) {
        out.writeEnum(1, Common.Rep.BIG_DECIMAL_VALUE);
        writeBytes(out, 3, (byte[]) extra);
      } else if (o instanceof Double d) {
        out.writeEnum(1, Common.Rep.DOUBLE_VALUE);
        if (Double.doubleToRawLongBits(d) != 0) {
          out.writeDouble(6, d);
        }
      } else if (o instanceof Boolean b) {
        out.writeEnum(1, Common.Rep.BOOLEAN_VALUE);
        if (b) {
          out.writeBool(2, true);
        }
      } else if (o instanceof Short x) {
        out.writeEnum(1, Common.Rep.SHORT_VALUE);
        writeNumber(out, x);
      } else if (o instanceof Byte x) {
        out.writeEnum(1, Common.Rep.BYTE_VALUE);
        writeNumber(out, x);
      } else if (o instanceof Float f) {
        out.writeEnum(1, Common.Rep.FLOAT_VALUE);
        writeNumber(out, Float.floatToIntBits(f));
      } else if (o instanceof byte[] b) {
        out.writeEnum(1, Common.Rep.BYTE_STRING_VALUE);
        writeBytes(out, 3, (byte[]) extra);
        writeBytes(out, 5, b);
      } else {
        ((Common.TypedValue) extra).writeTo(out);
      }
    }

    private static int numberSize(long n) {
      return n != 0 ? CodedOutputStream.computeSInt64Size(4, n) : 0;
    }

    private static void writeNumber(CodedOutputStream out, long n) throws IOException {
      if (n != 0) {
        out.writeSInt64(4, n);
      }
    }

    private static int bytesSize(int field, byte[] b) {
      return b.length != 0 ? CodedOutputStream.computeByteArraySize(field, b) : 0;
    }

    private static void writeBytes(CodedOutputStream out, int field, byte[] b) throws IOException {
      if (b.length != 0) {
        out.writeByteArray(field, b);
      }
    }
  }
}
