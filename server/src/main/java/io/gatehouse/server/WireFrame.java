package io.gatehouse.server;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
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
    private static final byte ROW_KEY = 3 << 3 | 2; // Frame.rows
    private static final byte VALUE_KEY = 1 << 3 | 2; // Row.value
    private static final byte SCALAR_KEY = 4 << 3 | 2; // ColumnValue.scalar_value
    /** Room for the Frame's offset (up to 11 bytes) and done (2) fields. */
    private static final int HEADER = 16;

    private byte[] buffer;
    private int position = HEADER;
    private int count;
    // per-row scratch, reused
    private int[] sizes = new int[0];
    private Object[] extra = new Object[0];

    Encoder() {
      this(0);
    }

    /** An encoder whose buffer starts with room for {@code expectedBytes} (it grows if need be). */
    Encoder(int expectedBytes) {
      buffer = new byte[HEADER + Math.max(expectedBytes, 16 * 1024)];
    }

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
      int end = position + total;
      buffer[position++] = ROW_KEY;
      varint(rowSize);
      for (int i = 0; i < row.length; i++) {
        int size = sizes[i];
        buffer[position++] = VALUE_KEY;
        varint(1 + CodedOutputStream.computeUInt32SizeNoTag(size) + size);
        buffer[position++] = SCALAR_KEY;
        varint(size);
        write(row[i], extra[i]);
        extra[i] = null;
      }
      if (position != end) {
        throw new IllegalStateException("a row was measured as " + total + " bytes but took "
            + (position - end + total));
      }
      count++;
    }

    /** The frame: the rows added so far, at {@code offset}, last of its result if {@code done}. */
    WireFrame finish(long offset, boolean done) {
      int header = (offset != 0 ? CodedOutputStream.computeUInt64Size(1, offset) : 0)
          + (done ? CodedOutputStream.computeBoolSize(2, true) : 0);
      int from = HEADER - header;
      int end = position;
      position = from;
      if (offset != 0) {
        buffer[position++] = 1 << 3;
        varint(offset);
      }
      if (done) {
        buffer[position++] = 2 << 3;
        buffer[position++] = 1;
      }
      return new WireFrame(offset, done, count, buffer, from, end);
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
      byte[] message = b.build().toByteArray();
      extra[i] = message;
      return message.length;
    }

    // Each value below: its type (field 1; every Rep used here is one byte), then the fields that do
    // not hold their default, in field order, as protobuf writes them.

    private void write(Object o, Object extra) {
      if (o == null) {
        type(Common.Rep.NULL_VALUE);
        buffer[position++] = 7 << 3; // null = true
        buffer[position++] = 1;
      } else if (o instanceof String) {
        type(Common.Rep.STRING_VALUE);
        bytes(3, (byte[]) extra);
      } else if (o instanceof Long l) {
        type(Common.Rep.LONG_VALUE);
        number(l);
      } else if (o instanceof Integer x) {
        type(Common.Rep.INTEGER_VALUE);
        number(x);
      } else if (o instanceof BigDecimal) {
        type(Common.Rep.BIG_DECIMAL_VALUE);
        bytes(3, (byte[]) extra);
      } else if (o instanceof Double d) {
        type(Common.Rep.DOUBLE_VALUE);
        long bits = Double.doubleToRawLongBits(d);
        if (bits != 0) {
          buffer[position++] = 6 << 3 | 1;
          for (int k = 0; k < 8; k++) {
            buffer[position++] = (byte) (bits >>> (8 * k));
          }
        }
      } else if (o instanceof Boolean b) {
        type(Common.Rep.BOOLEAN_VALUE);
        if (b) {
          buffer[position++] = 2 << 3;
          buffer[position++] = 1;
        }
      } else if (o instanceof Short x) {
        type(Common.Rep.SHORT_VALUE);
        number(x);
      } else if (o instanceof Byte x) {
        type(Common.Rep.BYTE_VALUE);
        number(x);
      } else if (o instanceof Float f) {
        type(Common.Rep.FLOAT_VALUE);
        number(Float.floatToIntBits(f));
      } else if (o instanceof byte[] b) {
        type(Common.Rep.BYTE_STRING_VALUE);
        bytes(3, (byte[]) extra);
        bytes(5, b);
      } else {
        byte[] message = (byte[]) extra;
        System.arraycopy(message, 0, buffer, position, message.length);
        position += message.length;
      }
    }

    private void type(int rep) {
      buffer[position++] = 1 << 3;
      buffer[position++] = (byte) rep;
    }

    /** number_value (field 4, sint64), unless 0. */
    private void number(long n) {
      if (n != 0) {
        buffer[position++] = 4 << 3;
        varint((n << 1) ^ (n >> 63));
      }
    }

    /** A bytes or string field, unless empty. */
    private void bytes(int field, byte[] b) {
      if (b.length != 0) {
        buffer[position++] = (byte) (field << 3 | 2);
        varint(b.length);
        System.arraycopy(b, 0, buffer, position, b.length);
        position += b.length;
      }
    }

    private void varint(long v) {
      while ((v & ~0x7FL) != 0) {
        buffer[position++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      buffer[position++] = (byte) v;
    }

    private static int numberSize(long n) {
      return n != 0 ? CodedOutputStream.computeSInt64Size(4, n) : 0;
    }

    private static int bytesSize(int field, byte[] b) {
      return b.length != 0 ? CodedOutputStream.computeByteArraySize(field, b) : 0;
    }
  }
}
