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
  private static final QueryOptions DEFAULTS = new QueryOptions(null, null, null, true, null);

  private final Long maxRows;
  private final Duration timeout;
  private final java.util.concurrent.atomic.AtomicBoolean cancelSignal;
  private final boolean resultCache;
  private final Duration resultCacheMaxAge;

  private QueryOptions(Long maxRows, Duration timeout,
      java.util.concurrent.atomic.AtomicBoolean cancelSignal, boolean resultCache,
      Duration resultCacheMaxAge) {
    this.maxRows = maxRows;
    this.timeout = timeout;
    this.cancelSignal = cancelSignal;
    this.resultCache = resultCache;
    this.resultCacheMaxAge = resultCacheMaxAge;
  }

  public static QueryOptions defaults() {
    return DEFAULTS;
  }

  /** At most this many rows; {@code truncated} tells when more existed. */
  public QueryOptions withMaxRows(long maxRows) {
    if (maxRows < 1) {
      throw new GatehouseException(ErrorCode.ROW_LIMIT, "maxRows must be at least 1, got " + maxRows);
    }
    return new QueryOptions(maxRows, timeout, cancelSignal, resultCache, resultCacheMaxAge);
  }

  public QueryOptions withTimeout(Duration timeout) {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new GatehouseException(ErrorCode.INVALID_PARAMETER,
          "timeout must be a positive duration, got " + timeout);
    }
    return new QueryOptions(maxRows, timeout, cancelSignal, resultCache, resultCacheMaxAge);
  }

  /**
   * A flag another thread sets to cancel the query (checked a few times a second); the statements
   * running at sources are then cancelled there. For callers that cannot call
   * {@link QueryResult#cancel()} themselves, such as JDBC's {@code Statement.cancel()}.
   */
  public QueryOptions withCancelSignal(java.util.concurrent.atomic.AtomicBoolean signal) {
    return new QueryOptions(maxRows, timeout, signal, resultCache, resultCacheMaxAge);
  }

  /**
   * Whether this query may use the engine's result cache (when one is configured): with
   * {@code false} it is neither answered from the cache nor stored there, and always reads its
   * sources.
   */
  public QueryOptions withResultCache(boolean use) {
    return new QueryOptions(maxRows, timeout, cancelSignal, use, resultCacheMaxAge);
  }

  /**
   * Accept a cached result only if it was read from the sources at most {@code maxAge} ago; an older
   * one is read again (and the fresh result replaces it in the cache).
   */
  public QueryOptions withResultCacheMaxAge(Duration maxAge) {
    if (maxAge == null || maxAge.isNegative()) {
      throw new GatehouseException(ErrorCode.INVALID_PARAMETER,
          "resultCacheMaxAge must be zero or a positive duration, got " + maxAge);
    }
    return new QueryOptions(maxRows, timeout, cancelSignal, resultCache, maxAge);
  }

  /** Whether the query may use the result cache. */
  public boolean resultCache() {
    return resultCache;
  }

  /** The oldest cached result the query accepts, or null for any the cache still holds. */
  public Duration resultCacheMaxAge() {
    return resultCacheMaxAge;
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
    return "QueryOptions[maxRows=" + maxRows + ", timeout=" + timeout + ", resultCache=" + resultCache
        + (resultCacheMaxAge == null ? "" : ", resultCacheMaxAge=" + resultCacheMaxAge) + "]";
  }
}
