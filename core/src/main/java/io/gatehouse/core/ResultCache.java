package io.gatehouse.core;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.gatehouse.core.config.ResultCacheConfig;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.exec.RowSource;
import io.gatehouse.core.plan.PlannedQuery;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * Complete results kept for a short time, so a repeated query is answered without sending any
 * statement to a source ({@code engine.resultCache}; off unless configured).
 *
 * <p>A result is reused only where it is certainly the answer to the same question for a caller
 * allowed to see it. The key holds:
 *
 * <ul>
 *   <li>the plan's identity, {@link PlanCache.Key}: the SQL text, the row cap the plan was made with,
 *       the default schema, the sources the caller may see (its access rights: sessions that see
 *       different sources never share an entry, even for the same SQL) and their catalog generations
 *       (a result computed from an older catalog is never served to a newer plan);
 *   <li>the parameter values, in the engine's internal form (so 42 and 42L are one value);
 *   <li>the row cap this run applies, which may be lower than the plan's;
 *   <li>an invalidation epoch of each source the plan reads, and one of the whole cache:
 *       invalidating advances them, so a query that was already running when the invalidation came
 *       stores its result under a key no later lookup makes.
 * </ul>
 *
 * <p>Only results read to the end (up to the cap and the one row past it that decides
 * {@code truncated}) without failure are stored; rows are copied while they stream, and once a
 * result's approximate size passes {@code maxEntryBytes} the copy is dropped and the rest streams
 * as usual. Queries that call non-deterministic or time-dependent functions (RAND, CURRENT_TIMESTAMP,
 * ...), EXPLAIN, and queries that read no source are never cached.
 */
public final class ResultCache {
  /** Function names that give another answer each time (besides operators that say so). */
  private static final Set<String> VOLATILE_FUNCTIONS = Set.of("RAND", "RANDOM", "RAND_INTEGER",
      "UUID", "GEN_RANDOM_UUID", "NOW", "SYSDATE", "SYSTIMESTAMP", "CLOCK_TIMESTAMP",
      "STATEMENT_TIMESTAMP", "TRANSACTION_TIMESTAMP", "TIMEOFDAY", "CURRENT_DATE", "CURRENT_TIME",
      "CURRENT_TIMESTAMP", "LOCALTIME", "LOCALTIMESTAMP", "UNIX_TIMESTAMP", "UTC_TIMESTAMP",
      "UTC_DATE", "UTC_TIME", "CURDATE", "CURTIME", "NEXTVAL", "CURRVAL");

  /** What identifies a cached result. */
  record Key(PlanCache.Key plan, List<Object> parameters, long rowCap, long generation,
      Map<String, Long> epochs) {}

  /**
   * A complete result: its rows as read from the sources (including the one past the cap when the
   * cap cut it), owned by the cache and never handed out without a copy.
   */
  record Entry(List<Object[]> rows, long bytes, long createdNanos, Duration ttl) {}

  /** Counts since the engine opened. */
  public record Stats(long hits, long misses, long stores, long entries, long bytes) {}

  private final ResultCacheConfig config;
  private final Cache<Key, Entry> cache;
  private final Map<String, AtomicLong> epochs = new ConcurrentHashMap<>();
  /** Advanced by {@link #invalidateAll}, as a source's epoch is by {@link #invalidate}. */
  private final AtomicLong generation = new AtomicLong();
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder stores = new LongAdder();

  /** @param config null: the cache is off and every method is a no-op */
  ResultCache(ResultCacheConfig config) {
    this.config = config;
    this.cache = config == null ? null : Caffeine.newBuilder()
        .maximumWeight(config.maxBytes())
        .<Key, Entry>weigher((k, e) -> (int) Math.min(Integer.MAX_VALUE, e.bytes()))
        .expireAfter(new Expiry<Key, Entry>() {
          @Override
          public long expireAfterCreate(Key key, Entry e, long currentTime) {
            return e.ttl().toNanos();
          }

          @Override
          public long expireAfterUpdate(Key key, Entry e, long currentTime, long currentDuration) {
            return e.ttl().toNanos();
          }

          @Override
          public long expireAfterRead(Key key, Entry e, long currentTime, long currentDuration) {
            return currentDuration; // reading does not extend a result's life
          }
        })
        .build();
  }

  boolean enabled() {
    return cache != null;
  }

  /**
   * The key of this run, or null when it may not use the cache: the cache is off, the caller opted
   * out, a source it reads opted out, or the query is EXPLAIN, reads no source or is not
   * deterministic.
   */
  Key key(PreparedQuery pq, Object[] internalParameters, long rowCap, QueryOptions options,
      Map<String, SourceRuntime> visible) {
    PlannedQuery plan = pq.planned();
    if (cache == null || !options.resultCache() || pq.guarded().isExplain()
        || plan.sources().isEmpty() || !pq.deterministic()) {
      return null;
    }
    long gen = generation.get();
    Map<String, Long> sourceEpochs = new TreeMap<>();
    for (String id : plan.sources()) {
      SourceRuntime s = visible.get(id);
      if (s == null || !s.connector().config().resultCache().enabled()) {
        return null;
      }
      sourceEpochs.put(id, epoch(id).get());
    }
    List<Object> params = new ArrayList<>(internalParameters.length);
    for (Object v : internalParameters) {
      // byte[] compares by identity; the key must compare values.
      params.add(v instanceof byte[] b ? new ByteString(b) : v);
    }
    return new Key(pq.planKey(), params, rowCap, gen, sourceEpochs);
  }

  /** The cached rows for {@code key} no older than {@code maxAge} (null: any), or null. */
  Entry get(Key key, Duration maxAge) {
    Entry e = cache.getIfPresent(key);
    if (e != null && maxAge != null && System.nanoTime() - e.createdNanos() > maxAge.toNanos()) {
      e = null;
    }
    (e == null ? misses : hits).increment();
    return e;
  }

  /** The TTL of a result of a query reading {@code sourceIds}: the shortest of theirs. */
  private Duration ttlFor(Set<String> sourceIds, Map<String, SourceRuntime> visible) {
    Duration ttl = config.ttl();
    boolean first = true;
    for (String id : sourceIds) {
      Duration t = visible.get(id).connector().config().resultCache().effectiveTtl(config);
      if (first || t.compareTo(ttl) < 0) {
        ttl = t;
      }
      first = false;
    }
    return ttl;
  }

  /** Rows that are copied for the cache as they stream to the caller. */
  Recorder recorder(Key key, RowSource rows, Set<String> sourceIds,
      Map<String, SourceRuntime> visible) {
    return new Recorder(key, rows, ttlFor(sourceIds, visible));
  }

  /** Rows replayed from an entry; each row handed out is a copy, so callers cannot change the entry. */
  static RowSource replay(Entry entry) {
    return new ListRows(entry.rows());
  }

  /** Forgets every cached result. */
  void invalidateAll() {
    if (cache == null) {
      return;
    }
    // The generation first: a query running now stores under a key no later lookup makes.
    generation.incrementAndGet();
    cache.invalidateAll();
  }

  /** Forgets the cached results of every query that read {@code sourceId}. */
  void invalidate(String sourceId) {
    if (cache == null) {
      return;
    }
    epoch(sourceId).incrementAndGet();
    cache.asMap().keySet().removeIf(k -> k.epochs().containsKey(sourceId));
  }

  Stats stats() {
    if (cache == null) {
      return new Stats(0, 0, 0, 0, 0);
    }
    long bytes = cache.policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L);
    return new Stats(hits.sum(), misses.sum(), stores.sum(), cache.estimatedSize(), bytes);
  }

  private AtomicLong epoch(String sourceId) {
    return epochs.computeIfAbsent(sourceId, id -> new AtomicLong());
  }

  /**
   * Copies the rows that stream through it while they fit the entry bound, and stores them when the
   * result ends complete ({@link #ended}).
   */
  final class Recorder implements RowSource {
    private final Key key;
    private final RowSource rows;
    private final Duration ttl;
    private List<Object[]> copy = new ArrayList<>();
    private long bytes;
    private Object[] current;

    private Recorder(Key key, RowSource rows, Duration ttl) {
      this.key = key;
      this.rows = rows;
      this.ttl = ttl;
      this.bytes = 64L + key.plan().sql().length() * 2L + weigh(key.parameters().toArray());
    }

    @Override
    public boolean next() {
      if (!rows.next()) {
        current = null;
        return false;
      }
      current = rows.row();
      if (copy != null) {
        bytes += weigh(current);
        if (bytes > config.maxEntryBytes()) {
          copy = null; // too large to keep: it streams as usual, and is never held whole
        } else {
          copy.add(copyRow(current));
        }
      }
      return true;
    }

    @Override
    public Object[] row() {
      return current;
    }

    @Override
    public void close() {
      rows.close();
    }

    /** Stores the copied rows if the result was read to the end without failure. */
    void ended(QueryResult result, ErrorCode failure) {
      if (copy != null && failure == null && result.readToTheEnd()) {
        cache.put(key, new Entry(List.copyOf(copy), bytes, System.nanoTime(), ttl));
        stores.increment();
      }
      copy = null;
    }
  }

  /**
   * A copy of a row whose mutable values (byte arrays; nested arrays) are copied too; every other
   * value the engine returns (String, BigDecimal, java.time, boxed numbers) is immutable.
   */
  static Object[] copyRow(Object[] row) {
    Object[] out = row.clone();
    for (int i = 0; i < out.length; i++) {
      if (out[i] instanceof byte[] b) {
        out[i] = b.clone();
      } else if (out[i] instanceof Object[] a) {
        out[i] = copyRow(a);
      }
    }
    return out;
  }

  /** Approximate heap bytes of a row: header and slots, plus each value by its kind. */
  static long weigh(Object[] row) {
    long n = 16L + 8L * row.length;
    for (Object v : row) {
      n += weighValue(v);
    }
    return n;
  }

  private static long weighValue(Object v) {
    if (v == null) {
      return 0;
    }
    if (v instanceof CharSequence s) {
      return 40L + 2L * s.length();
    }
    if (v instanceof byte[] b) {
      return 16L + b.length;
    }
    if (v instanceof ByteString b) {
      return 32L + b.length();
    }
    if (v instanceof BigDecimal d) {
      return 48L + d.unscaledValue().bitLength() / 8;
    }
    if (v instanceof BigInteger i) {
      return 32L + i.bitLength() / 8;
    }
    if (v instanceof Object[] a) {
      return weigh(a);
    }
    if (v instanceof java.util.Collection<?> c) {
      return weigh(c.toArray());
    }
    return 24L; // boxed numbers, booleans, java.time values
  }

  /** Whether the query calls nothing whose answer changes from call to call. */
  static boolean deterministic(SqlNode query) {
    boolean[] ok = {true};
    query.accept(new SqlBasicVisitor<Void>() {
      @Override
      public Void visit(SqlCall call) {
        SqlOperator op = call.getOperator();
        if (!op.isDeterministic() || op.isDynamicFunction()
            || VOLATILE_FUNCTIONS.contains(op.getName().toUpperCase(Locale.ROOT))) {
          ok[0] = false;
          return null;
        }
        return super.visit(call);
      }

      @Override
      public Void visit(SqlIdentifier id) {
        // Before validation CURRENT_TIMESTAMP and friends without parentheses are bare names.
        if (id.isSimple() && VOLATILE_FUNCTIONS.contains(id.getSimple().toUpperCase(Locale.ROOT))) {
          ok[0] = false;
        }
        return null;
      }
    });
    return ok[0];
  }

  @Override
  public String toString() {
    return "ResultCache" + (config == null ? "[off]" : Arrays.asList(config.maxBytes(), config.ttl()));
  }
}
