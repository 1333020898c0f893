package io.gatehouse.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.NoSuchConnectionException;
import org.apache.calcite.avatica.metrics.noop.NoopMetricsSystem;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.avatica.remote.Handler.HandlerResponse;
import org.apache.calcite.avatica.remote.JsonHandler;
import org.apache.calcite.avatica.remote.JsonService;
import org.apache.calcite.avatica.remote.LocalService;
import org.apache.calcite.avatica.remote.ProtobufHandler;
import org.apache.calcite.avatica.remote.ProtobufTranslation;
import org.apache.calcite.avatica.remote.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Avatica's wire protocol in both encodings, over one {@link ServerMeta}.
 *
 * <p>Both encodings arrive as {@code application/octet-stream} POSTs; a JSON request starts with
 * {@code {}, a protobuf one never does, so one port serves clients of either kind (Avatica's
 * client default is JSON, {@code serialization=protobuf} selects protobuf).
 *
 * <p>Errors are rebuilt before they leave: Avatica's handlers put the server's stack trace (which can
 * contain the SQL sent to a source and internal class names) into every error response. Here an
 * error response carries only Gatehouse's coded message, its SQLState and vendor code; anything
 * unexpected is logged with an incident id and answered with that id.
 */
final class AvaticaEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(AvaticaEndpoint.class);

  private final ProtobufHandler protobuf;
  private final JsonHandler json;

  AvaticaEndpoint(ServerMeta meta) {
    Service service = new FrameKeepingService(meta);
    ProtobufTranslation translation = new ServerProtobufTranslation();
    this.protobuf = new SanitizingProtobufHandler(service, translation);
    this.json = new SanitizingJsonHandler(service);
  }

  /** Whether a request body is JSON (else protobuf). */
  static boolean isJson(byte[] body) {
    for (byte b : body) {
      if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
        continue;
      }
      return b == '{';
    }
    return false;
  }

  /** Handles one request body; the response is encoded like the request. */
  HandlerResponse<byte[]> handle(byte[] body) {
    boolean isJson = isJson(body);
    RequestContext.protobuf(!isJson);
    try {
      if (isJson) {
        HandlerResponse<String> r = json.apply(new String(body, StandardCharsets.UTF_8));
        return new HandlerResponse<>(r.getResponse().getBytes(StandardCharsets.UTF_8),
            r.getStatusCode());
      }
      return protobuf.apply(body);
    } finally {
      RequestContext.protobuf(false);
    }
  }

  /** The error response a client may see: code, SQLState, message; never a stack trace. */
  static Service.ErrorResponse sanitize(Exception e) {
    if (e instanceof AvaticaRuntimeException r) {
      return new Service.ErrorResponse(List.of(), r.getErrorMessage(), r.getErrorCode(),
          r.getSqlState(), r.getSeverity(), null);
    }
    if (e instanceof org.apache.calcite.avatica.AvaticaClientRuntimeException r) {
      // what the engine's coded errors become (shared with the in-process driver)
      return new Service.ErrorResponse(List.of(), r.getMessage(), r.getErrorCode(), r.getSqlState(),
          AvaticaSeverity.ERROR, null);
    }
    if (e instanceof NoSuchConnectionException) {
      return new Service.ErrorResponse(List.of(), "connection not found; open a new connection",
          Service.ErrorResponse.MISSING_CONNECTION_ERROR_CODE, "08003", AvaticaSeverity.ERROR, null);
    }
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      if (c instanceof AvaticaRuntimeException
          || c instanceof org.apache.calcite.avatica.AvaticaClientRuntimeException) {
        return sanitize((Exception) c);
      }
    }
    String incident = UUID.randomUUID().toString().substring(0, 8);
    LOG.error("request failed (incident {})", incident, e);
    return new Service.ErrorResponse(List.of(), "INTERNAL: the request failed because of an"
        + " internal error (incident " + incident + "); the server log has the details",
        io.gatehouse.core.error.ErrorCode.INTERNAL.vendorCode(), "XX000", AvaticaSeverity.ERROR, null);
  }

  /**
   * Avatica's local service, except that a result's first frame stays the {@link WireFrame} the
   * meta made: Avatica copies its rows into a plain frame, which would drop an encoded frame (it has
   * no rows) and would make the response slow to encode.
   */
  private static final class FrameKeepingService extends LocalService {
    FrameKeepingService(ServerMeta meta) {
      super(meta);
    }

    @Override
    public Service.ResultSetResponse toResponse(org.apache.calcite.avatica.Meta.MetaResultSet rs) {
      Service.ResultSetResponse r = super.toResponse(rs);
      if (rs.firstFrame instanceof WireFrame w && w.isEncoded() && r.firstFrame != null) {
        return new Service.ResultSetResponse(r.connectionId, r.statementId, r.ownStatement,
            r.signature, w, r.updateCount, r.rpcMetadata);
      }
      return r;
    }
  }

  private static final class SanitizingProtobufHandler extends ProtobufHandler {
    private final ProtobufTranslation translation;

    SanitizingProtobufHandler(Service service, ProtobufTranslation translation) {
      super(service, translation, NoopMetricsSystem.getInstance());
      this.translation = translation;
    }

    private HandlerResponse<byte[]> error(Exception e, int status) {
      try {
        return new HandlerResponse<>(translation.serializeResponse(sanitize(e)), status);
      } catch (IOException io) {
        throw new IllegalStateException("cannot encode an error response", io);
      }
    }

    @Override
    public HandlerResponse<byte[]> convertToErrorResponse(Exception e) {
      return error(e, HTTP_INTERNAL_SERVER_ERROR);
    }

    @Override
    public HandlerResponse<byte[]> badRequestErrorResponse(Exception e) {
      return error(e, HTTP_BAD_REQUEST);
    }

    @Override
    public HandlerResponse<byte[]> unauthenticatedErrorResponse(Exception e) {
      return error(e, HTTP_UNAUTHENTICATED);
    }

    @Override
    public HandlerResponse<byte[]> unauthorizedErrorResponse(Exception e) {
      return error(e, HTTP_UNAUTHORIZED);
    }
  }

  private static final class SanitizingJsonHandler extends JsonHandler {
    SanitizingJsonHandler(Service service) {
      super(service, NoopMetricsSystem.getInstance());
    }

    private HandlerResponse<String> error(Exception e, int status) {
      try {
        return new HandlerResponse<>(JsonService.MAPPER.writeValueAsString(sanitize(e)), status);
      } catch (IOException io) {
        throw new IllegalStateException("cannot encode an error response", io);
      }
    }

    @Override
    public HandlerResponse<String> convertToErrorResponse(Exception e) {
      return error(e, HTTP_INTERNAL_SERVER_ERROR);
    }

    @Override
    public HandlerResponse<String> badRequestErrorResponse(Exception e) {
      return error(e, HTTP_BAD_REQUEST);
    }

    @Override
    public HandlerResponse<String> unauthenticatedErrorResponse(Exception e) {
      return error(e, HTTP_UNAUTHENTICATED);
    }

    @Override
    public HandlerResponse<String> unauthorizedErrorResponse(Exception e) {
      return error(e, HTTP_UNAUTHORIZED);
    }
  }
}
