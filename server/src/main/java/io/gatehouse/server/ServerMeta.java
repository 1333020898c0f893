package io.gatehouse.server;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.PreparedQuery;
import io.gatehouse.core.QueryOptions;
import io.gatehouse.core.QueryResult;
import io.gatehouse.core.Session;
import io.gatehouse.core.config.ServerConfig;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import io.gatehouse.core.jdbc.MetaSupport;
import io.gatehouse.core.jdbc.MetaSupport.MetaRows;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.calcite.avatica.ConnectionPropertiesImpl;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.MetaImpl;
import org.apache.calcite.avatica.MissingResultsException;
import org.apache.calcite.avatica.NoSuchConnectionException;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.remote.TypedValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDBC protocol for remote clients: every Avatica connection of every user, each backed by a
 * {@link Session} limited to the sources its user may use.
 *
 * <p><b>Connections belong to the user who opened them.</b> Avatica lets the client choose the
 * connection id and sends it with every request; with plain BASIC authentication any logged-in user
 * could otherwise run statements on another user's connection by sending its id. Every call here
 * looks the id up together with the user of the current HTTP request ({@link RequestContext}); a
 * connection of someone else answers exactly like one that does not exist, and is audited.
 *
 * <p>Limits: open connections in total and per user, open statements per connection, and an idle
 * timeout after which the server closes a connection its client forgot.
 */
public final class ServerMeta implements Meta {
  private static final Logger LOG = LoggerFactory.getLogger(ServerMeta.class);
  private static final Logger AUDIT = LoggerFactory.getLogger("gatehouse.audit");
  /** Rows sent with an execute when the client asks for none or for too many. */
  static final int DEFAULT_FRAME_ROWS = 1_000;
  static final int MAX_FRAME_ROWS = 100_000;

  private final Gatehouse engine;
  private final ServerConfig.Limits limits;
  private final Map<String, ServerConnection> connections = new ConcurrentHashMap<>();

  /** One client connection. */
  private static final class ServerConnection {
    final String id;
    final String owner;
    final Session session;
    final Map<Integer, ServerStatement> statements = new ConcurrentHashMap<>();
    final AtomicInteger nextStatement = new AtomicInteger();
    final ConnectionPropertiesImpl properties = new ConnectionPropertiesImpl();
    final TimeZone zone;
    volatile long lastUsedNanos = System.nanoTime();

    ServerConnection(String id, String owner, Session session, TimeZone zone) {
      this.id = id;
      this.owner = owner;
      this.session = session;
      this.zone = zone;
      properties.setAutoCommit(true);
      properties.setReadOnly(true);
      properties.setTransactionIsolation(java.sql.Connection.TRANSACTION_READ_COMMITTED);
    }

    void closeAll() {
      statements.values().forEach(ServerStatement::close);
      statements.clear();
    }
  }

  /**
   * One statement of a connection and its running result. While the client reads a frame, the next
   * one is already being read from the source ({@link #prefetch}), so the source's work and the
   * network round trip overlap instead of adding up.
   */
  private static final class ServerStatement {
    /** Held by the request working on this statement, and by the reclaimer while it closes it. */
    final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
    PreparedQuery prepared;
    Signature signature;
    QueryOptions options = QueryOptions.defaults();
    QueryResult result;
    long offset;
    /** Frames are encoded for a protobuf client as they are read (else kept as rows, for JSON). */
    boolean encode;
    java.util.concurrent.CompletableFuture<WireFrame> prefetch;
    /** The result was closed because the client left it unread past the query's time limit. */
    boolean reclaimed;

    /** Closes a result that timed out while no request was reading it; true if it did. */
    boolean reclaimIfTimedOut() {
      if (!lock.tryLock()) {
        return false; // a request is reading it: that request will see the timeout itself
      }
      try {
        if (result == null || !result.timedOut()) {
          return false;
        }
        close();
        reclaimed = true;
        return true;
      } finally {
        lock.unlock();
      }
    }

    /** Fails a read of a result that {@link #reclaimIfTimedOut} closed. */
    void checkNotReclaimed() {
      if (reclaimed) {
        reclaimed = false;
        throw MetaSupport.serverError(new GatehouseException(ErrorCode.QUERY_TIMEOUT,
            "the result was not read to its end within the query's time limit, so the server"
                + " closed it; read results promptly, or raise queryTimeout"));
      }
    }

    void close() {
      if (prefetch != null) {
        if (result != null) {
          result.cancel();
        }
        try {
          prefetch.get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
          // the read ended because we cancelled it
        }
        prefetch = null;
      }
      if (result != null) {
        result.close();
        result = null;
      }
      offset = 0;
    }
  }

  private static final java.util.concurrent.ExecutorService PREFETCH =
      java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "gatehouse-prefetch");
        t.setDaemon(true);
        return t;
      });

  /**
   * Reads up to {@code n} rows of a statement's result into a wire frame: encoded row by row for a
   * protobuf client, so that no more than one row's objects are alive at a time.
   */
  private static WireFrame readFrame(ServerStatement s, TimeZone zone, long offset, int n,
      int expectedBytes) {
    if (s.encode) {
      WireFrame.Encoder encoder = new WireFrame.Encoder(expectedBytes);
      boolean done = MetaSupport.nextRows(s.result, s.prepared.columns(), zone, n, encoder::add);
      return encoder.finish(offset, done);
    }
    List<Object> rows = new ArrayList<>();
    boolean done = MetaSupport.nextRows(s.result, s.prepared.columns(), zone, n, rows::add);
    return new WireFrame(offset, done, rows);
  }

  /** The next frame: the prefetched one if any, then starts reading the one after it. */
  private static WireFrame nextFrame(ServerStatement s, TimeZone zone, int n) {
    WireFrame f;
    if (s.prefetch != null) {
      try {
        f = s.prefetch.join();
      } catch (java.util.concurrent.CompletionException e) {
        s.prefetch = null;
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
      s.prefetch = null;
    } else {
      f = readFrame(s, zone, s.offset, n, 0);
    }
    s.offset += f.size();
    if (!f.done) {
      // the next frame's buffer, sized after this one's rows (so that it need not grow)
      int expectedBytes = f.isEncoded() && f.size() > 0
          ? (int) Math.min(64 << 20, (long) f.encodedLength() * n / f.size() * 9 / 8)
          : 0;
      long next = s.offset;
      s.prefetch = java.util.concurrent.CompletableFuture.supplyAsync(
          () -> readFrame(s, zone, next, n, expectedBytes), PREFETCH);
    }
    return f;
  }

  public ServerMeta(Gatehouse engine, ServerConfig.Limits limits) {
    this.engine = engine;
    this.limits = limits;
  }

  /** Open connections (for metrics and health). */
  public int openConnections() {
    return connections.size();
  }

  /** Closes connections unused for longer than the idle timeout; called periodically. */
  public void closeIdleConnections() {
    closeIdleConnections(System.nanoTime());
  }

  /** As {@link #closeIdleConnections()}, as if the clock read {@code now} (tests). */
  void closeIdleConnections(long now) {
    Duration idle = limits.idleTimeout();
    connections.values().removeIf(c -> {
      boolean expired = now - c.lastUsedNanos > idle.toNanos();
      if (expired) {
        LOG.info("closing connection of '{}' idle for more than {}", c.owner, idle);
        c.closeAll();
      }
      return expired;
    });
  }

  /**
   * Closes results whose query's time limit has passed while their client was not reading them (a
   * client that stopped reading, or went away without closing): each held a source connection and,
   * at PostgreSQL, an open transaction. The client's next fetch gets QUERY_TIMEOUT. Called every
   * second.
   */
  public int reclaimAbandonedResults() {
    int closed = 0;
    for (ServerConnection c : connections.values()) {
      for (ServerStatement s : c.statements.values()) {
        try {
          if (s.reclaimIfTimedOut()) {
            closed++;
            LOG.info("closed a result of '{}' left unread past its query's time limit", c.owner);
          }
        } catch (RuntimeException e) {
          // a failure to close one result must not stop the reclaiming of the others
          LOG.warn("closing an abandoned result failed: {}", e.getClass().getSimpleName());
        }
      }
    }
    return closed;
  }

  /** Closes every connection (shutdown). */
  public void closeAll() {
    connections.values().forEach(ServerConnection::closeAll);
    connections.clear();
  }

  // ---- connections ----

  private ServerConnection connection(String id) throws NoSuchConnectionException {
    ServerConnection c = connections.get(id);
    Principal user = RequestContext.user();
    if (c == null) {
      throw new NoSuchConnectionException(id);
    }
    if (user == null || !user.name().equals(c.owner)) {
      AUDIT.warn("{\"event\":\"connection_denied\",\"user\":\"{}\",\"owner\":\"{}\",\"remote\":\"{}\"}",
          user == null ? "" : user.name(), c.owner, RequestContext.remoteAddress());
      throw new NoSuchConnectionException(id);
    }
    c.lastUsedNanos = System.nanoTime();
    return c;
  }

  private ServerConnection connection(ConnectionHandle ch) {
    try {
      return connection(ch.id);
    } catch (NoSuchConnectionException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void openConnection(ConnectionHandle ch, Map<String, String> info) {
    Principal user = RequestContext.user();
    if (user == null) {
      throw MetaSupport.serverError(new GatehouseException(ErrorCode.ACCESS_DENIED,
          "not authenticated"));
    }
    synchronized (connections) {
      ServerConnection existing = connections.get(ch.id);
      if (existing != null) {
        if (!existing.owner.equals(user.name())) {
          AUDIT.warn("{\"event\":\"connection_id_taken\",\"user\":\"{}\",\"remote\":\"{}\"}",
              user.name(), RequestContext.remoteAddress());
        }
        throw MetaSupport.serverError(new GatehouseException(ErrorCode.INVALID_PARAMETER,
            "connection id already in use; open the connection with a new id"));
      }
      if (connections.size() >= limits.maxConnections()) {
        throw MetaSupport.serverError(new GatehouseException(ErrorCode.RESOURCE_LIMIT,
            "the server has reached its limit of " + limits.maxConnections()
                + " open connections; close unused connections or retry later"));
      }
      long mine = connections.values().stream().filter(c -> c.owner.equals(user.name())).count();
      if (mine >= limits.maxConnectionsPerUser()) {
        throw MetaSupport.serverError(new GatehouseException(ErrorCode.RESOURCE_LIMIT,
            "user '" + user.name() + "' already has " + mine + " open connections (the limit is "
                + limits.maxConnectionsPerUser() + "); close unused connections first"));
      }
      Session session = engine.session(user.name(),
          user.allSources() ? engine.sourceIds() : user.sources());
      String tz = info == null ? null : info.get("timeZone");
      ServerConnection c = new ServerConnection(ch.id, user.name(), session,
          tz == null ? TimeZone.getTimeZone("UTC") : TimeZone.getTimeZone(tz));
      String schema = info == null ? null : info.get("schema");
      if (schema != null && !schema.isBlank()) {
        MetaSupport.call(() -> {
          session.setDefaultSchema(schema);
          return null;
        });
        c.properties.setSchema(String.join(".", session.defaultSchema()));
      }
      connections.put(ch.id, c);
    }
  }

  @Override
  public void closeConnection(ConnectionHandle ch) {
    try {
      ServerConnection c = connection(ch.id);
      connections.remove(ch.id);
      c.closeAll();
    } catch (NoSuchConnectionException e) {
      // closing an unknown connection is a no-op, as in JDBC
    }
  }

  @Override
  public ConnectionProperties connectionSync(ConnectionHandle ch, ConnectionProperties props) {
    ServerConnection c = connection(ch);
    if (props.getSchema() != null) {
      MetaSupport.call(() -> {
        c.session.setDefaultSchema(props.getSchema());
        return null;
      });
      List<String> s = c.session.defaultSchema();
      props.setSchema(s.isEmpty() ? null : String.join(".", s));
    }
    if (Boolean.FALSE.equals(props.isReadOnly())) {
      props.setReadOnly(true);
    }
    c.properties.merge(props);
    return c.properties;
  }

  @Override
  public void commit(ConnectionHandle ch) {
    connection(ch);
  }

  @Override
  public void rollback(ConnectionHandle ch) {
    connection(ch);
  }

  // ---- statements ----

  @Override
  public StatementHandle createStatement(ConnectionHandle ch) {
    ServerConnection c = connection(ch);
    if (c.statements.size() >= limits.maxStatementsPerConnection()) {
      throw MetaSupport.serverError(new GatehouseException(ErrorCode.RESOURCE_LIMIT,
          "the connection has " + c.statements.size() + " open statements (the limit is "
              + limits.maxStatementsPerConnection() + "); close statements you no longer use"));
    }
    int id = c.nextStatement.incrementAndGet();
    c.statements.put(id, new ServerStatement());
    return new StatementHandle(ch.id, id, null);
  }

  private ServerStatement statement(ServerConnection c, StatementHandle h)
      throws NoSuchStatementException {
    ServerStatement s = c.statements.get(h.id);
    if (s == null) {
      throw new NoSuchStatementException(h);
    }
    return s;
  }

  private ServerConnection connectionOf(StatementHandle h) throws NoSuchStatementException {
    try {
      return connection(h.connectionId);
    } catch (NoSuchConnectionException e) {
      throw new NoSuchStatementException(h);
    }
  }

  @Override
  public void closeStatement(StatementHandle h) {
    ServerConnection c = connections.get(h.connectionId);
    if (c == null) {
      return;
    }
    try {
      connection(h.connectionId);
    } catch (NoSuchConnectionException e) {
      return;
    }
    ServerStatement s = c.statements.remove(h.id);
    if (s != null) {
      if (s.result != null) {
        s.result.cancel(); // a request still reading it stops, and gives up the lock
      }
      s.lock.lock();
      try {
        s.close();
      } finally {
        s.lock.unlock();
      }
    }
  }

  @Override
  public StatementHandle prepare(ConnectionHandle ch, String sql, long maxRowCount) {
    ServerConnection c = connection(ch);
    StatementHandle h = createStatement(ch);
    ServerStatement s = c.statements.get(h.id);
    s.options = MetaSupport.options(maxRowCount);
    s.prepared = MetaSupport.call(() -> c.session.prepare(sql, s.options));
    s.signature = MetaSupport.signature(s.prepared, sql);
    h.signature = s.signature;
    return h;
  }

  @Override
  public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount,
      PrepareCallback callback) throws NoSuchStatementException {
    return prepareAndExecute(h, sql, maxRowCount, -1, callback);
  }

  @Override
  public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount,
      int maxRowsInFirstFrame, PrepareCallback callback) throws NoSuchStatementException {
    ServerConnection c = connectionOf(h);
    ServerStatement s = statement(c, h);
    s.lock.lock();
    try {
      s.close();
      s.reclaimed = false;
      s.encode = RequestContext.protobuf();
      s.options = MetaSupport.options(maxRowCount);
      s.prepared = MetaSupport.call(() -> c.session.prepare(sql, s.options));
      s.signature = MetaSupport.signature(s.prepared, sql);
      QueryOptions run = s.options;
      s.result = MetaSupport.call(() -> s.prepared.execute(List.of(), run));
      return new ExecuteResult(List.of(firstResults(c, h, s, maxRowsInFirstFrame)));
    } finally {
      s.lock.unlock();
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues, long maxRowCount)
      throws NoSuchStatementException {
    return execute(h, parameterValues, (int) Math.min(Integer.MAX_VALUE, maxRowCount));
  }

  @Override
  public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues,
      int maxRowsInFirstFrame) throws NoSuchStatementException {
    ServerConnection c = connectionOf(h);
    ServerStatement s = statement(c, h);
    if (s.prepared == null) {
      throw MetaSupport.serverError(new GatehouseException(ErrorCode.INVALID_PARAMETER,
          "the statement was not prepared"));
    }
    List<Object> values = new ArrayList<>();
    Calendar calendar = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
    if (parameterValues != null) {
      for (TypedValue tv : parameterValues) {
        values.add(tv == null ? null : tv.toJdbc(calendar));
      }
    }
    s.lock.lock();
    try {
      s.close();
      s.reclaimed = false;
      s.encode = RequestContext.protobuf();
      QueryOptions run = s.options;
      s.result = MetaSupport.call(() -> s.prepared.execute(values, run));
      return new ExecuteResult(List.of(firstResults(c, h, s, maxRowsInFirstFrame)));
    } finally {
      s.lock.unlock();
    }
  }

  /** The result set response with its first frame, so small results need one round trip. */
  private MetaResultSet firstResults(ServerConnection c, StatementHandle h, ServerStatement s,
      int maxRowsInFirstFrame) {
    int n = maxRowsInFirstFrame <= 0 ? DEFAULT_FRAME_ROWS : Math.min(maxRowsInFirstFrame, MAX_FRAME_ROWS);
    s.offset = 0;
    WireFrame first = nextFrame(s, c.zone, n);
    if (first.done) {
      s.close();
    }
    return MetaResultSet.create(h.connectionId, h.id, false, s.signature, first);
  }

  @Override
  public Frame fetch(StatementHandle h, long offset, int fetchMaxRowCount)
      throws NoSuchStatementException, MissingResultsException {
    ServerConnection c = connectionOf(h);
    ServerStatement s = statement(c, h);
    s.lock.lock();
    try {
      s.checkNotReclaimed();
      if (s.result == null) {
        return Frame.EMPTY;
      }
      int n = fetchMaxRowCount <= 0 ? DEFAULT_FRAME_ROWS : Math.min(fetchMaxRowCount, MAX_FRAME_ROWS);
      WireFrame f = nextFrame(s, c.zone, n);
      if (f.done) {
        s.close();
      }
      // a JSON request for a result a protobuf request started (no client does that, but it works)
      return f.isEncoded() && !RequestContext.protobuf() ? f.withRows() : f;
    } finally {
      s.lock.unlock();
    }
  }

  @Override
  public ExecuteBatchResult prepareAndExecuteBatch(StatementHandle h, List<String> sqlCommands) {
    throw MetaSupport.serverError(new GatehouseException(ErrorCode.QUERY_REJECTED,
        "batches are for writes, and Gatehouse accepts only read queries"));
  }

  @Override
  public ExecuteBatchResult executeBatch(StatementHandle h, List<List<TypedValue>> parameterValues) {
    throw MetaSupport.serverError(new GatehouseException(ErrorCode.QUERY_REJECTED,
        "batches are for writes, and Gatehouse accepts only read queries"));
  }

  @Override
  public boolean syncResults(StatementHandle sh, QueryState state, long offset) {
    return false;
  }

  @Override
  public Iterable<Object> createIterable(StatementHandle stmt, QueryState state, Signature signature,
      List<TypedValue> parameterValues, Frame firstFrame) {
    throw new UnsupportedOperationException("remote results travel in frames");
  }

  // ---- metadata ----

  private MetaResultSet metadata(ConnectionHandle ch, MetaRows rows) {
    ServerConnection c = connection(ch);
    int id = c.nextStatement.incrementAndGet();
    Signature signature = new Signature(rows.columns(), "", List.of(), Map.of(),
        CursorFactory.ARRAY, StatementType.SELECT);
    return MetaResultSet.create(ch.id, id, true, signature, new Frame(0, true, rows.rows()));
  }

  @Override
  public Map<DatabaseProperty, Object> getDatabaseProperties(ConnectionHandle ch) {
    connection(ch);
    return Map.of(
        DatabaseProperty.GET_DRIVER_NAME, "Gatehouse",
        DatabaseProperty.GET_DATABASE_PRODUCT_NAME, "Gatehouse",
        DatabaseProperty.GET_DATABASE_PRODUCT_VERSION, Version.VERSION,
        DatabaseProperty.GET_DEFAULT_TRANSACTION_ISOLATION,
        java.sql.Connection.TRANSACTION_READ_COMMITTED);
  }

  @Override
  public MetaResultSet getCatalogs(ConnectionHandle ch) {
    return metadata(ch, MetaSupport.catalogs(connection(ch).session));
  }

  @Override
  public MetaResultSet getSchemas(ConnectionHandle ch, String catalog, Pat schemaPattern) {
    return metadata(ch, MetaSupport.schemas(connection(ch).session, catalog, schemaPattern));
  }

  @Override
  public MetaResultSet getTables(ConnectionHandle ch, String catalog, Pat schemaPattern,
      Pat tableNamePattern, List<String> typeList) {
    return metadata(ch, MetaSupport.tables(connection(ch).session, catalog, schemaPattern,
        tableNamePattern, typeList));
  }

  @Override
  public MetaResultSet getColumns(ConnectionHandle ch, String catalog, Pat schemaPattern,
      Pat tableNamePattern, Pat columnNamePattern) {
    return metadata(ch, MetaSupport.columns(connection(ch).session, catalog, schemaPattern,
        tableNamePattern, columnNamePattern));
  }

  @Override
  public MetaResultSet getTableTypes(ConnectionHandle ch) {
    return metadata(ch, MetaSupport.tableTypes());
  }

  @Override
  public MetaResultSet getProcedures(ConnectionHandle ch, String catalog, Pat schemaPattern,
      Pat procedureNamePattern) {
    return metadata(ch, MetaSupport.empty(MetaImpl.MetaProcedure.class));
  }

  @Override
  public MetaResultSet getProcedureColumns(ConnectionHandle ch, String catalog, Pat schemaPattern,
      Pat procedureNamePattern, Pat columnNamePattern) {
    return metadata(ch, MetaSupport.empty(MetaImpl.MetaProcedureColumn.class));
  }

  @Override
  public MetaResultSet getColumnPrivileges(ConnectionHandle ch, String catalog, String schema,
      String table, Pat columnNamePattern) {
    return metadata(ch, MetaSupport.empty(MetaImpl.MetaColumnPrivilege.class));
  }

  @Override
  public MetaResultSet getTablePrivileges(ConnectionHandle ch, String catalog, Pat schemaPattern,
      Pat tableNamePattern) {
    return metadata(ch, MetaSupport.empty(MetaImpl.MetaTablePrivilege.class));
  }

  @Override
  public MetaResultSet getBestRowIdentifier(ConnectionHandle ch, String catalog, String schema,
      String table, int scope, boolean nullable) {
    return metadata(ch, MetaSupport.empty(MetaImpl.MetaBestRowIdentifier.class));
  }

  @Override
  public MetaResultSet getVersionColumns(ConnectionHandle ch, String catalog, String schema,
      String table) {
    return metadata(ch, MetaSupport.empty(MetaImpl.MetaVersionColumn.class));
  }

  @Override
  public MetaResultSet getPrimaryKeys(ConnectionHandle ch, String catalog, String schema,
      String table) {
    // Avatica's remote protocol has no request for keys (its client answers empty by itself); a
    // client in this JVM gets them, and every client can SELECT from gatehouse.metadata.keys.
    return metadata(ch, MetaSupport.primaryKeys(connection(ch).session, catalog, schema, table));
  }

  @Override
  public MetaResultSet getImportedKeys(ConnectionHandle ch, String catalog, String schema,
      String table) {
    return metadata(ch, MetaSupport.foreignKeys(connection(ch).session, catalog, schema, table, false));
  }

  @Override
  public MetaResultSet getExportedKeys(ConnectionHandle ch, String catalog, String schema,
      String table) {
    return metadata(ch, MetaSupport.foreignKeys(connection(ch).session, catalog, schema, table, true));
  }

  @Override
  public MetaResultSet getCrossReference(ConnectionHandle ch, String parentCatalog,
      String parentSchema, String parentTable, String foreignCatalog, String foreignSchema,
      String foreignTable) {
    return metadata(ch, MetaSupport.empty(MetaImpl.MetaCrossReference.class));
  }

  @Override
  public MetaResultSet getTypeInfo(ConnectionHandle ch) {
    return metadata(ch, MetaSupport.empty(MetaImpl.MetaTypeInfo.class));
  }

  @Override
  public MetaResultSet getIndexInfo(ConnectionHandle ch, String catalog, String schema, String table,
      boolean unique, boolean approximate) {
    return metadata(ch, MetaSupport.empty(MetaImpl.MetaIndexInfo.class));
  }

  @Override
  public MetaResultSet getUDTs(ConnectionHandle ch, String catalog, Pat schemaPattern,
      Pat typeNamePattern, int[] types) {
    return metadata(ch, MetaSupport.empty(MetaImpl.MetaUdt.class));
  }

  @Override
  public MetaResultSet getSuperTypes(ConnectionHandle ch, String catalog, Pat schemaPattern,
      Pat typeNamePattern) {
    return metadata(ch, MetaSupport.empty(MetaImpl.MetaSuperType.class));
  }

  @Override
  public MetaResultSet getSuperTables(ConnectionHandle ch, String catalog, Pat schemaPattern,
      Pat tableNamePattern) {
    return metadata(ch, MetaSupport.empty(MetaImpl.MetaSuperTable.class));
  }

  @Override
  public MetaResultSet getAttributes(ConnectionHandle ch, String catalog, Pat schemaPattern,
      Pat typeNamePattern, Pat attributeNamePattern) {
    return metadata(ch, MetaSupport.empty(MetaImpl.MetaAttribute.class));
  }

  @Override
  public MetaResultSet getClientInfoProperties(ConnectionHandle ch) {
    return metadata(ch, MetaSupport.empty(MetaImpl.MetaClientInfoProperty.class));
  }

  @Override
  public MetaResultSet getFunctions(ConnectionHandle ch, String catalog, Pat schemaPattern,
      Pat functionNamePattern) {
    return metadata(ch, MetaSupport.empty(MetaImpl.MetaFunction.class));
  }

  @Override
  public MetaResultSet getFunctionColumns(ConnectionHandle ch, String catalog, Pat schemaPattern,
      Pat functionNamePattern, Pat columnNamePattern) {
    return metadata(ch, MetaSupport.empty(MetaImpl.MetaFunctionColumn.class));
  }

  @Override
  public MetaResultSet getPseudoColumns(ConnectionHandle ch, String catalog, Pat schemaPattern,
      Pat tableNamePattern, Pat columnNamePattern) {
    return metadata(ch, MetaSupport.empty(MetaImpl.MetaPseudoColumn.class));
  }
}
