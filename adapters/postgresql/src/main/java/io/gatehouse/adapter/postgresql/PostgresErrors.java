package io.gatehouse.adapter.postgresql;

import io.gatehouse.core.error.ErrorCode;
import java.sql.SQLException;

/**
 * The error rules that PostgreSQL's own SQLStates and drivers need beyond the generic ones of
 * {@link io.gatehouse.core.spi.JdbcSourceConnector}. Public because Redshift reports the same
 * SQLStates and its driver is a fork of the PostgreSQL driver with the same TLS failure shape.
 */
public final class PostgresErrors {
  private PostgresErrors() {}

  /**
   * The code for a failure these rules know, or null to fall back to the generic rules.
   *
   * @param sqlState the first SQLState in the chain, or null
   * @param sslPackage the driver's TLS package ({@code org.postgresql.ssl.}), see
   *     {@link #failedInSslSetup}
   */
  public static ErrorCode classify(SQLException e, String sqlState, String sslPackage) {
    if (failedInSslSetup(e, sslPackage)) {
      return ErrorCode.TLS_VERIFICATION_FAILED;
    }
    if ("42501".equals(sqlState)) {
      return ErrorCode.ACCESS_DENIED;
    }
    if ("3D000".equals(sqlState)) {
      return ErrorCode.SOURCE_UNAVAILABLE; // the configured database does not exist
    }
    return null;
  }

  /** The message for a failure these rules know, or null for the generic message. */
  public static String describe(String sourceId, ErrorCode code, String sqlState) {
    if (code == ErrorCode.ACCESS_DENIED) {
      return "source '" + sourceId + "' denied access: the configured user lacks privileges on an"
          + " object the query reads";
    }
    if ("3D000".equals(sqlState)) {
      return "source '" + sourceId + "': the configured database does not exist";
    }
    return null;
  }

  /**
   * A host name mismatch under {@code verify-full} is a plain driver exception (SQLState 08006, as
   * for any lost connection) with no SSLException cause and a translated message, so the only stable
   * sign is where it was thrown: the driver's TLS setup package.
   */
  static boolean failedInSslSetup(SQLException e, String sslPackage) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && "08006".equals(s.getSQLState())) {
        StackTraceElement[] trace = s.getStackTrace();
        if (trace.length > 0 && trace[0].getClassName().startsWith(sslPackage)) {
          return true;
        }
      }
    }
    return false;
  }
}
