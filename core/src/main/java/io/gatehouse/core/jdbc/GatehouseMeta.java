package io.gatehouse.core.jdbc;

import io.gatehouse.core.Column;
import io.gatehouse.core.PreparedQuery;
import io.gatehouse.core.QueryOptions;
import io.gatehouse.core.QueryResult;
import io.gatehouse.core.Session;
import io.gatehouse.core.TableDescription;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import io.gatehouse.core.exec.Failures;
import io.gatehouse.core.spi.ColumnInfo;
import io.gatehouse.core.spi.TableInfo;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.AvaticaUtils;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.MetaImpl;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.remote.TypedValue;
import org.apache.calcite.avatica.AvaticaClientRuntimeException;

/**
 * The JDBC protocol of one Gatehouse connection, for Avatica: statements, prepared statements,
 * result frames and metadata, all served by one {@link Session}. Avatica provides the JDBC objects
 * (in process) and the wire protocol (in the server); this class is the only place that knows both
 * JDBC and Gatehouse.
 *
 * <p>Metadata presents each source as a JDBC catalog and its schemas as schemas, the way Trino shows
 * catalogs, so BI tools draw source, schema, table. Only the session's sources are listed. A source
 * whose catalog cannot be read right now is left out of listings (and logged) rather than failing
 * the whole listing.
 *
 * <p>Every failure leaves as an {@link AvaticaClientRuntimeException} carrying the Gatehouse code,
 * its SQLState and a vendor code, so JDBC clients see {@code SQLException.getSQLState()}.
 */
public final class GatehouseMeta extends MetaImpl {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GatehouseMeta.class);

  private final Session session;
  private final Runnable onClose;
  private final Map<Integer, StatementState> statements = new ConcurrentHashMap<>();
  private final AtomicInteger nextId = new AtomicInteger();

  /** What a statement handle has: its prepared query (if any) and its open result. */
  private static final class StatementState {
    PreparedQuery prepared;
    Signature signature;
    QueryOptions options = QueryOptions.defaults();
    QueryResult result;
    QueryResult last;
    long offset;

    void closeResult() {
      if (result != null) {
        result.close();
        last = result;
        result = null;
      }
      offset = 0;
    }
  }

  public GatehouseMeta(AvaticaConnection connection, Session session, Runnable onClose) {
    super(connection);
    this.session = session;
    this.onClose = onClose;
    this.connProps.setAutoCommit(true);
    this.connProps.setReadOnly(true);
    this.connProps.setTransactionIsolation(java.sql.Connection.TRANSACTION_READ_COMMITTED);
    List<String> schema = session.defaultSchema();
    if (!schema.isEmpty()) {
      this.connProps.setSchema(String.join(".", schema));
    }
  }

  public Session session() {
    return session;
  }

  // ---- connection ----

  @Override
  public ConnectionProperties connectionSync(ConnectionHandle ch, ConnectionProperties props) {
    if (props.getSchema() != null) {
      run(() -> session.setDefaultSchema(props.getSchema()));
      List<String> s = session.defaultSchema();
      props.setSchema(s.isEmpty() ? null : String.join(".", s));
    }
    if (Boolean.FALSE.equals(props.isReadOnly())) {
      // Gatehouse only reads; accept the call (tools issue it) but stay read-only.
      props.setReadOnly(true);
    }
    return super.connectionSync(ch, props);
  }

  @Override
  public void closeConnection(ConnectionHandle ch) {
    statements.values().forEach(StatementState::closeResult);
    statements.clear();
    super.closeConnection(ch);
    onClose.run();
  }

  @Override
  public void commit(ConnectionHandle ch) {
    // Nothing to commit: every read runs in its own read-only transaction at the source.
  }

  @Override
  public void rollback(ConnectionHandle ch) {
    // Nothing to roll back, for the same reason.
  }

  // ---- statements ----

  @Override
  public StatementHandle createStatement(ConnectionHandle ch) {
    int id = nextId.incrementAndGet();
    statements.put(id, new StatementState());
    return new StatementHandle(ch.id, id, null);
  }

  @Override
  public void closeStatement(StatementHandle h) {
    StatementState s = statements.remove(h.id);
    if (s != null) {
      s.closeResult();
    }
  }

  private StatementState state(StatementHandle h) throws NoSuchStatementException {
    StatementState s = statements.get(h.id);
    if (s == null) {
      throw new NoSuchStatementException(h);
    }
    return s;
  }

  /**
   * The limits a JDBC statement asks for when it runs: {@code setMaxRows}, {@code setQueryTimeout}
   * (Avatica keeps it in the statement and never tells the Meta), and {@code cancel()}, which only
   * raises a flag that the query watches.
   */
  private QueryOptions runOptions(StatementHandle h, QueryOptions prepared) {
    QueryOptions o = prepared;
    if (connection instanceof GatehouseJdbcFactory.Connection c) {
      org.apache.calcite.avatica.AvaticaStatement st = c.statementOf(h);
      if (st != null) {
        try {
          if (st.getMaxRows() > 0 && (o.maxRows() == null || st.getMaxRows() < o.maxRows())) {
            o = o.withMaxRows(st.getMaxRows());
          }
          if (st.getQueryTimeout() > 0) {
            o = o.withTimeout(java.time.Duration.ofSeconds(st.getQueryTimeout()));
          }
        } catch (java.sql.SQLException e) {
          // a closed statement: run with what was prepared
        }
      }
    }
    try {
      o = o.withCancelSignal(connection.getCancelFlag(h));
    } catch (NoSuchStatementException e) {
      // no JDBC statement behind the handle (server side): nothing to watch
    }
    return o;
  }

  @Override
  public StatementHandle prepare(ConnectionHandle ch, String sql, long maxRowCount) {
    StatementHandle h = createStatement(ch);
    StatementState s = statements.get(h.id);
    s.options = MetaSupport.options(maxRowCount);
    s.prepared = call(() -> session.prepare(sql, s.options));
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
    StatementState s = state(h);
    s.closeResult();
    s.options = MetaSupport.options(maxRowCount);
    s.prepared = call(() -> session.prepare(sql, s.options));
    s.signature = MetaSupport.signature(s.prepared, sql);
    QueryOptions run = runOptions(h, s.options);
    s.result = call(() -> s.prepared.execute(List.of(), run));
    try {
      synchronized (callback.getMonitor()) {
        callback.clear();
        callback.assign(s.signature, null, -1);
      }
      callback.execute();
    } catch (java.sql.SQLException e) {
      throw new RuntimeException(e);
    }
    return new ExecuteResult(List.of(MetaResultSet.create(h.connectionId, h.id, false, s.signature,
        null)));
  }

  @Override
  @SuppressWarnings("deprecation")
  public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues, long maxRowCount)
      throws NoSuchStatementException {
    return execute(h, parameterValues, AvaticaUtils.toSaturatedInt(maxRowCount));
  }

  @Override
  public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues,
      int maxRowsInFirstFrame) throws NoSuchStatementException {
    StatementState s = state(h);
    if (s.prepared == null) {
      throw error(new GatehouseException(ErrorCode.INVALID_PARAMETER,
          "the statement was not prepared"));
    }
    s.closeResult();
    List<Object> values = new ArrayList<>();
    Calendar calendar = Calendar.getInstance(connectionZone());
    if (parameterValues != null) {
      for (TypedValue tv : parameterValues) {
        values.add(tv == null ? null : tv.toJdbc(calendar));
      }
    }
    QueryOptions run = runOptions(h, s.options);
    s.result = call(() -> s.prepared.execute(values, run));
    return new ExecuteResult(List.of(MetaResultSet.create(h.connectionId, h.id, false, s.signature,
        null)));
  }

  @Override
  public ExecuteBatchResult prepareAndExecuteBatch(StatementHandle h, List<String> sqlCommands) {
    throw error(new GatehouseException(ErrorCode.QUERY_REJECTED,
        "batches are for writes, and Gatehouse accepts only read queries"));
  }

  @Override
  public ExecuteBatchResult executeBatch(StatementHandle h, List<List<TypedValue>> parameterValues) {
    throw error(new GatehouseException(ErrorCode.QUERY_REJECTED,
        "batches are for writes, and Gatehouse accepts only read queries"));
  }

  @Override
  public boolean syncResults(StatementHandle sh, QueryState state, long offset) {
    return false;
  }

  /** The row cap when the statement's latest result was cut by it, else 0. */
  long truncatedAt(StatementHandle h) {
    StatementState s = statements.get(h.id);
    if (s == null) {
      return 0;
    }
    QueryResult r = s.result != null ? s.result : s.last;
    return r != null && r.truncated() ? r.rowCap() : 0;
  }

  /** In process: the result set reads the statement's running query directly, row by row. */
  @Override
  public Iterable<Object> createIterable(StatementHandle h, QueryState state, Signature signature,
      List<TypedValue> parameterValues, Frame firstFrame) {
    if (firstFrame != null && firstFrame.done) {
      return firstFrame.rows;
    }
    StatementState s = statements.get(h.id);
    if (s == null || s.result == null) {
      return List.of();
    }
    QueryResult result = s.result;
    List<Column> columns = s.prepared.columns();
    TimeZone zone = connectionZone();
    return () -> new Rows(result, columns, zone);
  }

  /**
   * The rows of one result for an in-process result set. Avatica closes it when the result set is
   * closed, which ends the query at the source and returns its connection to the pool at once, not
   * only when the statement is closed or runs again.
   */
  private static final class Rows implements Iterator<Object>, AutoCloseable {
    private final QueryResult result;
    private final List<Column> columns;
    private final TimeZone zone;
    private Object[] next;
    private boolean done;

    Rows(QueryResult result, List<Column> columns, TimeZone zone) {
      this.result = result;
      this.columns = columns;
      this.zone = zone;
    }

    @Override
    public boolean hasNext() {
      if (next == null && !done) {
        if (call(result::next)) {
          next = MetaSupport.frameRow(result, columns, zone, true);
        } else {
          done = true;
        }
      }
      return next != null;
    }

    @Override
    public Object next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Object[] r = next;
      next = null;
      return r;
    }

    @Override
    public void close() {
      done = true;
      next = null;
      result.close();
    }
  }

  /** Over the wire: the next rows of the statement's running query. */
  @Override
  public Frame fetch(StatementHandle h, long offset, int fetchMaxRowCount)
      throws NoSuchStatementException {
    StatementState s = state(h);
    if (s.result == null) {
      return Frame.EMPTY;
    }
    Frame f = MetaSupport.nextFrame(s.result, s.prepared.columns(), connectionZone(), s.offset,
        fetchMaxRowCount <= 0 ? 100 : fetchMaxRowCount);
    s.offset += ((List<?>) f.rows).size();
    if (f.done) {
      s.closeResult();
    }
    return f;
  }

  private TimeZone connectionZone() {
    String tz = connection.config().timeZone();
    return tz == null ? TimeZone.getDefault() : TimeZone.getTimeZone(tz);
  }

  // ---- metadata ----

  @Override
  public Map<DatabaseProperty, Object> getDatabaseProperties(ConnectionHandle ch) {
    return Map.of(
        DatabaseProperty.GET_DRIVER_NAME, "Gatehouse JDBC Driver",
        DatabaseProperty.GET_DRIVER_VERSION, GatehouseDriver.VERSION,
        DatabaseProperty.GET_DATABASE_PRODUCT_NAME, "Gatehouse",
        DatabaseProperty.GET_DATABASE_PRODUCT_VERSION, GatehouseDriver.VERSION,
        DatabaseProperty.GET_DEFAULT_TRANSACTION_ISOLATION, java.sql.Connection.TRANSACTION_READ_COMMITTED);
  }

  @Override
  public MetaResultSet getCatalogs(ConnectionHandle ch) {
    return result(MetaSupport.catalogs(session));
  }

  @Override
  public MetaResultSet getSchemas(ConnectionHandle ch, String catalog, Pat schemaPattern) {
    return result(MetaSupport.schemas(session, catalog, schemaPattern));
  }

  @Override
  public MetaResultSet getTableTypes(ConnectionHandle ch) {
    return result(MetaSupport.tableTypes());
  }

  @Override
  public MetaResultSet getTables(ConnectionHandle ch, String catalog, Pat schemaPattern,
      Pat tableNamePattern, List<String> typeList) {
    return result(MetaSupport.tables(session, catalog, schemaPattern, tableNamePattern, typeList));
  }

  @Override
  public MetaResultSet getPrimaryKeys(ConnectionHandle ch, String catalog, String schema,
      String table) {
    return result(MetaSupport.primaryKeys(session, catalog, schema, table));
  }

  @Override
  public MetaResultSet getImportedKeys(ConnectionHandle ch, String catalog, String schema,
      String table) {
    return result(MetaSupport.foreignKeys(session, catalog, schema, table, false));
  }

  @Override
  public MetaResultSet getExportedKeys(ConnectionHandle ch, String catalog, String schema,
      String table) {
    return result(MetaSupport.foreignKeys(session, catalog, schema, table, true));
  }

  @Override
  public MetaResultSet getColumns(ConnectionHandle ch, String catalog, Pat schemaPattern,
      Pat tableNamePattern, Pat columnNamePattern) {
    return result(MetaSupport.columns(session, catalog, schemaPattern, tableNamePattern,
        columnNamePattern));
  }

  /** A metadata result set with all its rows in the first frame. */
  private MetaResultSet result(MetaSupport.MetaRows rows) {
    return createResultSet(Map.of(), rows.columns(), CursorFactory.ARRAY,
        new Frame(0, true, rows.rows()));
  }

  // ---- errors ----

  private static <T> T call(java.util.function.Supplier<T> c) {
    return MetaSupport.call(c);
  }

  private static void run(Runnable r) {
    MetaSupport.call(() -> {
      r.run();
      return null;
    });
  }

  private static AvaticaClientRuntimeException error(GatehouseException e) {
    return MetaSupport.clientError(e);
  }
}
