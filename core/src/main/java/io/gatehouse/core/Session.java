package io.gatehouse.core;

import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import io.gatehouse.core.exec.EngineRows;
import io.gatehouse.core.exec.ExecutionDataContext;
import io.gatehouse.core.exec.Failures;
import io.gatehouse.core.exec.PushdownRows;
import io.gatehouse.core.exec.QueryExecution;
import io.gatehouse.core.exec.RowSource;
import io.gatehouse.core.exec.ValueCodec;
import io.gatehouse.core.guard.GuardedQuery;
import io.gatehouse.core.plan.PlannedQuery;
import io.gatehouse.core.spi.SourceConnector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * A caller's view of the engine: the sources it may use (others do not exist for it, in queries and in
 * metadata) and its default schema path, so unqualified table names resolve there. Sessions are cheap;
 * one per JDBC connection. A session may be used from several threads.
 */
public final class Session {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Session.class);
  private final Gatehouse engine;
  private final String user;
  private final Map<String, SourceRuntime> sources;
  private final Map<String, SourceConnector> connectors = new LinkedHashMap<>();
  private final CalciteSchema rootSchema;
  private volatile List<String> defaultSchema = List.of();

  Session(Gatehouse engine, String user, Map<String, SourceRuntime> sources) {
    this.engine = engine;
    this.user = user;
    this.sources = Map.copyOf(sources);
    this.rootSchema = CalciteSchema.createRootSchema(false, false);
    for (SourceRuntime s : sources.values()) {
      rootSchema.add(s.id(), s.schema());
      connectors.put(s.id(), s.connector());
    }
    rootSchema.add(MetadataSchema.ROOT, new org.apache.calcite.schema.impl.AbstractSchema())
        .add(MetadataSchema.NAME, new MetadataSchema(this));
  }

  /** The configured spelling of a schema of a source, for names read from its catalog. */
  public String configuredSchemaOf(String sourceId, String actual) {
    SourceRuntime s = source(sourceId);
    return s == null ? actual : s.catalog().configuredSchema(actual);
  }

  public String user() {
    return user;
  }

  public Gatehouse engine() {
    return engine;
  }

  /** Ids of the sources this session may use, as configured. */
  public Set<String> sourceIds() {
    return new java.util.TreeSet<>(connectors.keySet());
  }

  SourceRuntime source(String id) {
    for (SourceRuntime s : sources.values()) {
      if (s.id().equalsIgnoreCase(id)) {
        return s;
      }
    }
    return null;
  }

  /** The default schema path, e.g. [pg, public]; empty when unset. */
  public List<String> defaultSchema() {
    return defaultSchema;
  }

  /**
   * Sets the default schema path from {@code source} or {@code source.schema} (e.g.
   * {@code pg.public}); null or empty clears it. Names match case-insensitively.
   */
  public void setDefaultSchema(String path) {
    if (path == null || path.isBlank()) {
      defaultSchema = List.of();
      return;
    }
    String[] parts = path.trim().split("\\.");
    if (parts.length > 2) {
      throw new GatehouseException(ErrorCode.SQL_VALIDATION,
          "schema path '" + path + "' must be 'source' or 'source.schema'");
    }
    SourceRuntime s = source(parts[0]);
    if (s == null) {
      throw new GatehouseException(ErrorCode.SQL_VALIDATION, "schema '" + path
          + "' not found: no source '" + parts[0] + "'; sources: " + String.join(", ", sourceIds()));
    }
    if (parts.length == 1) {
      defaultSchema = List.of(s.id());
      return;
    }
    String schema = null;
    for (String n : s.catalog().schemaNames()) {
      if (n.equals(parts[1])) {
        schema = n;
      }
    }
    if (schema == null) {
      for (String n : s.catalog().schemaNames()) {
        if (n.toLowerCase(Locale.ROOT).equals(parts[1].toLowerCase(Locale.ROOT))) {
          schema = n;
        }
      }
    }
    if (schema == null) {
      throw new GatehouseException(ErrorCode.SQL_VALIDATION, "schema '" + path + "' not found; "
          + s.id() + " exposes: " + String.join(", ", s.catalog().schemaNames()));
    }
    defaultSchema = List.of(s.id(), schema);
  }

  /** The schemas a source exposes, as configured; empty when the session may not use it. */
  public List<String> schemaNames(String sourceId) {
    SourceRuntime s = source(sourceId);
    return s == null ? List.of() : s.catalog().schemaNames();
  }

  /**
   * The tables and views of one source with their columns, read from the source's catalog (cached).
   *
   * @throws GatehouseException SOURCE_UNAVAILABLE and friends when the catalog cannot be read
   */
  public List<TableDescription> describeTables(String sourceId) {
    SourceRuntime s = source(sourceId);
    if (s == null) {
      return List.of();
    }
    List<TableDescription> out = new ArrayList<>();
    var typeFactory = engine.planner().typeFactory();
    s.catalog().tablesBySchema().forEach((schema, tables) -> tables.forEach((name, entry) -> {
      try {
        var rowType = entry.table().getRowType(typeFactory);
        List<Column> cols = new ArrayList<>();
        rowType.getFieldList().forEach(f -> cols.add(Columns.of(f.getName(), f.getType())));
        out.add(new TableDescription(s.id(), schema, entry.info(), cols, entry.constraints()));
      } catch (RuntimeException | AssertionError e) {
        // One table whose types cannot be mapped must not hide the others from a BI tool.
        LOG.warn("table {}.{}.{} is left out of metadata: its columns cannot be described ({})",
            s.id(), schema, name, e.getClass().getSimpleName());
      }
    }));
    return out;
  }

  /**
   * The model of one source: schemas, tables and views with kinds, comments, row estimates and
   * sizes, columns with source and SQL types, keys, and with {@code options.profile()} column
   * statistics from a bounded sample. Only what the session may see: the source's own
   * include/exclude patterns always apply, the options' narrow them further.
   *
   * @throws GatehouseException INVALID_PARAMETER for a source the session cannot use (it does not
   *     exist for it), SOURCE_UNAVAILABLE and friends when the catalog cannot be read
   */
  public io.gatehouse.core.introspect.SourceModel introspect(String sourceId,
      io.gatehouse.core.introspect.IntrospectOptions options) {
    SourceRuntime s = source(sourceId);
    if (s == null) {
      throw new GatehouseException(io.gatehouse.core.error.ErrorCode.INVALID_PARAMETER,
          "no source '" + sourceId + "'" + (sources.isEmpty() ? ""
              : "; known sources: " + String.join(", ", sources.keySet())));
    }
    return new io.gatehouse.core.introspect.Introspector(s.catalog(), engine.planner().typeFactory(),
        engine.config().engine()).introspect(options);
  }

  /** Guards and plans {@code sql} as this session would, without the plan cache or any event. */
  void planOnly(String sql) {
    GuardedQuery guarded = engine.guard().check(sql, engine.rowCap(QueryOptions.defaults()));
    engine.planner().plan(guarded, rootSchema, defaultSchema);
  }

  /** Guards, validates and plans a query once, for repeated execution. */
  public PreparedQuery prepare(String sql) {
    return prepare(sql, QueryOptions.defaults());
  }

  /** As {@link #prepare(String)}, with the row cap lowered to {@code options.maxRows()} if set. */
  public PreparedQuery prepare(String sql, QueryOptions options) {
    if (sql == null) {
      throw new GatehouseException(ErrorCode.QUERY_REJECTED, "no SQL given");
    }
    long cap = engine.rowCap(options);
    GuardedQuery guarded;
    PlannedQuery plan;
    java.time.Instant start = java.time.Instant.now();
    long startNanos = System.nanoTime();
    List<String> schemaPath = defaultSchema;
    PlanCache.Key key = PlanCache.key(sql, cap, schemaPath, sources.values());
    PlanCache.Entry cached = engine.planCache().get(key);
    if (cached != null) {
      guarded = cached.guarded();
      plan = cached.plan();
    } else {
      try {
        guarded = engine.guard().check(sql, cap);
        plan = engine.planner().plan(guarded, rootSchema, schemaPath);
      } catch (GatehouseException e) {
        engine.fire(new io.gatehouse.core.QueryEvent(start, user, sql, Set.of(), List.of(), 0, false,
            Duration.ofNanos(System.nanoTime() - startNanos), e.code()));
        throw e;
      }
      // Keyed by the catalog generations after planning: the first plan of a source reads (and
      // so advances) its catalog, and the next call must find it.
      key = PlanCache.key(sql, cap, schemaPath, sources.values());
      engine.planCache().put(key, new PlanCache.Entry(guarded, plan));
    }
    Duration planning = Duration.ofNanos(System.nanoTime() - startNanos);
    List<Column> columns = new ArrayList<>();
    if (guarded.isExplain()) {
      columns.add(new Column("PLAN", "VARCHAR", java.sql.Types.VARCHAR, 0, 0, false, String.class));
    } else {
      plan.columns().forEach(c -> columns.add(Columns.of(c)));
    }
    List<Column> params = new ArrayList<>();
    for (int i = 0; i < plan.parameterTypes().size(); i++) {
      params.add(Columns.of("?" + (i + 1), plan.parameterTypes().get(i)));
    }
    return new PreparedQuery(this, sql, guarded, plan, cap, columns, params, planning, cached != null,
        key);
  }

  /** Runs a query with positional {@code ?} parameters under the configured limits. */
  public QueryResult query(String sql, Object... parameters) {
    return query(sql, Arrays.asList(parameters), QueryOptions.defaults());
  }

  /** Runs a query with positional {@code ?} parameters and per-query limits. */
  public QueryResult query(String sql, List<?> parameters, QueryOptions options) {
    return prepare(sql, options).execute(parameters, options);
  }

  /**
   * Runs read queries against one source in one read-only REPEATABLE READ transaction on one
   * connection, so that they all see one snapshot of it. Each query must run whole at that source;
   * results are read whole (row-capped) and returned in order, a failed query as its coded error
   * without stopping the others.
   *
   * @throws GatehouseException when the batch as a whole cannot run: no such source, the source's
   *     concurrency limit (RESOURCE_LIMIT), the source unreachable, no REPEATABLE READ there
   */
  public List<BatchResult> batch(String sourceId, List<String> sql) {
    return batch(sourceId, sql.stream().map(BatchQuery::new).toList(), QueryOptions.defaults());
  }

  /** As {@link #batch(String, List)}, with parameters per query and options for every query. */
  public List<BatchResult> batch(String sourceId, List<BatchQuery> queries, QueryOptions options) {
    return Batches.run(this, sourceId, queries, options);
  }

  QueryResult execute(PreparedQuery pq, List<?> values, QueryOptions options) {
    return execute(pq, values, options, null);
  }

  /**
   * Runs a prepared query; with {@code pinned} (a batch), its statements run on that connection of
   * the batch's source, whose slot the batch holds, instead of taking a slot and a pooled one.
   */
  QueryResult execute(PreparedQuery pq, List<?> values, QueryOptions options, Batches.Pin pinned) {
    PlannedQuery plan = pq.planned();
    GuardedQuery guarded = pq.guarded();
    long cap = pq.rowCap();
    if (options.maxRows() != null) {
      cap = Math.min(cap, options.maxRows());
    }
    List<RelDataType> types = plan.parameterTypes();
    List<?> given = values == null ? List.of() : values;
    if (given.size() != types.size()) {
      throw new GatehouseException(ErrorCode.INVALID_PARAMETER, "the query has " + types.size()
          + " parameter" + (types.size() == 1 ? "" : "s") + " (?) but " + given.size()
          + (given.size() == 1 ? " value was" : " values were") + " given");
    }
    Object[] internal = new Object[types.size()];
    OptionalInt fetchParam = guarded.fetchParameter();
    for (int i = 0; i < internal.length; i++) {
      SqlTypeName t = types.get(i).getSqlTypeName();
      if (fetchParam.isPresent() && fetchParam.getAsInt() == i) {
        long clamped = GuardedQuery.clampFetchParameter(given.get(i), pq.rowCap());
        internal[i] = ValueCodec.apiToInternal(clamped, t, i + 1);
      } else {
        internal[i] = ValueCodec.apiToInternal(given.get(i), t, i + 1);
      }
    }
    java.time.Instant start = java.time.Instant.now();
    long startNanos = System.nanoTime();
    ResultCache.Key cacheKey = engine.resultCache().key(pq, internal, cap, options, sources);
    if (cacheKey != null) {
      ResultCache.Entry hit = engine.resultCache().get(cacheKey, options.resultCacheMaxAge());
      if (hit != null) {
        // No statement reaches a source; the query is still reported like any other.
        return new QueryResult(pq.columns(), ResultCache.replay(hit), cap, null, plan.isPushedDown(),
            true, (result, failure) -> engine.fire(new QueryEvent(start, user, pq.sql(),
                plan.sources(), List.of(), result.rowCount(), result.truncated(),
                Duration.ofNanos(System.nanoTime() - startNanos), failure, true)));
      }
    }
    Duration timeout = engine.timeoutFor(plan.sources(), options);
    Runnable slots;
    try {
      // EXPLAIN reads no source; a batch's queries share the slot the batch took.
      slots = guarded.isExplain() || pinned != null ? () -> { }
          : SourceSlots.acquire(sources, plan.sources(), user, options);
    } catch (GatehouseException e) {
      engine.fire(new QueryEvent(start, user, pq.sql(), plan.sources(), List.of(), 0, false,
          Duration.ofNanos(System.nanoTime() - startNanos), e.code()));
      throw e;
    }
    QueryExecution execution = new QueryExecution(connectors, timeout, engine.config().engine().fetchSize(),
        plan.parameterTypeNames(), internal, engine.statementListener(), user);
    // From here on, every way the query ends (close, failure, cancel, timeout) gives the slots and
    // the memory its operators held back.
    execution.onStop(slots);
    execution.useMemory(engine.memory().open());
    if (pinned != null) {
      execution.pin(pinned.sourceId(), pinned.connection());
    }
    engine.track(execution);
    try {
      execution.start(engine.scheduler());
      if (options.cancelSignal() != null) {
        execution.watch(options.cancelSignal(), engine.scheduler());
      }
    } catch (RuntimeException e) {
      execution.close();
      throw Failures.toGatehouse(e);
    }
    try {
      RowSource rows;
      if (guarded.isExplain()) {
        List<Object[]> lines = new ArrayList<>();
        for (String line : plan.plan().split("\n")) {
          lines.add(new Object[] {line});
        }
        rows = new ListRows(lines);
      } else if (plan.isPushedDown()) {
        rows = new PushdownRows(execution, plan.pushdown());
      } else {
        ExecutionDataContext context = new ExecutionDataContext(rootSchema.plus(),
            engine.planner().typeFactory(), execution, plan.internalParameters());
        Enumerable<Object> enumerable = plan.bindable().bind(context);
        List<SqlTypeName> columnTypes = plan.columns().stream().map(PlannedQuery.OutputColumn::typeName).toList();
        rows = new EngineRows(enumerable.enumerator(), columnTypes, execution);
      }
      // The row cap limits data; EXPLAIN's own lines are not data and are never cut.
      long resultCap = guarded.isExplain() ? Long.MAX_VALUE : cap;
      ResultCache.Recorder recorder = cacheKey == null ? null
          : engine.resultCache().recorder(cacheKey, rows, plan.sources(), sources);
      return new QueryResult(pq.columns(), recorder == null ? rows : recorder, resultCap, execution,
          plan.isPushedDown(), (result, failure) -> {
            if (recorder != null) {
              recorder.ended(result, failure);
            }
            engine.fire(new QueryEvent(start, user, pq.sql(), plan.sources(),
              execution.sent(), result.rowCount(), result.truncated(),
              Duration.ofNanos(System.nanoTime() - startNanos), failure));
          });
    } catch (Throwable t) {
      execution.close();
      GatehouseException g = Failures.toGatehouse(t);
      engine.fire(new QueryEvent(start, user, pq.sql(), plan.sources(), execution.sent(), 0, false,
          Duration.ofNanos(System.nanoTime() - startNanos), g.code()));
      throw g;
    }
  }
}
