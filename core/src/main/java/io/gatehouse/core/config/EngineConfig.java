package io.gatehouse.core.config;

import java.time.Duration;

/**
 * Engine-wide defaults from the {@code engine:} section.
 *
 * @param maxRows row cap written into every query's parse tree
 * @param queryTimeout applied at the source (session statement timeout) and in the engine
 * @param memoryBudget bytes the engine may hold for work it does itself (cross-source joins, sorts)
 * @param fetchSize rows fetched per round trip from a source, so large results stream
 * @param metadataCacheTtl how long table lists and row types read from a source are reused
 * @param planCacheSize how many query plans are kept for reuse (0: plan every query anew)
 * @param resultCache the result cache, or null when it is off (the default)
 * @param lookupJoins whether cross-source joins with a small side may send the big side's keys
 *     as IN lists instead of reading it whole (docs/engine.md, "Lookup joins")
 */
public record EngineConfig(
    long maxRows, Duration queryTimeout, long memoryBudget, int fetchSize, Duration metadataCacheTtl,
    int planCacheSize, ResultCacheConfig resultCache, boolean lookupJoins) {

  /** An engine with lookup joins. */
  public EngineConfig(long maxRows, Duration queryTimeout, long memoryBudget, int fetchSize,
      Duration metadataCacheTtl, int planCacheSize, ResultCacheConfig resultCache) {
    this(maxRows, queryTimeout, memoryBudget, fetchSize, metadataCacheTtl, planCacheSize,
        resultCache, true);
  }

  /** An engine without a result cache. */
  public EngineConfig(long maxRows, Duration queryTimeout, long memoryBudget, int fetchSize,
      Duration metadataCacheTtl, int planCacheSize) {
    this(maxRows, queryTimeout, memoryBudget, fetchSize, metadataCacheTtl, planCacheSize, null);
  }

  public static final long DEFAULT_MAX_ROWS = 10_000;
  public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(30);
  public static final long DEFAULT_MEMORY_BUDGET = 512L << 20;
  public static final int DEFAULT_FETCH_SIZE = 1_000;
  public static final Duration DEFAULT_METADATA_CACHE_TTL = Duration.ofMinutes(10);
  public static final int DEFAULT_PLAN_CACHE_SIZE = 1_000;

  public static EngineConfig defaults() {
    return new EngineConfig(DEFAULT_MAX_ROWS, DEFAULT_QUERY_TIMEOUT, DEFAULT_MEMORY_BUDGET,
        DEFAULT_FETCH_SIZE, DEFAULT_METADATA_CACHE_TTL, DEFAULT_PLAN_CACHE_SIZE);
  }

  static EngineConfig read(ConfigObject o) {
    if (o == null) {
      return defaults();
    }
    EngineConfig c = new EngineConfig(
        o.longValue("maxRows", 1, 1_000_000_000L, DEFAULT_MAX_ROWS),
        o.duration("queryTimeout", Duration.ofMillis(1), Duration.ofDays(1), DEFAULT_QUERY_TIMEOUT),
        o.bytes("memoryBudget", 1L << 20, DEFAULT_MEMORY_BUDGET),
        o.integer("fetchSize", 1, 1_000_000, DEFAULT_FETCH_SIZE),
        o.duration("metadataCacheTtl", Duration.ZERO, Duration.ofDays(7), DEFAULT_METADATA_CACHE_TTL),
        o.integer("planCacheSize", 0, 1_000_000, DEFAULT_PLAN_CACHE_SIZE),
        resultCache(o.object("resultCache")),
        o.bool("lookupJoins", true));
    o.finish();
    return c;
  }

  private static ResultCacheConfig resultCache(ConfigObject o) {
    return o == null ? null : ResultCacheConfig.read(o);
  }
}
