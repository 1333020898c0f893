package io.gatehouse.core;

import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import java.time.Duration;

/**
 * Per-query limits. They can only tighten the engine's limits, never loosen them: a query runs with
 * the smaller of its {@code maxRows} and {@code engine.maxRows}, and the shorter of its timeout and the
 * configured one. An unset option (null) means the configured value.
 */
public final class QueryOptions {
  private static final QueryOptions DEFAULTS = new QueryOptions(null, null, null);

  private final Long maxRows;
  private final Duration timeout;
  private final java.util.concurrent.atomic.AtomicBoolean cancelSignal;

  private QueryOptions(Long maxRows, Duration timeout,
      java.util.concurrent.atomic.AtomicBoolean cancelSignal) {
    this.maxRows = maxRows;
    this.timeout = timeout;
    this.cancelSignal = cancelSignal;
  }

  public static QueryOptions defaults() {
    return DEFAULTS;
  }

  /** At most this many rows; {@code truncated} tells when more existed. */
  public QueryOptions withMaxRows(long maxRows) {
    if (maxRows < 1) {
      throw new GatehouseException(ErrorCode.ROW_LIMIT, "maxRows must be at least 1, got " + maxRows);
    }
    return new QueryOptions(maxRows, timeout, cancelSignal);
  }

  public QueryOptions withTimeout(Duration timeout) {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new GatehouseException(ErrorCode.INVALID_PARAMETER,
          "timeout must be a positive duration, got " + timeout);
    }
    return new QueryOptions(maxRows, timeout, cancelSignal);
  }

  /**
   * A flag another thread sets to cancel the query (checked a few times a second); the statements
   * running at sources are then cancelled there. For callers that cannot call
   * {@link QueryResult#cancel()} themselves, such as JDBC's {@code Statement.cancel()}.
   */
  public QueryOptions withCancelSignal(java.util.concurrent.atomic.AtomicBoolean signal) {
    return new QueryOptions(maxRows, timeout, signal);
  }

  /** The cancel signal, or null. */
  public java.util.concurrent.atomic.AtomicBoolean cancelSignal() {
    return cancelSignal;
  }

  /** The row limit asked for, or null for the configured one. */
  public Long maxRows() {
    return maxRows;
  }

  /** The timeout asked for, or null for the configured one. */
  public Duration timeout() {
    return timeout;
  }

  @Override
  public String toString() {
    return "QueryOptions[maxRows=" + maxRows + ", timeout=" + timeout + "]";
  }
}
