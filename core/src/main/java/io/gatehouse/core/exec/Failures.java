package io.gatehouse.core.exec;

import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns anything thrown while a query runs into a coded {@link GatehouseException}. Compiled engine
 * code wraps our own exceptions in RuntimeExceptions and signals data problems with
 * ArithmeticException and friends; internal bugs surface as AssertionError. None of them may reach a
 * caller raw, and none may kill the caller's connection.
 */
public final class Failures {
  private static final Logger LOG = LoggerFactory.getLogger(Failures.class);

  private Failures() {}

  public static GatehouseException toGatehouse(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof GatehouseException g) {
        return g;
      }
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ArithmeticException) {
        return new GatehouseException(ErrorCode.DATA_ERROR,
            "the query failed on a value: " + safe(c.getMessage(), "arithmetic error"));
      }
      if (c instanceof NumberFormatException || c instanceof java.time.DateTimeException) {
        return new GatehouseException(ErrorCode.DATA_ERROR,
            "the query failed converting a value: " + safe(c.getMessage(), "invalid value"));
      }
    }
    if (t instanceof VirtualMachineError v && !(t instanceof StackOverflowError)) {
      if (t instanceof OutOfMemoryError) {
        return new GatehouseException(ErrorCode.RESOURCE_LIMIT,
            "the query needed more memory than the engine has; add filters or a LIMIT");
      }
      throw v;
    }
    String incident = UUID.randomUUID().toString().substring(0, 8);
    LOG.error("query failed unexpectedly (incident {})", incident, t);
    return new GatehouseException(ErrorCode.INTERNAL, "the query failed because of an internal error"
        + " (incident " + incident + "); the server log has the details");
  }

  private static String safe(String message, String dflt) {
    if (message == null || message.isBlank()) {
      return dflt;
    }
    // Messages of these exceptions are about values, not about hosts or credentials; keep them short.
    String m = message.replaceAll("\\s+", " ").trim();
    return m.length() > 200 ? m.substring(0, 200) + "..." : m;
  }
}
