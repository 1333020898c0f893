package io.gatehouse.core.config;

import java.time.Duration;

/**
 * How many queries may read one source at once ({@code limits:} of a source). A query over the
 * limit waits in a bounded queue, fair between users, for at most {@code queueTimeout}.
 *
 * @param maxConcurrentQueries queries reading the source at once; 0 means no limit (the default,
 *     so that a configuration without {@code limits} behaves as before)
 * @param maxQueued queries that may wait for a slot; more fail at once with RESOURCE_LIMIT
 * @param queueTimeout how long a query may wait for a slot before it fails with RESOURCE_LIMIT
 */
public record SourceLimits(int maxConcurrentQueries, int maxQueued, Duration queueTimeout) {
  /** No limit: every query runs at once (bounded only by the pool). */
  public static final SourceLimits UNLIMITED = new SourceLimits(0, 0, Duration.ofSeconds(10));

  static final int DEFAULT_MAX_QUEUED = 100;
  static final Duration DEFAULT_QUEUE_TIMEOUT = Duration.ofSeconds(10);

  public SourceLimits {
    if (maxConcurrentQueries < 0 || maxQueued < 0 || queueTimeout == null || queueTimeout.isNegative()) {
      throw new IllegalArgumentException("limits must not be negative");
    }
  }

  /** Whether queries of the source are limited at all. */
  public boolean limited() {
    return maxConcurrentQueries > 0;
  }

  static SourceLimits read(ConfigObject o) {
    if (o == null) {
      return UNLIMITED;
    }
    int before = o.problems().size();
    // Requiring maxConcurrentQueries keeps "limits: {maxQueued: 5}" from silently limiting nothing.
    Integer max = o.requiredInteger("maxConcurrentQueries", 1, 10_000,
        "how many queries may read the source at once, e.g. 4");
    // 0 is allowed: no queue, a query over the limit fails at once.
    int queued = o.integer("maxQueued", 0, 100_000, DEFAULT_MAX_QUEUED);
    Duration timeout = o.duration("queueTimeout", Duration.ZERO, Duration.ofHours(1),
        DEFAULT_QUEUE_TIMEOUT);
    o.finish();
    if (max == null || o.problems().size() != before) {
      return UNLIMITED;
    }
    return new SourceLimits(max, queued, timeout);
  }
}
