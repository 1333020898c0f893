package io.gatehouse.core.jdbc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.proto.Common;
import org.apache.calcite.avatica.proto.Responses;
import org.apache.calcite.avatica.remote.Service;

/**
 * Avatica's protobuf translation for {@link RemoteDriver}, except that fetch and execute responses
 * are decoded field by field from the response's bytes, result values straight into the Java objects
 * Avatica's own decoder ({@code Meta.Frame.fromProto}) produces, without building a message object
 * per value or asking protobuf's reflection whether each field is set.
 *
 * <p>Only the common case takes the short path: a column holding one {@code scalar_value} of a plain
 * type. Any other column (arrays, old-style columns, types such as CHARACTER or OBJECT, old-style
 * decimals, fields this class does not know) is parsed by protobuf and handed to Avatica's decoder,
 * so its results and errors are Avatica's.
 */
final class ClientProtobufTranslation extends AvaticaProtobufTranslation {
  private static final byte[] FETCH =
      Responses.FetchResponse.class.getName().getBytes(StandardCharsets.UTF_8);
  private static final byte[] EXECUTE =
      Responses.ExecuteResponse.class.getName().getBytes(StandardCharsets.UTF_8);

  // field keys: field number << 3 | wire type (0 varint, 1 fixed64, 2 length-delimited)
  private static final int KEY_1_LD = 1 << 3 | 2;
  private static final int KEY_2_LD = 2 << 3 | 2;

  @Override
  public Service.Response parseResponse(byte[] bytes) throws IOException {
    // WireMessage: name (1), wrapped_message (2)
    Reader in = new Reader(bytes);
    int nameAt = -1;
    int nameLength = 0;
    int wrappedAt = -1;
    int wrappedLength = 0;
    try {
      for (int tag = in.tag(); tag != 0; tag = in.tag()) {
        if (tag == KEY_1_LD) {
          nameLength = in.length();
          nameAt = in.pos;
          in.pos += nameLength;
        } else if (tag == KEY_2_LD) {
          wrappedLength = in.length();
          wrappedAt = in.pos;
          in.pos += wrappedLength;
        } else {
          in.skip(tag);
        }
      }
    } catch (IOException | RuntimeException e) {
      return avatica.parseResponse(bytes); // Avatica says what is wrong with it
    }
    if (nameAt >= 0 && wrappedAt >= 0) {
      if (Arrays.equals(bytes, nameAt, nameAt + nameLength, FETCH, 0, FETCH.length)) {
        return fetch(new Reader(bytes, wrappedAt, wrappedAt + wrappedLength));
      }
      if (Arrays.equals(bytes, nameAt, nameAt + nameLength, EXECUTE, 0, EXECUTE.length)) {
        return execute(new Reader(bytes, wrappedAt, wrappedAt + wrappedLength));
      }
    }
    return avatica.parseResponse(bytes);
  }

  // ---- responses (field numbers from Avatica's responses.proto) ----

  private static Service.FetchResponse fetch(Reader in) throws IOException {
    Meta.Frame frame = null;
    boolean missingStatement = false;
    boolean missingResults = false;
    Service.RpcMetadataResponse metadata = null;
    for (int tag = in.tag(); tag != 0; tag = in.tag()) {
      switch (tag) {
        case 1 << 3 | 2 -> frame = frame(in);
        case 2 << 3 -> missingStatement = in.varint() != 0;
        case 3 << 3 -> missingResults = in.varint() != 0;
        case 4 << 3 | 2 -> metadata = metadata(in);
        default -> in.skip(tag);
      }
    }
    if (frame == null) {
      frame = Meta.Frame.fromProto(Common.Frame.getDefaultInstance()); // as Avatica: an empty frame
    }
    return new Service.FetchResponse(frame, missingStatement, missingResults, metadata);
  }

  private static Service.ExecuteResponse execute(Reader in) throws IOException {
    List<Service.ResultSetResponse> results = new ArrayList<>();
    boolean missingStatement = false;
    Service.RpcMetadataResponse metadata = null;
    for (int tag = in.tag(); tag != 0; tag = in.tag()) {
      switch (tag) {
        case 1 << 3 | 2 -> {
          int outer = in.enter();
          results.add(resultSet(in));
          in.leave(outer);
        }
        case 2 << 3 -> missingStatement = in.varint() != 0;
        case 3 << 3 | 2 -> metadata = metadata(in);
        default -> in.skip(tag);
      }
    }
    return new Service.ExecuteResponse(results, missingStatement, metadata);
  }

  private static Service.ResultSetResponse resultSet(Reader in) throws IOException {
    String connectionId = null;
    int statementId = 0;
    boolean ownStatement = false;
    Meta.Signature signature = null;
    Meta.Frame frame = null;
    long updateCount = 0;
    Service.RpcMetadataResponse metadata = null;
    for (int tag = in.tag(); tag != 0; tag = in.tag()) {
      switch (tag) {
        case 1 << 3 | 2 -> {
          String id = in.string(in.length());
          connectionId = id.isEmpty() ? null : id;
        }
        case 2 << 3 -> statementId = (int) in.varint();
        case 3 << 3 -> ownStatement = in.varint() != 0;
        case 4 << 3 | 2 -> {
          int length = in.length();
          signature = Meta.Signature.fromProto(
              Common.Signature.parser().parseFrom(in.bytes, in.pos, length));
          in.pos += length;
        }
        case 5 << 3 | 2 -> frame = frame(in);
        case 6 << 3 -> updateCount = in.varint();
        case 7 << 3 | 2 -> metadata = metadata(in);
        default -> in.skip(tag);
      }
    }
    return new Service.ResultSetResponse(connectionId, statementId, ownStatement, signature, frame,
        updateCount, metadata);
  }

  private static Service.RpcMetadataResponse metadata(Reader in) throws IOException {
    int length = in.length();
    Responses.RpcMetadata m = Responses.RpcMetadata.parser().parseFrom(in.bytes, in.pos, length);
    in.pos += length;
    String address = m.getServerAddress();
    return new Service.RpcMetadataResponse(address.isEmpty() ? null : address);
  }

  // ---- frames (common.proto) ----

  /** A length-delimited Frame message. */
  private static Meta.Frame frame(Reader in) throws IOException {
    int outer = in.enter();
    long offset = 0;
    boolean done = false;
    List<Object> rows = new ArrayList<>();
    Value value = new Value();
    for (int tag = in.tag(); tag != 0; tag = in.tag()) {
      switch (tag) {
        case 1 << 3 -> offset = in.varint();
        case 2 << 3 -> done = in.varint() != 0;
        case 3 << 3 | 2 -> rows.add(row(in, value));
        default -> in.skip(tag);
      }
    }
    in.leave(outer);
    return new Meta.Frame(offset, done, rows);
  }

  private static List<Object> row(Reader in, Value value) throws IOException {
    int outer = in.enter();
    List<Object> row = new ArrayList<>();
    for (int tag = in.tag(); tag != 0; tag = in.tag()) {
      if (tag == KEY_1_LD) {
        row.add(column(in, value));
      } else {
        in.skip(tag);
      }
    }
    in.leave(outer);
    return row;
  }

  /** A ColumnValue: the short path for a lone plain scalar value, else Avatica's decoder. */
  private static Object column(Reader in, Value value) throws IOException {
    int length = in.length();
    int start = in.pos;
    int end = start + length;
    // the short path: exactly one field, scalar_value (4), holding a plain value
    if (length > 0 && in.bytes[start] == (4 << 3 | 2)) {
      in.pos = start + 1;
      int valueLength = in.length();
      if (in.pos + valueLength == end && value.read(in.bytes, in.pos, end)) {
        Object result = value.plain(in.bytes);
        in.pos = end;
        return result;
      }
    }
    Common.ColumnValue column = Common.ColumnValue.parser().parseFrom(in.bytes, start, length);
    in.pos = end;
    Common.Frame frame = Common.Frame.newBuilder()
        .addRows(Common.Row.newBuilder().addValue(column)).build();
    return ((List<?>) Meta.Frame.fromProto(frame).rows.iterator().next()).get(0);
  }

  /** The fields of one TypedValue (reused from value to value); strings and bytes as positions. */
  private static final class Value {
    int type;
    boolean boolValue;
    int stringAt;
    int stringLength;
    long numberValue;
    int bytesAt;
    int bytesLength;
    long doubleBits;
    private final Reader reader = new Reader(new byte[0]);

    /** Reads a TypedValue in {@code b[from, to)}; false if it has a field the short path lacks. */
    boolean read(byte[] b, int from, int to) throws IOException {
      type = 0;
      boolValue = false;
      stringLength = 0;
      numberValue = 0;
      bytesLength = 0;
      doubleBits = 0;
      Reader in = reader.reset(b, from, to);
      for (int tag = in.tag(); tag != 0; tag = in.tag()) {
        switch (tag) {
          case 1 << 3 -> type = (int) in.varint();
          case 2 << 3 -> boolValue = in.varint() != 0;
          case 3 << 3 | 2 -> {
            stringLength = in.length();
            stringAt = in.pos;
            in.pos += stringLength;
          }
          case 4 << 3 -> {
            long n = in.varint();
            numberValue = (n >>> 1) ^ -(n & 1); // sint64
          }
          case 5 << 3 | 2 -> {
            bytesLength = in.length();
            bytesAt = in.pos;
            in.pos += bytesLength;
          }
          case 6 << 3 | 1 -> doubleBits = in.fixed64();
          case 7 << 3 -> in.varint(); // null: Avatica reads no plain type's value from it
          default -> {
            return false; // array values, implicit nulls, unknown fields
          }
        }
      }
      return plainType();
    }

    /** Whether {@link #plain} decodes this type exactly as Avatica does. */
    private boolean plainType() {
      return switch (type) {
        case Common.Rep.BYTE_STRING_VALUE, Common.Rep.BOOLEAN_VALUE,
            Common.Rep.PRIMITIVE_BOOLEAN_VALUE, Common.Rep.STRING_VALUE, Common.Rep.BYTE_VALUE,
            Common.Rep.PRIMITIVE_BYTE_VALUE, Common.Rep.DOUBLE_VALUE,
            Common.Rep.PRIMITIVE_DOUBLE_VALUE, Common.Rep.FLOAT_VALUE,
            Common.Rep.PRIMITIVE_FLOAT_VALUE, Common.Rep.INTEGER_VALUE,
            Common.Rep.PRIMITIVE_INT_VALUE, Common.Rep.SHORT_VALUE,
            Common.Rep.PRIMITIVE_SHORT_VALUE, Common.Rep.LONG_VALUE,
            Common.Rep.PRIMITIVE_LONG_VALUE, Common.Rep.JAVA_SQL_DATE_VALUE,
            Common.Rep.JAVA_SQL_TIME_VALUE, Common.Rep.JAVA_SQL_TIMESTAMP_VALUE,
            Common.Rep.JAVA_UTIL_DATE_VALUE, Common.Rep.NUMBER_VALUE, Common.Rep.NULL_VALUE -> true;
        // new-style decimals only (old style: unscaled bytes with the scale in number_value)
        case Common.Rep.BIG_DECIMAL_VALUE -> numberValue == 0 && stringLength > 0;
        default -> false;
      };
    }

    /** The value as Avatica's {@code Meta.Frame.fromProto} makes it (its "serial" form). */
    Object plain(byte[] b) throws IOException {
      return switch (type) {
        case Common.Rep.BYTE_STRING_VALUE -> Arrays.copyOfRange(b, bytesAt, bytesAt + bytesLength);
        case Common.Rep.BOOLEAN_VALUE, Common.Rep.PRIMITIVE_BOOLEAN_VALUE -> boolValue;
        case Common.Rep.STRING_VALUE -> string(b, stringAt, stringLength);
        case Common.Rep.BYTE_VALUE, Common.Rep.PRIMITIVE_BYTE_VALUE -> (byte) numberValue;
        case Common.Rep.DOUBLE_VALUE, Common.Rep.PRIMITIVE_DOUBLE_VALUE ->
            Double.longBitsToDouble(doubleBits);
        case Common.Rep.FLOAT_VALUE, Common.Rep.PRIMITIVE_FLOAT_VALUE ->
            Float.intBitsToFloat((int) numberValue);
        case Common.Rep.INTEGER_VALUE, Common.Rep.PRIMITIVE_INT_VALUE,
            Common.Rep.JAVA_SQL_DATE_VALUE, Common.Rep.JAVA_SQL_TIME_VALUE -> (int) numberValue;
        case Common.Rep.SHORT_VALUE, Common.Rep.PRIMITIVE_SHORT_VALUE -> (short) numberValue;
        case Common.Rep.LONG_VALUE, Common.Rep.PRIMITIVE_LONG_VALUE,
            Common.Rep.JAVA_SQL_TIMESTAMP_VALUE, Common.Rep.JAVA_UTIL_DATE_VALUE,
            Common.Rep.NUMBER_VALUE -> numberValue;
        case Common.Rep.BIG_DECIMAL_VALUE -> decimal(b, stringAt, stringLength);
        case Common.Rep.NULL_VALUE -> null;
        default -> throw new IllegalStateException("not a plain value: " + type);
      };
    }
  }

  /**
   * A UTF-8 string field, as protobuf reads it: malformed UTF-8 is an error. A string that decodes
   * to Latin-1 cannot hold the replacement character, so only others are checked further.
   */
  static String string(byte[] b, int at, int length) throws InvalidProtocolBufferException {
    String s = new String(b, at, length, StandardCharsets.UTF_8);
    if (s.indexOf('\uFFFD') >= 0 && !UnsafeByteOperations.unsafeWrap(b, at, length).isValidUtf8()) {
      throw new InvalidProtocolBufferException("Protocol message had invalid UTF-8.");
    }
    return s;
  }

  /**
   * A decimal's text (BigDecimal.toString at the server) as {@code new BigDecimal(text)} reads it:
   * short plain decimals are read here, anything else by BigDecimal itself.
   */
  static BigDecimal decimal(byte[] b, int at, int length) throws InvalidProtocolBufferException {
    int i = at;
    int end = at + length;
    boolean negative = length > 0 && b[i] == '-';
    if (negative) {
      i++;
    }
    long unscaled = 0;
    int digits = 0;
    int scale = 0;
    boolean point = false;
    // up to 18 digits cannot overflow a long
    for (; i < end && digits <= 18; i++) {
      byte c = b[i];
      if (c >= '0' && c <= '9') {
        unscaled = unscaled * 10 + (c - '0');
        digits++;
        if (point) {
          scale++;
        }
      } else if (c == '.' && !point) {
        point = true;
      } else {
        break;
      }
    }
    if (i != end || digits == 0 || digits > 18) {
      return new BigDecimal(string(b, at, length));
    }
    return BigDecimal.valueOf(negative ? -unscaled : unscaled, scale);
  }

  /** Protobuf's wire format over {@code bytes[pos, limit)}. */
  private static final class Reader {
    byte[] bytes;
    int pos;
    int limit;

    Reader(byte[] bytes) {
      this(bytes, 0, bytes.length);
    }

    Reader(byte[] bytes, int pos, int limit) {
      reset(bytes, pos, limit);
    }

    Reader reset(byte[] bytes, int pos, int limit) {
      this.bytes = bytes;
      this.pos = pos;
      this.limit = limit;
      return this;
    }

    /** The next field's key, or 0 at the end. */
    int tag() throws IOException {
      if (pos >= limit) {
        return 0;
      }
      long tag = varint();
      if (tag == 0 || tag > Integer.MAX_VALUE) {
        throw new InvalidProtocolBufferException("Protocol message contained an invalid tag.");
      }
      return (int) tag;
    }

    long varint() throws IOException {
      if (pos < limit && bytes[pos] >= 0) { // one byte: most keys, lengths and small numbers
        return bytes[pos++];
      }
      long result = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= limit) {
          throw truncated();
        }
        byte b = bytes[pos++];
        result |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          return result;
        }
      }
      throw new InvalidProtocolBufferException("Protocol message contained a malformed varint.");
    }

    long fixed64() throws IOException {
      if (limit - pos < 8) {
        throw truncated();
      }
      long v = 0;
      for (int i = 7; i >= 0; i--) {
        v = v << 8 | (bytes[pos + i] & 0xffL);
      }
      pos += 8;
      return v;
    }

    /** A length prefix, checked against what is left. */
    int length() throws IOException {
      long n = varint();
      if (n < 0 || n > limit - pos) {
        throw truncated();
      }
      return (int) n;
    }

    String string(int length) throws IOException {
      String s = ClientProtobufTranslation.string(bytes, pos, length);
      pos += length;
      return s;
    }

    /** Enters a length-delimited message; returns the limit to give back to {@link #leave}. */
    int enter() throws IOException {
      int length = length();
      int outer = limit;
      limit = pos + length;
      return outer;
    }

    void leave(int outer) {
      pos = limit;
      limit = outer;
    }

    void skip(int tag) throws IOException {
      switch (tag & 7) {
        case 0 -> varint();
        case 1 -> pos += checked(8);
        case 2 -> pos += length();
        case 5 -> pos += checked(4);
        default -> throw new InvalidProtocolBufferException("Protocol message had an unsupported wire type.");
      }
    }

    private int checked(int n) throws IOException {
      if (limit - pos < n) {
        throw truncated();
      }
      return n;
    }

    private static InvalidProtocolBufferException truncated() {
      return new InvalidProtocolBufferException("While parsing a protocol message, the input ended"
          + " unexpectedly in the middle of a field.");
    }
  }
}
