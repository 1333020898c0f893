package io.gatehouse.core.config;

import java.time.Duration;

/**
 * The engine's result cache ({@code engine.resultCache}). Absent means off: results are then never
 * kept, exactly as before the cache existed.
 *
 * @param maxBytes approximate bytes all cached results may hold together (weighed over row values)
 * @param ttl how long a result is served from the cache after it was read from the sources
 * @param maxEntryBytes results larger than this are streamed as usual and never kept
 */
public record ResultCacheConfig(long maxBytes, Duration ttl, long maxEntryBytes) {
  public static final long DEFAULT_MAX_BYTES = 256L << 20;
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(60);
  /** Entries are weighed as ints by the cache, so one entry stays well under 2 GB. */
  static final long MAX_ENTRY_BYTES_LIMIT = 1L << 30;

  /**
   * The default bound of one entry: a sixteenth of the whole, so that one large result cannot evict
   * most of the others.
   */
  public static long defaultMaxEntryBytes(long maxBytes) {
    return Math.max(1, Math.min(maxBytes / 16, MAX_ENTRY_BYTES_LIMIT));
  }

  /**
   * A source's own setting ({@code sources[].resultCache}): {@code false} keeps every query that
   * reads the source out of the cache; {@code { ttl: 30s }} overrides the engine's TTL for it.
   *
   * @param ttl the source's TTL, or null for the engine's
   */
  public record Source(boolean enabled, Duration ttl) {
    public static final Source DEFAULT = new Source(true, null);

    /** The source's TTL if set, else the engine's. */
    public Duration effectiveTtl(ResultCacheConfig engine) {
      return ttl != null ? ttl : engine.ttl();
    }

    /** Reads {@code key} of a source: absent, true, false or a mapping with {@code ttl}. */
    static Source read(ConfigObject s, String key, boolean engineCacheOn) {
      if (!s.has(key)) {
        return DEFAULT;
      }
      if (s.isBoolean(key)) {
        return s.bool(key, true) ? DEFAULT : new Source(false, null);
      }
      ConfigObject o = s.object(key);
      if (o == null) {
        return DEFAULT; // object() named the problem
      }
      Duration ttl = o.duration("ttl", Duration.ofMillis(1), Duration.ofDays(1), null);
      o.finish();
      if (ttl != null && !engineCacheOn) {
        o.problem("ttl", "has no effect: the result cache is off (engine.resultCache is not set);"
            + " add engine.resultCache: { maxBytes: 256MB, ttl: 60s } or remove this key");
      }
      return new Source(true, ttl);
    }
  }

  static ResultCacheConfig read(ConfigObject o) {
    long maxBytes = o.bytes("maxBytes", 1L << 10, DEFAULT_MAX_BYTES);
    Duration ttl = o.duration("ttl", Duration.ofMillis(1), Duration.ofDays(1), DEFAULT_TTL);
    long maxEntry = o.bytes("maxEntryBytes", 1, defaultMaxEntryBytes(maxBytes));
    if (o.has("maxEntryBytes") && maxEntry > maxBytes) {
      o.problem("maxEntryBytes", "must not exceed maxBytes (" + Durations.formatBytes(maxBytes)
          + "), got " + Durations.formatBytes(maxEntry) + "; lower maxEntryBytes or raise maxBytes");
      maxEntry = defaultMaxEntryBytes(maxBytes);
    } else if (maxEntry > MAX_ENTRY_BYTES_LIMIT) {
      o.problem("maxEntryBytes", "must be at most " + Durations.formatBytes(MAX_ENTRY_BYTES_LIMIT)
          + ", got " + Durations.formatBytes(maxEntry));
      maxEntry = MAX_ENTRY_BYTES_LIMIT;
    }
    o.finish();
    return new ResultCacheConfig(maxBytes, ttl, maxEntry);
  }
}
