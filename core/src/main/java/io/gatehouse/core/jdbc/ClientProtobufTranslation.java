package io.gatehouse.core.jdbc;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.proto.Common;
import org.apache.calcite.avatica.proto.Responses;
import org.apache.calcite.avatica.remote.Service;

/**
 * Avatica's protobuf translation for {@link RemoteDriver}, except that fetch and execute responses
 * are decoded field by field from their bytes, result values straight into the Java objects Avatica's
 * own decoder ({@code Meta.Frame.fromProto}) produces, without building a message object per value
 * or asking protobuf's reflection whether each field is set.
 *
 * <p>Only the common case takes the short path: a column's single {@code scalar_value} of a plain
 * type. Anything else (arrays, old-style columns, types such as CHARACTER or OBJECT, old-style
 * decimals) is handed to Avatica's decoder as a message, so its results and errors are Avatica's.
 */
final class ClientProtobufTranslation extends AvaticaProtobufTranslation {
  private static final String FETCH = Responses.FetchResponse.class.getName();
  private static final String EXECUTE = Responses.ExecuteResponse.class.getName();
  private static final ExtensionRegistryLite NO_EXTENSIONS = ExtensionRegistryLite.getEmptyRegistry();

  @Override
  public Service.Response parseResponse(byte[] bytes) throws IOException {
    CodedInputStream in = UnsafeByteOperations.unsafeWrap(bytes).newCodedInput();
    in.enableAliasing(true);
    Common.WireMessage wire = Common.WireMessage.parseFrom(in);
    String name = wire.getName();
    if (name.equals(FETCH)) {
      return fetch(input(wire.getWrappedMessage()));
    }
    if (name.equals(EXECUTE)) {
      return execute(input(wire.getWrappedMessage()));
    }
    return avatica.parseResponse(bytes);
  }

  private static CodedInputStream input(ByteString bytes) {
    CodedInputStream in = bytes.newCodedInput();
    in.enableAliasing(true);
    return in;
  }

  // ---- responses (field numbers from Avatica's responses.proto) ----

  private static Service.FetchResponse fetch(CodedInputStream in) throws IOException {
    Meta.Frame frame = null;
    boolean missingStatement = false;
    boolean missingResults = false;
    Service.RpcMetadataResponse metadata = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case 1 << 3 | 2 -> frame = frame(in);
        case 2 << 3 -> missingStatement = in.readBool();
        case 3 << 3 -> missingResults = in.readBool();
        case 4 << 3 | 2 -> metadata = metadata(in);
        default -> in.skipField(tag);
      }
    }
    if (frame == null) {
      frame = Meta.Frame.fromProto(Common.Frame.getDefaultInstance()); // as Avatica: an empty frame
    }
    return new Service.FetchResponse(frame, missingStatement, missingResults, metadata);
  }

  private static Service.ExecuteResponse execute(CodedInputStream in) throws IOException {
    List<Service.ResultSetResponse> results = new ArrayList<>();
    boolean missingStatement = false;
    Service.RpcMetadataResponse metadata = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case 1 << 3 | 2 -> {
          int limit = in.pushLimit(in.readRawVarint32());
          results.add(resultSet(in));
          in.popLimit(limit);
        }
        case 2 << 3 -> missingStatement = in.readBool();
        case 3 << 3 | 2 -> metadata = metadata(in);
        default -> in.skipField(tag);
      }
    }
    return new Service.ExecuteResponse(results, missingStatement, metadata);
  }

  private static Service.ResultSetResponse resultSet(CodedInputStream in) throws IOException {
    String connectionId = null;
    int statementId = 0;
    boolean ownStatement = false;
    Meta.Signature signature = null;
    Meta.Frame frame = null;
    long updateCount = 0;
    Service.RpcMetadataResponse metadata = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case 1 << 3 | 2 -> {
          String id = in.readStringRequireUtf8();
          connectionId = id.isEmpty() ? null : id;
        }
        case 2 << 3 -> statementId = in.readUInt32();
        case 3 << 3 -> ownStatement = in.readBool();
        case 4 << 3 | 2 -> {
          Common.Signature.Builder b = Common.Signature.newBuilder();
          in.readMessage(b, NO_EXTENSIONS);
          signature = Meta.Signature.fromProto(b.build());
        }
        case 5 << 3 | 2 -> frame = frame(in);
        case 6 << 3 -> updateCount = in.readUInt64();
        case 7 << 3 | 2 -> metadata = metadata(in);
        default -> in.skipField(tag);
      }
    }
    return new Service.ResultSetResponse(connectionId, statementId, ownStatement, signature, frame,
        updateCount, metadata);
  }

  private static Service.RpcMetadataResponse metadata(CodedInputStream in) throws IOException {
    Responses.RpcMetadata.Builder b = Responses.RpcMetadata.newBuilder();
    in.readMessage(b, NO_EXTENSIONS);
    String address = b.getServerAddress();
    return new Service.RpcMetadataResponse(address.isEmpty() ? null : address);
  }

  // ---- frames (common.proto) ----

  /** A length-delimited Frame message. */
  private static Meta.Frame frame(CodedInputStream in) throws IOException {
    int limit = in.pushLimit(in.readRawVarint32());
    long offset = 0;
    boolean done = false;
    List<Object> rows = new ArrayList<>();
    Value value = new Value();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case 1 << 3 -> offset = in.readUInt64();
        case 2 << 3 -> done = in.readBool();
        case 3 << 3 | 2 -> rows.add(row(in, value));
        default -> in.skipField(tag);
      }
    }
    in.popLimit(limit);
    return new Meta.Frame(offset, done, rows);
  }

  private static List<Object> row(CodedInputStream in, Value value) throws IOException {
    int limit = in.pushLimit(in.readRawVarint32());
    List<Object> row = new ArrayList<>();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == (1 << 3 | 2)) {
        row.add(column(in, value));
      } else {
        in.skipField(tag);
      }
    }
    in.popLimit(limit);
    return row;
  }

  /** A ColumnValue: the short path for one scalar value, else Avatica's decoder. */
  private static Object column(CodedInputStream in, Value value) throws IOException {
    int limit = in.pushLimit(in.readRawVarint32());
    Common.ColumnValue.Builder other = null; // everything but one plain scalar value
    boolean plain = false;
    Object result = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == (4 << 3 | 2) && other == null && !plain) {
        int valueLimit = in.pushLimit(in.readRawVarint32());
        value.read(in);
        in.popLimit(valueLimit);
        if (value.isPlain()) {
          plain = true;
          result = value.plain();
        } else {
          other = Common.ColumnValue.newBuilder().setScalarValue(value.message());
        }
        continue;
      }
      if (other == null) {
        other = Common.ColumnValue.newBuilder();
        if (plain) {
          other.setScalarValue(value.message());
        }
      }
      switch (tag) {
        case 1 << 3 | 2 -> other.addValue(typedValue(in));
        case 2 << 3 | 2 -> other.addArrayValue(typedValue(in));
        case 3 << 3 -> other.setHasArrayValue(in.readBool());
        case 4 << 3 | 2 -> other.mergeScalarValue(typedValue(in));
        default -> in.skipField(tag);
      }
    }
    in.popLimit(limit);
    if (other == null) {
      // an empty column: Avatica's decoder says what that is
      return plain ? result : avatica(Common.ColumnValue.getDefaultInstance());
    }
    return avatica(other.build());
  }

  private static Common.TypedValue typedValue(CodedInputStream in) throws IOException {
    Common.TypedValue.Builder b = Common.TypedValue.newBuilder();
    in.readMessage(b, NO_EXTENSIONS);
    return b.build();
  }

  /** A column value as Avatica's own decoder reads it. */
  private static Object avatica(Common.ColumnValue column) {
    Common.Frame frame = Common.Frame.newBuilder()
        .addRows(Common.Row.newBuilder().addValue(column)).build();
    List<?> row = (List<?>) Meta.Frame.fromProto(frame).rows.iterator().next();
    return row.get(0);
  }

  /** The fields of one TypedValue (reused from value to value). */
  private static final class Value {
    int type;
    boolean boolValue;
    String stringValue;
    long numberValue;
    ByteString bytesValue;
    double doubleValue;
    boolean nullValue;
    /** Fields the short path does not know (array values, implicit nulls, unknown fields). */
    Common.TypedValue.Builder more;

    void read(CodedInputStream in) throws IOException {
      type = 0;
      boolValue = false;
      stringValue = "";
      numberValue = 0;
      bytesValue = ByteString.EMPTY;
      doubleValue = 0;
      nullValue = false;
      more = null;
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (tag) {
          case 1 << 3 -> type = in.readEnum();
          case 2 << 3 -> boolValue = in.readBool();
          case 3 << 3 | 2 -> stringValue = in.readStringRequireUtf8();
          case 4 << 3 -> numberValue = in.readSInt64();
          case 5 << 3 | 2 -> bytesValue = in.readBytes();
          case 6 << 3 | 1 -> doubleValue = in.readDouble();
          case 7 << 3 -> nullValue = in.readBool();
          case 8 << 3 | 2 -> more().addArrayValue(typedValue(in));
          case 9 << 3 -> more().setComponentTypeValue(in.readEnum());
          case 10 << 3 -> more().setImplicitlyNull(in.readBool());
          default -> {
            more(); // not a plain value
            in.skipField(tag);
          }
        }
      }
    }

    private Common.TypedValue.Builder more() {
      if (more == null) {
        more = Common.TypedValue.newBuilder();
      }
      return more;
    }

    /** Whether {@link #plain} decodes this value exactly as Avatica does. */
    boolean isPlain() {
      if (more != null) {
        return false;
      }
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
        case Common.Rep.BIG_DECIMAL_VALUE -> numberValue == 0 && !stringValue.isEmpty();
        default -> false;
      };
    }

    /** The value as Avatica's {@code Meta.Frame.fromProto} makes it (its "serial" form). */
    Object plain() {
      return switch (type) {
        case Common.Rep.BYTE_STRING_VALUE -> bytesValue.toByteArray();
        case Common.Rep.BOOLEAN_VALUE, Common.Rep.PRIMITIVE_BOOLEAN_VALUE -> boolValue;
        case Common.Rep.STRING_VALUE -> stringValue;
        case Common.Rep.BYTE_VALUE, Common.Rep.PRIMITIVE_BYTE_VALUE -> (byte) numberValue;
        case Common.Rep.DOUBLE_VALUE, Common.Rep.PRIMITIVE_DOUBLE_VALUE -> doubleValue;
        case Common.Rep.FLOAT_VALUE, Common.Rep.PRIMITIVE_FLOAT_VALUE ->
            Float.intBitsToFloat((int) numberValue);
        case Common.Rep.INTEGER_VALUE, Common.Rep.PRIMITIVE_INT_VALUE,
            Common.Rep.JAVA_SQL_DATE_VALUE, Common.Rep.JAVA_SQL_TIME_VALUE -> (int) numberValue;
        case Common.Rep.SHORT_VALUE, Common.Rep.PRIMITIVE_SHORT_VALUE -> (short) numberValue;
        case Common.Rep.LONG_VALUE, Common.Rep.PRIMITIVE_LONG_VALUE,
            Common.Rep.JAVA_SQL_TIMESTAMP_VALUE, Common.Rep.JAVA_UTIL_DATE_VALUE,
            Common.Rep.NUMBER_VALUE -> numberValue;
        case Common.Rep.BIG_DECIMAL_VALUE -> new BigDecimal(stringValue);
        case Common.Rep.NULL_VALUE -> null;
        default -> throw new IllegalStateException("not a plain value: " + type);
      };
    }

    /** The value as a message, for Avatica's decoder. */
    Common.TypedValue message() {
      Common.TypedValue.Builder b = more != null ? more : Common.TypedValue.newBuilder();
      b.setTypeValue(type).setBoolValue(boolValue).setStringValue(stringValue)
          .setNumberValue(numberValue).setBytesValue(bytesValue).setDoubleValue(doubleValue)
          .setNull(nullValue);
      return b.build();
    }
  }
}
