package io.gatehouse.adapter.bigquery.jdbc;

import com.google.api.client.http.HttpResponseException;
import com.google.cloud.bigquery.BigQueryError;
import com.google.cloud.bigquery.BigQueryException;
import io.gatehouse.core.error.ErrorCode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.sql.SQLException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * A BigQuery failure as a JDBC exception carrying the Gatehouse code it stands for. The message is
 * the service's own (it may hold SQL and object names) and is only ever logged, at DEBUG; users see
 * the connector's message for the code.
 */
public class BigQueryFailure extends SQLException {
  private static final long serialVersionUID = 1L;
  private final transient ErrorCode code;
  private final String reason;

  public BigQueryFailure(String message, ErrorCode code, String reason, Throwable cause) {
    super(message, code.sqlState(), cause);
    this.code = code;
    this.reason = reason;
  }

  /** What the failure means for the user. */
  public ErrorCode code() {
    return code;
  }

  /** BigQuery's error reason ({@code invalidQuery}, {@code accessDenied}...), or null. */
  public String reason() {
    return reason;
  }

  /** Refused before any job ran: the dry run's estimate is above the cap. */
  public static final class CostLimit extends BigQueryFailure {
    private static final long serialVersionUID = 1L;
    private final long estimate;
    private final long cap;

    public CostLimit(long estimate, long cap) {
      super("dry run estimate " + estimate + " bytes exceeds maximumBytesBilled " + cap,
          ErrorCode.COST_LIMIT_EXCEEDED, "dryRunEstimate", null);
      this.estimate = estimate;
      this.cap = cap;
    }

    /** Bytes the dry run said the query would process (and bill). */
    public long estimate() {
      return estimate;
    }

    public long cap() {
      return cap;
    }
  }

  /** Classifies an exception of the client library. */
  public static BigQueryFailure of(BigQueryException e) {
    BigQueryError err = e.getError();
    String reason = err == null ? null : err.getReason();
    ErrorCode byReason = byReason(reason, err == null ? e.getMessage() : err.getMessage());
    if (byReason != null) {
      return new BigQueryFailure(e.getMessage(), byReason, reason, e);
    }
    int status = e.getCode();
    ErrorCode code;
    if (status == 401) {
      code = ErrorCode.SOURCE_AUTH_FAILED;
    } else if (status == 403) {
      code = ErrorCode.ACCESS_DENIED;
    } else if (status == 429) {
      code = ErrorCode.RESOURCE_LIMIT;
    } else if (status >= 500) {
      code = ErrorCode.SOURCE_UNAVAILABLE;
    } else if (status == 0 || e.getCause() instanceof IOException) {
      code = transport(e);
    } else {
      code = ErrorCode.SOURCE_ERROR;
    }
    return new BigQueryFailure(e.getMessage(), code, reason, e);
  }

  /** The error of a finished job ({@code status.errorResult}). */
  public static BigQueryFailure of(BigQueryError err) {
    ErrorCode code = byReason(err.getReason(), err.getMessage());
    return new BigQueryFailure(err.getMessage(), code == null ? ErrorCode.SOURCE_ERROR : code,
        err.getReason(), null);
  }

  /**
   * Failures of the OAuth token exchange: a refused grant is a credential problem, a network
   * failure leaves the source unavailable.
   */
  public static BigQueryFailure ofLogin(IOException e) {
    ErrorCode code = transport(e);
    if (code == ErrorCode.SOURCE_ERROR) {
      code = ErrorCode.SOURCE_AUTH_FAILED;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof HttpResponseException h && h.getStatusCode() >= 500) {
        code = ErrorCode.SOURCE_UNAVAILABLE;
      }
    }
    return new BigQueryFailure("the OAuth token exchange failed", code, null, e);
  }

  private static ErrorCode transport(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLException || t instanceof CertificateException) {
        return ErrorCode.TLS_VERIFICATION_FAILED;
      }
      if (t instanceof ConnectException || t instanceof UnknownHostException
          || t instanceof NoRouteToHostException || t instanceof SocketTimeoutException
          || t instanceof java.net.SocketException) {
        return ErrorCode.SOURCE_UNAVAILABLE;
      }
    }
    return ErrorCode.SOURCE_ERROR;
  }

  /** BigQuery's documented error reasons (cloud.google.com/bigquery/docs/error-messages). */
  private static ErrorCode byReason(String reason, String message) {
    if (reason == null) {
      return null;
    }
    switch (reason) {
      case "bytesBilledLimitExceeded":
        return ErrorCode.COST_LIMIT_EXCEEDED;
      case "accessDenied":
        return ErrorCode.ACCESS_DENIED;
      case "quotaExceeded":
      case "rateLimitExceeded":
      case "resourcesExceeded":
      case "responseTooLarge":
        return ErrorCode.RESOURCE_LIMIT;
      case "backendError":
      case "internalError":
        return ErrorCode.SOURCE_UNAVAILABLE;
      case "timeout":
        return ErrorCode.QUERY_TIMEOUT;
      case "stopped":
        return ErrorCode.QUERY_CANCELLED;
      case "invalidQuery":
      case "invalid": {
        // Failures on the data itself are told apart only by their text.
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if (m.contains("division by zero") || m.contains("overflow") || m.contains("bad int64 value")
            || m.contains("bad double value") || m.contains("bad numeric value")
            || m.contains("invalid cast") || m.contains("out of range")) {
          return ErrorCode.DATA_ERROR;
        }
        return ErrorCode.SOURCE_ERROR;
      }
      default:
        return null;
    }
  }
}
