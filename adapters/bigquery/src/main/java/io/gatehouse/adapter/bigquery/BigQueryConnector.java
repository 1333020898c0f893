package io.gatehouse.adapter.bigquery;

import com.google.api.gax.retrying.RetrySettings;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.bigquery.DatasetId;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.FieldList;
import com.google.cloud.bigquery.ForeignKey;
import com.google.cloud.bigquery.StandardTableDefinition;
import com.google.cloud.bigquery.Table;
import com.google.cloud.bigquery.TableConstraints;
import com.google.cloud.bigquery.TableDefinition;
import com.google.cloud.bigquery.TableId;
import io.gatehouse.adapter.bigquery.jdbc.BigQueryConnection;
import io.gatehouse.adapter.bigquery.jdbc.BigQueryFailure;
import io.gatehouse.adapter.bigquery.jdbc.BigQuerySession;
import io.gatehouse.adapter.bigquery.jdbc.BigQueryValues;
import io.gatehouse.core.config.EngineConfig;
import io.gatehouse.core.config.SourceConfig;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import io.gatehouse.core.spi.ColumnInfo;
import io.gatehouse.core.spi.ColumnType;
import io.gatehouse.core.spi.ConstraintInfo;
import io.gatehouse.core.spi.JdbcSourceConnector;
import io.gatehouse.core.spi.SourceConnector;
import io.gatehouse.core.spi.TableInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.type.SqlTypeName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run-time side of one BigQuery source.
 *
 * <p>There is no JDBC driver: {@link #connection()} hands out connections of a small read-only
 * JDBC facade ({@link BigQueryConnection}) over the google-cloud-bigquery client, so the engine's
 * planning (Calcite's JDBC pushdown in the BigQuery dialect) and execution (bind, fetch size,
 * timeout, stream, cancel) work as for every other source. "Connecting" is logging in: the OAuth
 * token of the service account is fetched (or reused while valid) and a permit of
 * {@code pool.maxSize} concurrent queries is taken.
 */
final class BigQueryConnector implements SourceConnector {
  private static final Logger LOG = LoggerFactory.getLogger(BigQueryConnector.class);
  private static final String SCOPE = "https://www.googleapis.com/auth/bigquery";
  /** Table metadata is read with this many requests in flight (one per table). */
  private static final int CATALOG_THREADS = 8;

  private final SourceConfig source;
  private final EngineConfig engine;
  private final BigQuerySettings settings;
  private final Semaphore permits;
  private final AtomicInteger active = new AtomicInteger();
  private final Object lock = new Object();
  private volatile GoogleCredentials credentials;
  private volatile BigQuerySession session;
  private volatile boolean closed;
  private volatile List<ConstraintInfo> lastConstraints = List.of();

  BigQueryConnector(SourceConfig source, EngineConfig engine) {
    this.source = source;
    this.engine = engine;
    this.settings = (BigQuerySettings) source.settings();
    this.permits = new Semaphore(source.pool().maxSize(), true);
  }

  @Override
  public SourceConfig config() {
    return source;
  }

  @Override
  public SqlDialect dialect() {
    return BigQueryDialect.INSTANCE;
  }

  @Override
  public boolean schemasAreCatalogs() {
    return false;
  }

  /** Datasets are qualified with their project: {@code `my-proj-1`.sales.orders}. */
  @Override
  public String catalogQualifier() {
    return settings.project();
  }

  BigQuerySettings settings() {
    return settings;
  }

  // ---- connections ----

  @Override
  public Connection connection() throws SQLException {
    BigQuerySession s = session();
    boolean acquired;
    try {
      acquired = permits.tryAcquire(source.pool().connectionTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLTransientConnectionException("interrupted while waiting for a free connection");
    }
    if (!acquired) {
      throw new SQLTransientConnectionException("all " + source.pool().maxSize()
          + " connections of the source are busy");
    }
    active.incrementAndGet();
    boolean handedOut = false;
    try {
      // The login: a token exchange at first and when the token nears expiry, else nothing.
      credentials.refreshIfExpired();
      Connection c = new BigQueryConnection(s, source.schemas().get(0), this::release).proxy();
      handedOut = true;
      return c;
    } catch (IOException e) {
      throw BigQueryFailure.ofLogin(e);
    } finally {
      if (!handedOut) {
        release();
      }
    }
  }

  private void release() {
    active.decrementAndGet();
    permits.release();
  }

  private BigQuerySession session() {
    BigQuerySession s = session;
    if (s != null) {
      return s;
    }
    synchronized (lock) {
      if (closed) {
        throw new GatehouseException(ErrorCode.SOURCE_UNAVAILABLE,
            "source '" + id() + "' is closed (the engine is shutting down)");
      }
      if (session == null) {
        credentials = credentials();
        int connectMillis = (int) Math.min(Integer.MAX_VALUE, source.pool().connectionTimeout().toMillis());
        BigQueryOptions.Builder b = BigQueryOptions.newBuilder()
            .setProjectId(settings.project())
            .setCredentials(credentials)
            .setHost(settings.endpoint().toString())
            // Not setUseInt64Timestamps(true): client 2.59 then parses every TIMESTAMP as an
            // integer, but does not ask tabledata.list (our result pages) for integers, which sends
            // seconds as decimal text. Left off, that text is parsed exactly (BigDecimal), keeping
            // microseconds.
            .setTransportOptions(HttpTransportOptions.newBuilder()
                .setConnectTimeout(connectMillis)
                .setReadTimeout(60_000)
                .build())
            // A few quick retries of transient failures; a source that is down must fail within
            // seconds, not after the client's default of minutes.
            .setRetrySettings(RetrySettings.newBuilder()
                .setMaxAttempts(3)
                .setInitialRetryDelayDuration(Duration.ofMillis(200))
                .setRetryDelayMultiplier(2.0)
                .setMaxRetryDelayDuration(Duration.ofSeconds(2))
                .setTotalTimeoutDuration(Duration.ofSeconds(30))
                .build());
        if (settings.location() != null) {
          b.setLocation(settings.location());
        }
        session = new BigQuerySession(b.build().getService(), settings.project(), settings.location(),
            settings.maximumBytesBilled(), settings.jobTimeout(), settings.labels(),
            source.effectiveQueryTimeout(engine), engine.fetchSize());
      }
      return session;
    }
  }

  /** The service account's credentials, scoped for BigQuery; the key bytes are cleared after. */
  private GoogleCredentials credentials() {
    byte[] json = BigQuerySettings.KeyBytes.of(settings.serviceAccountKey());
    try {
      return ServiceAccountCredentials.fromStream(new ByteArrayInputStream(json))
          .createScoped(List.of(SCOPE));
    } catch (IOException e) {
      // Checked when the configuration was read; nothing of the key goes into the message.
      throw new GatehouseException(ErrorCode.CONFIG_INVALID, "source '" + id()
          + "': serviceAccountKey could not be read as a service-account key");
    } finally {
      Arrays.fill(json, (byte) 0);
    }
  }

  @Override
  public void configureStatement(Statement statement, Duration timeout, int fetchSize)
      throws SQLException {
    // The facade turns the timeout into the job's wait deadline and its jobTimeoutMs.
    JdbcSourceConnector.applyFetchSizeAndTimeout(statement, timeout, fetchSize);
  }

  // ---- catalog ----

  /**
   * Lists each dataset's tables (one paged request per dataset), then reads each table's metadata
   * (one request per table, {@value #CATALOG_THREADS} at a time): schema, kind, row count, size,
   * description, and the primary and foreign keys BigQuery records (not enforced by it). These are
   * API calls, not SQL: reading the catalog sends no query job and costs nothing.
   */
  @Override
  public List<TableInfo> readTables(Connection connection, List<String> schemas) throws SQLException {
    BigQuery client = connection.unwrap(BigQueryConnection.class).client();
    List<TableId> ids = new ArrayList<>();
    try {
      for (String dataset : schemas) {
        for (Table t : client.listTables(DatasetId.of(settings.project(), dataset),
            BigQuery.TableListOption.pageSize(1000)).iterateAll()) {
          TableDefinition.Type type = t.getDefinition() == null ? null : t.getDefinition().getType();
          if (type == null || type == TableDefinition.Type.MODEL) {
            continue; // models are not tables
          }
          ids.add(t.getTableId());
        }
      }
    } catch (BigQueryException e) {
      throw BigQueryFailure.of(e);
    }
    List<Table> tables = readEach(client, ids);
    List<TableInfo> out = new ArrayList<>();
    List<ConstraintInfo> constraints = new ArrayList<>();
    for (Table t : tables) {
      if (t == null) {
        continue; // dropped between the list and the read
      }
      TableDefinition def = t.getDefinition();
      String dataset = t.getTableId().getDataset();
      String name = t.getTableId().getTable();
      List<ColumnInfo> columns = new ArrayList<>();
      FieldList fields = def.getSchema() == null ? null : def.getSchema().getFields();
      if (fields != null) {
        for (int i = 0; i < fields.size(); i++) {
          Field f = fields.get(i);
          columns.add(new ColumnInfo(f.getName(), i + 1, BigQueryValues.typeName(f),
              f.getPrecision() == null ? (f.getMaxLength() == null ? -1 : f.getMaxLength().intValue())
                  : f.getPrecision().intValue(),
              f.getScale() == null ? -1 : f.getScale().intValue(),
              f.getMode() != Field.Mode.REQUIRED, f.getDefaultValueExpression(), f.getDescription()));
        }
      }
      boolean view = def.getType() == TableDefinition.Type.VIEW
          || def.getType() == TableDefinition.Type.MATERIALIZED_VIEW;
      double rows = -1;
      long bytes = -1;
      if (def instanceof StandardTableDefinition std) {
        rows = std.getNumRows() == null ? -1 : std.getNumRows();
        bytes = std.getNumBytes() == null ? -1 : std.getNumBytes();
      }
      out.add(new TableInfo(dataset, name, view ? TableInfo.Kind.VIEW : TableInfo.Kind.TABLE, rows,
          t.getDescription(), columns, bytes));
      keys(t, constraints);
    }
    lastConstraints = List.copyOf(constraints);
    return out;
  }

  private List<Table> readEach(BigQuery client, List<TableId> ids) throws SQLException {
    if (ids.isEmpty()) {
      return List.of();
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(CATALOG_THREADS, ids.size()), r -> {
      Thread t = new Thread(r, "gatehouse-" + id() + "-catalog");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Table>> futures = new ArrayList<>();
      for (TableId tid : ids) {
        futures.add(pool.submit(() -> client.getTable(tid)));
      }
      List<Table> out = new ArrayList<>();
      for (Future<Table> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof BigQueryException b) {
        throw BigQueryFailure.of(b);
      }
      throw new SQLException("reading table metadata failed", "58000", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while reading table metadata", "57014", e);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void keys(Table t, List<ConstraintInfo> out) {
    TableConstraints c = t.getTableConstraints();
    if (c == null) {
      return;
    }
    String dataset = t.getTableId().getDataset();
    String name = t.getTableId().getTable();
    if (c.getPrimaryKey() != null && c.getPrimaryKey().getColumns() != null
        && !c.getPrimaryKey().getColumns().isEmpty()) {
      out.add(new ConstraintInfo(dataset, name, name + "_pkey", ConstraintInfo.Kind.PRIMARY_KEY,
          c.getPrimaryKey().getColumns(), null, null, List.of()));
    }
    if (c.getForeignKeys() != null) {
      for (ForeignKey fk : c.getForeignKeys()) {
        List<String> from = new ArrayList<>();
        List<String> to = new ArrayList<>();
        fk.getColumnReferences().forEach(r -> {
          from.add(r.getReferencingColumn());
          to.add(r.getReferencedColumn());
        });
        out.add(new ConstraintInfo(dataset, name, fk.getName(), ConstraintInfo.Kind.FOREIGN_KEY,
            from, fk.getReferencedTable().getDataset(), fk.getReferencedTable().getTable(), to));
      }
    }
  }

  /** The keys found by the last {@link #readTables} (the same requests carry both). */
  @Override
  public List<ConstraintInfo> readConstraints(Connection connection, List<String> schemas) {
    return lastConstraints.stream().filter(k -> schemas.contains(k.schema())).toList();
  }

  /**
   * The first rows (BigQuery's TABLESAMPLE still bills a full scan of the sampled blocks' columns,
   * and LIMIT does not reduce the bytes billed either: the dry run keeps profiling under the cap).
   */
  @Override
  public String sampleSql(String schema, String table, List<String> columns, double rowEstimate,
      int rows) {
    SqlDialect d = dialect();
    String sql = SourceConnector.super.sampleSql(schema, table, columns, rowEstimate, rows);
    String from = " FROM " + d.quoteIdentifier(schema) + ".";
    return sql.replace(from, " FROM " + d.quoteIdentifier(settings.project()) + "."
        + d.quoteIdentifier(schema) + ".");
  }

  // ---- types ----

  /**
   * INT64 is BIGINT; FLOAT64 DOUBLE; NUMERIC DECIMAL(38, 9) (or as declared), BIGNUMERIC
   * DECIMAL(38, 10) unless declared narrower (the engine's decimals stop at 38 digits; values read
   * from BigQuery stay exact whatever their size); BOOL BOOLEAN; STRING VARCHAR; BYTES VARBINARY;
   * DATE DATE; DATETIME TIMESTAMP(6); TIME TIME(6); TIMESTAMP TIMESTAMP WITH LOCAL TIME ZONE(6);
   * GEOGRAPHY (WKT), JSON, STRUCT, ARRAY, INTERVAL and RANGE as VARCHAR text.
   */
  @Override
  public ColumnType mapType(ColumnInfo c) {
    String t = c.sourceType() == null ? "" : c.sourceType().toUpperCase(Locale.ROOT).trim();
    switch (t) {
      case "INT64":
      case "INTEGER":
        return ColumnType.of(SqlTypeName.BIGINT);
      case "FLOAT64":
      case "FLOAT":
        return ColumnType.of(SqlTypeName.DOUBLE);
      case "NUMERIC":
        return c.precision() > 0 ? ColumnType.of(SqlTypeName.DECIMAL, c.precision(), Math.max(0, c.scale()))
            : ColumnType.of(SqlTypeName.DECIMAL, 38, 9);
      case "BIGNUMERIC":
        return c.precision() > 0 && c.precision() <= 38
            ? ColumnType.of(SqlTypeName.DECIMAL, c.precision(), Math.max(0, c.scale()))
            : ColumnType.of(SqlTypeName.DECIMAL, 38, 10);
      case "BOOL":
      case "BOOLEAN":
        return ColumnType.of(SqlTypeName.BOOLEAN);
      case "STRING":
        return c.precision() > 0 ? ColumnType.of(SqlTypeName.VARCHAR, c.precision())
            : ColumnType.of(SqlTypeName.VARCHAR);
      case "BYTES":
        return ColumnType.of(SqlTypeName.VARBINARY);
      case "DATE":
        return ColumnType.of(SqlTypeName.DATE);
      case "DATETIME":
        return ColumnType.of(SqlTypeName.TIMESTAMP, 6);
      case "TIME":
        return ColumnType.of(SqlTypeName.TIME, 6);
      case "TIMESTAMP":
        return ColumnType.of(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, 6);
      default:
        // GEOGRAPHY (WKT text), JSON, STRUCT<...> and ARRAY<...> (JSON text), INTERVAL, RANGE
        return ColumnType.of(SqlTypeName.VARCHAR);
    }
  }

  // ---- errors ----

  @Override
  public GatehouseException translate(SQLException e) {
    ErrorCode code = e instanceof BigQueryFailure f ? f.code()
        : e instanceof SQLTransientConnectionException ? ErrorCode.RESOURCE_LIMIT
        : e instanceof java.sql.SQLTimeoutException || "57014".equals(e.getSQLState())
            ? ErrorCode.QUERY_TIMEOUT
        : ErrorCode.SOURCE_ERROR;
    if (LOG.isDebugEnabled()) {
      LOG.debug("source '{}' failed ({}{}): {}", id(), code,
          e instanceof BigQueryFailure f && f.reason() != null ? ", reason " + f.reason() : "",
          String.valueOf(e.getMessage()));
    }
    return new GatehouseException(code, describe(code, e));
  }

  private String describe(ErrorCode code, SQLException e) {
    String src = "source '" + id() + "'";
    switch (code) {
      case COST_LIMIT_EXCEEDED:
        if (e instanceof BigQueryFailure.CostLimit c) {
          return src + ": the query would process " + BigQuerySettings.describeBytes(c.estimate())
              + " (BigQuery's dry-run estimate), above maximumBytesBilled of "
              + BigQuerySettings.describeBytes(c.cap()) + "; nothing was run or billed. Filter on"
              + " partitioning or clustering columns, select fewer columns, or raise"
              + " maximumBytesBilled";
        }
        return src + ": BigQuery stopped the query at maximumBytesBilled ("
            + BigQuerySettings.describeBytes(settings.maximumBytesBilled()) + "); select fewer"
            + " columns or raise maximumBytesBilled";
      case SOURCE_AUTH_FAILED:
        return src + " refused the configured credentials; check serviceAccountKey (the key may"
            + " be deleted or disabled, or belong to another project)";
      case ACCESS_DENIED:
        return src + " denied access: the service account lacks a permission for this query (it"
            + " needs roles/bigquery.jobUser on project " + settings.project()
            + " and roles/bigquery.dataViewer on the datasets)";
      case SOURCE_UNAVAILABLE:
        return src + " is unavailable: BigQuery could not be reached or failed; retry later";
      case TLS_VERIFICATION_FAILED:
        return src + ": TLS verification of the BigQuery endpoint failed; check endpoint and the"
            + " JVM's trust store";
      case QUERY_TIMEOUT:
        return "the query exceeded its time limit at " + src + " and its job was cancelled";
      case QUERY_CANCELLED:
        return "the query was cancelled at " + src;
      case QUERY_REJECTED:
        return src + " runs only queries: Gatehouse sends BigQuery nothing but SELECT statements";
      case RESOURCE_LIMIT:
        return e instanceof SQLTransientConnectionException
            ? src + " has no free connection (all " + source.pool().maxSize()
                + " are busy); retry later or raise pool.maxSize"
            : src + " ran out of resources or quota for this query; retry later";
      case DATA_ERROR:
        return src + " could not compute a value of the result (a division by zero, an overflow"
            + " or an invalid conversion)";
      default:
        if (e instanceof BigQueryFailure f && "notFound".equals(f.reason())) {
          return src + ": a dataset or table the query reads was not found in project "
              + settings.project() + "; check datasets, or refresh metadata after changes";
        }
        return src + " could not run the query; it may not support a function or type used in"
            + " it (details are in the log at DEBUG)";
    }
  }

  @Override
  public PoolStats poolStats() {
    int busy = active.get();
    return session == null ? PoolStats.NONE
        : new PoolStats(busy, 0, busy, permits.getQueueLength());
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      session = null;
    }
  }
}
