package io.gatehouse.core;

import io.gatehouse.core.catalog.SourceCatalog;
import io.gatehouse.core.catalog.SourceSchema;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.config.GatehouseConfig;
import io.gatehouse.core.config.SourceConfig;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import io.gatehouse.core.exec.SourceStatement;
import io.gatehouse.core.guard.GuardedQuery;
import io.gatehouse.core.guard.QueryGuard;
import io.gatehouse.core.plan.QueryPlanner;
import io.gatehouse.core.spi.AdapterRegistry;
import io.gatehouse.core.spi.SourceAdapter;
import io.gatehouse.core.spi.SourceConnector;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * The embedded engine: every configured source as a schema, queries guarded, planned with pushdown
 * and run with limits. Thread-safe; open one per configuration and share it.
 *
 * <pre>{@code
 * try (Gatehouse gh = Gatehouse.open(Path.of("gatehouse.yaml"));
 *      QueryResult r = gh.query("select name from shop.public.customers where id = ?", 42)) {
 *   while (r.next()) {
 *     System.out.println(r.get(0));
 *   }
 * }
 * }</pre>
 *
 * <p>Opening an engine does not connect to any source: pools and catalogs are created on first use,
 * so a source that is down does not stop the others.
 */
public final class Gatehouse implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Gatehouse.class);
  private static final java.util.concurrent.atomic.AtomicBoolean PLANNER_WARMED =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final GatehouseConfig config;
  private final Map<String, SourceRuntime> sources = new LinkedHashMap<>();
  private final QueryGuard guard = new QueryGuard();
  private final QueryPlanner planner;
  private final ScheduledExecutorService scheduler;
  /** Queries started and not yet ended. */
  private final java.util.Set<io.gatehouse.core.exec.QueryExecution> running =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final List<Consumer<SourceStatement>> listeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<QueryEvent>> queryListeners = new CopyOnWriteArrayList<>();
  private final Session defaultSession;
  private final PlanCache planCache;
  private final io.gatehouse.core.exec.EngineMemory memory;
  private final ResultCache resultCache;
  private final io.gatehouse.core.audit.AuditLog audit;
  private volatile boolean closed;
  private volatile Thread warmUpThread;
  private static final long WARM_UP_CLOSE_WAIT_MILLIS = 5_000;

  private Gatehouse(GatehouseConfig config, AdapterRegistry adapters) {
    this.config = config;
    this.planner = new QueryPlanner(config.engine().lookupJoins());
    for (SourceConfig sc : config.sources()) {
      SourceAdapter adapter = adapters.find(sc.type()).orElseThrow(() -> new GatehouseException(
          ErrorCode.CONFIG_INVALID, "no adapter for source type '" + sc.type() + "'"));
      SourceConnector connector = adapter.connector(sc, config.engine());
      SourceCatalog catalog = new SourceCatalog(connector, config.engine().metadataCacheTtl());
      sources.put(sc.id(), new SourceRuntime(connector, catalog, new SourceSchema(catalog)));
    }
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "gatehouse-timeouts");
      t.setDaemon(true);
      return t;
    });
    this.planCache = new PlanCache(config.engine().planCacheSize(), config.engine().metadataCacheTtl());
    this.resultCache = new ResultCache(config.engine().resultCache());
    this.memory = new io.gatehouse.core.exec.EngineMemory(config.engine().memoryBudget());
    long heap = Runtime.getRuntime().maxMemory();
    if (heap != Long.MAX_VALUE && config.engine().memoryBudget() > heap / 4 * 3) {
      LOG.warn("engine.memoryBudget ({} MB) is more than three quarters of the JVM's maximum heap"
          + " ({} MB): queries may run out of heap before they reach the budget; lower"
          + " engine.memoryBudget or raise -Xmx", config.engine().memoryBudget() >> 20, heap >> 20);
    }
    this.defaultSession = new Session(this, null, sources);
    this.audit = io.gatehouse.core.audit.AuditLog.open(config.audit());
    if (audit != null) {
      queryListeners.add(audit);
    }
    warmUp();
  }

  /**
   * Warms the engine up on a background thread, so the first user's query does not pay for it:
   * once per JVM, plans a query over literal rows (loading and compiling Calcite's parser,
   * validator, planner and code generator takes most of a second); then, for this engine, reads
   * every source's catalog (its pool's first connection included) and plans, without running,
   * a query over one table of the first source, which loads the path that writes SQL for a
   * source. Nothing is cached or reported; a source that is down is skipped (its catalog is read
   * when a query first needs it, as without the warm-up).
   */
  private void warmUp() {
    boolean firstInJvm = PLANNER_WARMED.compareAndSet(false, true);
    Thread t = new Thread(() -> {
      if (firstInJvm) {
        try {
          GuardedQuery q = guard.check("select x, count(*) as n, max(y) as m from (values (1, 'a'),"
              + " (2, 'b')) as t(x, y) where y like 'a%' or x in (select 2) group by x order by x", 10);
          planner.plan(q, org.apache.calcite.jdbc.CalciteSchema.createRootSchema(false, false),
              List.of());
        } catch (RuntimeException | LinkageError e) {
          LOG.debug("planner warm-up skipped: {}", e.getClass().getSimpleName());
        }
      }
      String table = null;
      for (Map.Entry<String, SourceRuntime> e : sources.entrySet()) {
        if (closed) {
          return;
        }
        try {
          for (Map.Entry<String, Map<String, io.gatehouse.core.catalog.SourceCatalog.TableEntry>> schema
              : e.getValue().catalog().preload().entrySet()) {
            if (table == null && !schema.getValue().isEmpty()) {
              table = quoted(e.getKey()) + "." + quoted(schema.getKey()) + "."
                  + quoted(schema.getValue().keySet().iterator().next());
            }
          }
        } catch (RuntimeException | LinkageError ex) {
          LOG.debug("catalog warm-up of source '{}' skipped: {}", e.getKey(), ex.getClass().getSimpleName());
        }
      }
      if (table != null && !closed) {
        try {
          defaultSession.planOnly("select * from " + table + " where 1 = 0");
        } catch (RuntimeException | LinkageError ex) {
          LOG.debug("source path warm-up skipped: {}", ex.getClass().getSimpleName());
        }
      }
    }, "gatehouse-warmup");
    t.setDaemon(true);
    warmUpThread = t;
    t.start();
  }

  /**
   * Lets a warm-up still reading a catalog finish (it stops at the next source) before the pools
   * close, so no connection is made for an engine after its close returned. Bounded: a source
   * that hangs is left to its login timeout.
   */
  private void awaitWarmUp() {
    awaitWarmUp(java.time.Duration.ofMillis(WARM_UP_CLOSE_WAIT_MILLIS));
  }

  /**
   * Waits at most {@code timeout} for the background warm-up begun when the engine opened (the
   * sources' catalogs read, the planner loaded). Queries never need to wait for it; this is for
   * callers that want to observe the engine at rest, such as tests counting pooled connections.
   *
   * @return whether the warm-up has finished
   */
  public boolean awaitWarmUp(java.time.Duration timeout) {
    Thread t = warmUpThread;
    if (t == null || t == Thread.currentThread()) {
      return t == null;
    }
    try {
      t.join(Math.max(1, timeout.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !t.isAlive();
  }

  private static String quoted(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /** Opens an engine from a YAML configuration file, with the adapters found on the class path. */
  public static Gatehouse open(Path configFile) {
    return open(ConfigLoader.withDiscoveredAdapters().load(configFile));
  }

  /** Opens an engine from a validated configuration, with the adapters found on the class path. */
  public static Gatehouse open(GatehouseConfig config) {
    return open(config, AdapterRegistry.discover());
  }

  public static Gatehouse open(GatehouseConfig config, AdapterRegistry adapters) {
    return new Gatehouse(config, adapters);
  }

  public GatehouseConfig config() {
    return config;
  }

  /** A session that may use every source. */
  public Session session() {
    checkOpen();
    return new Session(this, null, sources);
  }

  /**
   * A session for a user that may use only the named sources; the others do not exist for it.
   *
   * @param user for audit; may be null
   */
  public Session session(String user, Collection<String> sourceIds) {
    checkOpen();
    Map<String, SourceRuntime> allowed = new LinkedHashMap<>();
    for (String id : sourceIds) {
      for (SourceRuntime s : sources.values()) {
        if (s.id().equalsIgnoreCase(id)) {
          allowed.put(s.id(), s);
        }
      }
    }
    return new Session(this, user, allowed);
  }

  /** Runs a query over all sources with positional {@code ?} parameters. */
  public QueryResult query(String sql, Object... parameters) {
    checkOpen();
    return defaultSession.query(sql, parameters);
  }

  /** Runs a query over all sources with per-query limits. */
  public QueryResult query(String sql, List<?> parameters, QueryOptions options) {
    checkOpen();
    return defaultSession.query(sql, parameters, options);
  }

  /** Opens a connection to a source and checks it answers, reporting latency or a coded error. */
  public ConnectionCheck testConnection(String sourceId) {
    checkOpen();
    SourceRuntime s = defaultSession.source(sourceId);
    if (s == null) {
      throw new GatehouseException(ErrorCode.INVALID_PARAMETER, "no source '" + sourceId
          + "'; sources: " + String.join(", ", sources.keySet()));
    }
    long start = System.nanoTime();
    try (Connection c = s.connector().connection()) {
      int seconds = (int) Math.max(1, s.connector().config().pool().connectionTimeout().toSeconds());
      if (!c.isValid(seconds)) {
        return new ConnectionCheck(s.id(), false, Duration.ofNanos(System.nanoTime() - start),
            ErrorCode.SOURCE_UNAVAILABLE, "source '" + s.id() + "' did not answer a validity check");
      }
      return new ConnectionCheck(s.id(), true, Duration.ofNanos(System.nanoTime() - start), null, null);
    } catch (SQLException e) {
      GatehouseException g = s.connector().translate(e);
      return new ConnectionCheck(s.id(), false, Duration.ofNanos(System.nanoTime() - start), g.code(),
          g.detail());
    } catch (GatehouseException g) {
      return new ConnectionCheck(s.id(), false, Duration.ofNanos(System.nanoTime() - start), g.code(),
          g.detail());
    }
  }

  /** Tests every source, in configuration order. */
  public List<ConnectionCheck> testConnections() {
    List<ConnectionCheck> out = new ArrayList<>();
    for (String id : sources.keySet()) {
      out.add(testConnection(id));
    }
    return out;
  }

  /** The model of one source with every visible table; see {@link Session#introspect}. */
  public io.gatehouse.core.introspect.SourceModel introspect(String sourceId,
      io.gatehouse.core.introspect.IntrospectOptions options) {
    return defaultSession.introspect(sourceId, options);
  }

  /** What the last read of a source's catalog cost (statements sent, time), or null before one. */
  public io.gatehouse.core.catalog.SourceCatalog.LoadStats catalogStats(String sourceId) {
    SourceRuntime s = defaultSession.source(sourceId);
    if (s == null) {
      throw new GatehouseException(ErrorCode.INVALID_PARAMETER, "no source '" + sourceId + "'");
    }
    return s.catalog().lastLoad();
  }

  /** Forgets cached table lists and row types of a source, so its catalog is read again. */
  public void refreshMetadata(String sourceId) {
    SourceRuntime s = defaultSession.source(sourceId);
    if (s == null) {
      throw new GatehouseException(ErrorCode.INVALID_PARAMETER, "no source '" + sourceId + "'");
    }
    s.catalog().refresh();
    // A refresh follows a change at the source, so its cached results may be stale too.
    resultCache.invalidate(s.id());
  }

  /** Forgets cached metadata (and cached results) of every source. */
  public void refreshMetadata() {
    sources.values().forEach(s -> s.catalog().refresh());
    resultCache.invalidateAll();
  }

  /** Forgets every cached result (see {@code engine.resultCache}); a no-op when the cache is off. */
  public void invalidateResultCache() {
    resultCache.invalidateAll();
  }

  /** Forgets the cached results of every query that read this source. */
  public void invalidateResultCache(String sourceId) {
    SourceRuntime s = defaultSession.source(sourceId);
    if (s == null) {
      throw new GatehouseException(ErrorCode.INVALID_PARAMETER, "no source '" + sourceId + "'");
    }
    resultCache.invalidate(s.id());
  }

  /** Result cache hits, misses, stores, entries and approximate bytes since the engine opened. */
  public ResultCache.Stats resultCacheStats() {
    return resultCache.stats();
  }

  /**
   * Calls {@code listener} with every statement sent to any source (after it is generated, before it
   * runs). For audit and tests; the listener must be fast and must not throw.
   */
  public void addStatementListener(Consumer<SourceStatement> listener) {
    listeners.add(listener);
  }

  public void removeStatementListener(Consumer<SourceStatement> listener) {
    listeners.remove(listener);
  }

  /**
   * Calls {@code listener} once for every query when it ends (result closed or failed), with its
   * outcome, duration, row count and the SQL sent to sources. For metrics and audit; the listener must
   * be fast and must not throw.
   */
  public void addQueryListener(Consumer<QueryEvent> listener) {
    queryListeners.add(listener);
  }

  void fire(QueryEvent event) {
    for (Consumer<QueryEvent> l : queryListeners) {
      try {
        l.accept(event);
      } catch (RuntimeException e) {
        // A listener must not break a query.
      }
    }
  }

  /** The ids of the configured sources, in configuration order. */
  public Set<String> sourceIds() {
    return java.util.Collections.unmodifiableSet(sources.keySet());
  }

  /** The connector of a source (pool statistics, dialect). */
  public SourceConnector connector(String sourceId) {
    SourceRuntime s = defaultSession.source(sourceId);
    if (s == null) {
      throw new GatehouseException(ErrorCode.INVALID_PARAMETER, "no source '" + sourceId + "'");
    }
    return s.connector();
  }

  /**
   * How many queries hold a slot of a source and how many wait for one (its {@code limits}), for
   * metrics. Without limits, running queries are still counted.
   */
  public io.gatehouse.core.exec.SourceLimiter.Load sourceLoad(String sourceId) {
    SourceRuntime s = defaultSession.source(sourceId);
    if (s == null) {
      throw new GatehouseException(ErrorCode.INVALID_PARAMETER, "no source '" + sourceId + "'");
    }
    return s.limiter().load();
  }

  // ---- for sessions ----

  QueryGuard guard() {
    return guard;
  }

  QueryPlanner planner() {
    return planner;
  }

  /** The budget for rows the engine's own operators hold, shared by all running queries. */
  public io.gatehouse.core.exec.EngineMemory memory() {
    return memory;
  }

  PlanCache planCache() {
    return planCache;
  }

  ResultCache resultCache() {
    return resultCache;
  }

  /** Plan cache hits, misses and entries since the engine opened. */
  public PlanCache.Stats planCacheStats() {
    return planCache.stats();
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  Consumer<SourceStatement> statementListener() {
    return listeners.isEmpty() ? null : s -> {
      for (Consumer<SourceStatement> l : listeners) {
        try {
          l.accept(s);
        } catch (RuntimeException e) {
          // A listener must not break a query.
        }
      }
    };
  }

  long rowCap(QueryOptions options) {
    long cap = config.engine().maxRows();
    return options.maxRows() == null ? cap : Math.min(cap, options.maxRows());
  }

  Duration timeoutFor(Set<String> sourceIds, QueryOptions options) {
    // Each source has its own limit (its override or the engine's); a query is bound by the
    // strictest limit of the sources it reads, and the caller may only tighten it.
    Duration t = null;
    for (String id : sourceIds) {
      SourceRuntime s = sources.get(id);
      if (s != null) {
        Duration st = s.connector().config().effectiveQueryTimeout(config.engine());
        if (t == null || st.compareTo(t) < 0) {
          t = st;
        }
      }
    }
    if (t == null) {
      t = config.engine().queryTimeout();
    }
    if (options.timeout() != null && options.timeout().compareTo(t) < 0) {
      t = options.timeout();
    }
    return t;
  }

  private void checkOpen() {
    if (closed) {
      throw new GatehouseException(ErrorCode.INVALID_PARAMETER, "the engine is closed");
    }
  }

  /** Keeps a started query in view until it ends, so that {@link #close} can stop it. */
  void track(io.gatehouse.core.exec.QueryExecution execution) {
    running.add(execution);
    execution.onClose(() -> running.remove(execution));
  }

  /**
   * Closes every source's pool. Running queries are cancelled at their sources first (a closed
   * socket alone would leave PostgreSQL computing them) and fail with SOURCE_UNAVAILABLE.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    running.forEach(io.gatehouse.core.exec.QueryExecution::abortForShutdown);
    scheduler.shutdownNow();
    awaitWarmUp();
    for (SourceRuntime s : sources.values()) {
      s.limiter().close();
      s.connector().close();
    }
    if (audit != null) {
      audit.close();
    }
  }
}
