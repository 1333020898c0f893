package io.gatehouse.server;

import com.google.protobuf.CodedOutputStream;
import io.gatehouse.core.jdbc.AvaticaProtobufTranslation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.proto.Responses;
import org.apache.calcite.avatica.remote.Service;

/**
 * Avatica's protobuf translation, except that responses carrying result rows (fetch and execute) are
 * written straight into one byte array around their already encoded frames ({@link WireFrame}),
 * instead of being built as message objects and serialized, copied and wrapped three times over.
 *
 * <p>The bytes are a {@code WireMessage} naming the response class and wrapping the response, as
 * Avatica writes them; a result set's {@code first_frame} follows its other fields (protobuf allows
 * fields in any order).
 */
final class ServerProtobufTranslation extends AvaticaProtobufTranslation {
  private static final byte[] FETCH_NAME =
      Responses.FetchResponse.class.getName().getBytes(StandardCharsets.UTF_8);
  private static final byte[] EXECUTE_NAME =
      Responses.ExecuteResponse.class.getName().getBytes(StandardCharsets.UTF_8);

  @Override
  public byte[] serializeResponse(Service.Response response) throws IOException {
    if (response instanceof Service.FetchResponse f && f.frame instanceof WireFrame frame) {
      return fetch(f, frame.encoded());
    }
    if (response instanceof Service.ExecuteResponse e && e.results != null
        && e.results.stream().anyMatch(r -> r.firstFrame instanceof WireFrame)) {
      return execute(e);
    }
    return avatica.serializeResponse(response);
  }

  private static byte[] fetch(Service.FetchResponse f, WireFrame frame) throws IOException {
    byte[] metadata = metadata(f.rpcMetadata);
    int size = CodedOutputStream.computeUInt32SizeNoTag(1 << 3 | 2)
        + lengthDelimited(frame.encodedLength())
        + (f.missingStatement ? CodedOutputStream.computeBoolSize(2, true) : 0)
        + (f.missingResults ? CodedOutputStream.computeBoolSize(3, true) : 0)
        + (metadata != null ? CodedOutputStream.computeByteArraySize(4, metadata) : 0);
    byte[] out = new byte[wrappedSize(FETCH_NAME, size)];
    CodedOutputStream o = wrap(out, FETCH_NAME, size);
    o.writeTag(1, 2);
    o.writeUInt32NoTag(frame.encodedLength());
    frame.writeEncoded(o);
    if (f.missingStatement) {
      o.writeBool(2, true);
    }
    if (f.missingResults) {
      o.writeBool(3, true);
    }
    if (metadata != null) {
      o.writeByteArray(4, metadata);
    }
    o.checkNoSpaceLeft();
    return out;
  }

  private static byte[] execute(Service.ExecuteResponse e) throws IOException {
    int n = e.results.size();
    byte[][] results = new byte[n][];
    WireFrame[] frames = new WireFrame[n];
    int[] sizes = new int[n];
    int size = 0;
    for (int i = 0; i < n; i++) {
      Service.ResultSetResponse r = e.results.get(i);
      results[i] = resultSetWithoutWireFrame(r).toByteArray();
      sizes[i] = results[i].length;
      if (r.firstFrame instanceof WireFrame w) {
        frames[i] = w.encoded();
        sizes[i] += CodedOutputStream.computeUInt32SizeNoTag(5 << 3 | 2)
            + lengthDelimited(frames[i].encodedLength());
      }
      size += CodedOutputStream.computeUInt32SizeNoTag(1 << 3 | 2) + lengthDelimited(sizes[i]);
    }
    byte[] metadata = metadata(e.rpcMetadata);
    size += (e.missingStatement ? CodedOutputStream.computeBoolSize(2, true) : 0)
        + (metadata != null ? CodedOutputStream.computeByteArraySize(3, metadata) : 0);
    byte[] out = new byte[wrappedSize(EXECUTE_NAME, size)];
    CodedOutputStream o = wrap(out, EXECUTE_NAME, size);
    for (int i = 0; i < n; i++) {
      o.writeTag(1, 2);
      o.writeUInt32NoTag(sizes[i]);
      o.writeRawBytes(results[i]);
      if (frames[i] != null) {
        o.writeTag(5, 2);
        o.writeUInt32NoTag(frames[i].encodedLength());
        frames[i].writeEncoded(o);
      }
    }
    if (e.missingStatement) {
      o.writeBool(2, true);
    }
    if (metadata != null) {
      o.writeByteArray(3, metadata);
    }
    o.checkNoSpaceLeft();
    return out;
  }

  /** A result set as Avatica encodes it, but without its first frame if that is a WireFrame. */
  private static Responses.ResultSetResponse resultSetWithoutWireFrame(Service.ResultSetResponse r) {
    Responses.ResultSetResponse.Builder b = Responses.ResultSetResponse.newBuilder()
        .setStatementId(r.statementId).setOwnStatement(r.ownStatement).setUpdateCount(r.updateCount);
    if (r.connectionId != null) {
      b.setConnectionId(r.connectionId);
    }
    if (r.signature != null) {
      b.setSignature(r.signature.toProto());
    }
    Meta.Frame frame = r.firstFrame;
    if (frame != null && !(frame instanceof WireFrame)) {
      b.setFirstFrame(frame.toProto());
    }
    if (r.rpcMetadata != null) {
      b.setMetadata(rpcMetadata(r.rpcMetadata));
    }
    return b.build();
  }

  private static Responses.RpcMetadata rpcMetadata(Service.RpcMetadataResponse m) {
    Responses.RpcMetadata.Builder b = Responses.RpcMetadata.newBuilder();
    if (m.serverAddress != null) {
      b.setServerAddress(m.serverAddress);
    }
    return b.build();
  }

  private static byte[] metadata(Service.RpcMetadataResponse m) {
    return m == null ? null : rpcMetadata(m).toByteArray();
  }

  private static int lengthDelimited(int length) {
    return CodedOutputStream.computeUInt32SizeNoTag(length) + length;
  }

  private static int wrappedSize(byte[] name, int size) {
    return CodedOutputStream.computeByteArraySize(1, name)
        + CodedOutputStream.computeUInt32SizeNoTag(2 << 3 | 2) + lengthDelimited(size);
  }

  /** Starts a WireMessage in {@code out}: the class name, then the header of the wrapped message. */
  private static CodedOutputStream wrap(byte[] out, byte[] name, int size) throws IOException {
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    o.writeByteArray(1, name);
    o.writeTag(2, 2);
    o.writeUInt32NoTag(size);
    return o;
  }
}
