package io.gatehouse.core.error;

import java.util.Objects;

/**
 * The one exception type Gatehouse throws to its callers: a stable {@link ErrorCode} and a message a
 * user can act on.
 *
 * <p>The message never contains credentials, host names or a source's own error text: those can leak
 * internals, so they are logged (scrubbed) at debug level where the failure is classified and never
 * attached here. For that reason a {@code GatehouseException} built from a driver failure does not
 * keep the driver exception as its cause. The user's own mistakes (syntax, unknown column) keep their
 * position, because the user needs it and it reveals nothing they did not type.
 */
public class GatehouseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final int line;
  private final int column;

  public GatehouseException(ErrorCode code, String message) {
    this(code, message, 0, 0, null);
  }

  /**
   * @param cause only for causes that are safe to show (our own exceptions); driver and source
   *     exceptions must not be passed here
   */
  public GatehouseException(ErrorCode code, String message, Throwable cause) {
    this(code, message, 0, 0, cause);
  }

  public GatehouseException(ErrorCode code, String message, int line, int column) {
    this(code, message, line, column, null);
  }

  private GatehouseException(ErrorCode code, String message, int line, int column, Throwable cause) {
    super(code.name() + ": " + Objects.requireNonNull(message, "message"), cause, false, true);
    this.code = Objects.requireNonNull(code, "code");
    this.line = line;
    this.column = column;
  }

  public ErrorCode code() {
    return code;
  }

  /** The SQLState reported through JDBC. */
  public String sqlState() {
    return code.sqlState();
  }

  /** 1-based line of the user's SQL the error refers to, or 0 when it has no position. */
  public int line() {
    return line;
  }

  /** 1-based column of the user's SQL the error refers to, or 0 when it has no position. */
  public int column() {
    return column;
  }

  /** The message without the leading code. */
  public String detail() {
    String m = getMessage();
    return m.substring(code.name().length() + 2);
  }
}
