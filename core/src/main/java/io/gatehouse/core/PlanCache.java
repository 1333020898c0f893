package io.gatehouse.core;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gatehouse.core.guard.GuardedQuery;
import io.gatehouse.core.plan.PlannedQuery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Plans kept for reuse, so a repeated or re-prepared query skips guarding, validation and
 * optimisation (tens to hundreds of milliseconds in Calcite) and goes straight to execution.
 *
 * <p>A plan is reused only where it is certainly the same plan. The key holds everything planning
 * depends on: the SQL text exactly as given (parameter types are derived from it), the row cap
 * written into the tree, the default schema unqualified names resolve against, the sources the
 * caller may see (which is what access changes: two users with the same sources share plans, users
 * with different ones never do), and each of those sources' catalog generation, so a refresh or a
 * new read of a source's catalog (after its TTL) retires the plans made from the old one. Entries
 * also expire with the metadata TTL. Failures are not cached.
 */
public final class PlanCache {
  /** What identifies a plan. */
  record Key(String sql, long rowCap, List<String> defaultSchema, Map<String, Long> sourceGenerations) {}

  /** A guarded, planned query. */
  record Entry(GuardedQuery guarded, PlannedQuery plan) {}

  /** Counts since the engine opened. */
  public record Stats(long hits, long misses, long size) {}

  private final Cache<Key, Entry> cache;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();

  PlanCache(int maxEntries, Duration metadataTtl) {
    this.cache = maxEntries == 0 || metadataTtl.isZero() ? null : Caffeine.newBuilder()
        .maximumSize(maxEntries)
        .expireAfterWrite(metadataTtl)
        .build();
  }

  static Key key(String sql, long rowCap, List<String> defaultSchema,
      Iterable<SourceRuntime> sources) {
    Map<String, Long> generations = new TreeMap<>();
    for (SourceRuntime s : sources) {
      generations.put(s.id(), s.catalog().generation());
    }
    return new Key(sql, rowCap, new ArrayList<>(defaultSchema), generations);
  }

  /** The cached plan for {@code key}, or null. */
  Entry get(Key key) {
    if (cache == null) {
      return null;
    }
    Entry e = cache.getIfPresent(key);
    (e == null ? misses : hits).increment();
    return e;
  }

  void put(Key key, Entry entry) {
    if (cache != null) {
      cache.put(key, entry);
    }
  }

  void clear() {
    if (cache != null) {
      cache.invalidateAll();
    }
  }

  Stats stats() {
    return new Stats(hits.sum(), misses.sum(), cache == null ? 0 : cache.estimatedSize());
  }
}
