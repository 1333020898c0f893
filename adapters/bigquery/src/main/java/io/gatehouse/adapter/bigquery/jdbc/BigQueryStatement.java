package io.gatehouse.adapter.bigquery.jdbc;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.Job;
import com.google.cloud.bigquery.JobId;
import com.google.cloud.bigquery.JobInfo;
import com.google.cloud.bigquery.JobStatistics.QueryStatistics;
import com.google.cloud.bigquery.JobStatus;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.QueryParameterValue;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.TableId;
import io.gatehouse.core.error.ErrorCode;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLWarning;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A statement of the facade: a plain {@link java.sql.Statement} ({@code executeQuery(sql)}) or a
 * {@link PreparedStatement} with positional {@code ?} parameters, which BigQuery accepts as they
 * are in GoogleSQL.
 *
 * <p>Every query is run in three steps:
 * <ol>
 *   <li>a <b>dry run</b> (free): BigQuery parses and plans the SQL and reports its statement type
 *       and the bytes it would process. Anything but a SELECT is refused (the read-only wall:
 *       BigQuery has no read-only session), and an estimate above {@code maximumBytesBilled} is
 *       refused with COST_LIMIT_EXCEEDED before anything is billed;</li>
 *   <li>the <b>job</b>, carrying {@code maximumBytesBilled} (BigQuery's own second wall, should
 *       the estimate have been low), {@code jobTimeoutMs} and the labels;</li>
 *   <li>the <b>results</b>, read from the job's result table page by page ({@code pageSize} = the
 *       fetch size), one page ahead of the reader, never all at once.</li>
 * </ol>
 * The wait for the job observes the statement's timeout: past it the job is cancelled at BigQuery
 * and the call fails with a timeout. {@link #cancel()} cancels the job from another thread.
 */
public final class BigQueryStatement {
  private final BigQueryConnection connection;
  private final String preparedSql;
  private final List<QueryParameterValue> parameters = new ArrayList<>();
  private int fetchSize;
  private int queryTimeoutSeconds;
  private long maxRows;
  private volatile boolean closed;
  private volatile boolean cancelled;
  private volatile JobId running;
  private ResultSet current;

  BigQueryStatement(BigQueryConnection connection, String preparedSql) {
    this.connection = connection;
    this.preparedSql = preparedSql;
  }

  // ---- execution ----

  public ResultSet executeQuery() throws SQLException {
    if (preparedSql == null) {
      throw new SQLException("no SQL: use executeQuery(String)", "HY000");
    }
    return run(preparedSql, snapshotParameters());
  }

  public ResultSet executeQuery(String sql) throws SQLException {
    if (preparedSql != null) {
      throw new SQLException("a prepared statement runs its own SQL", "HY000");
    }
    return run(sql, List.of());
  }

  public boolean execute() throws SQLException {
    executeQuery();
    return true;
  }

  public boolean execute(String sql) throws SQLException {
    executeQuery(sql);
    return true;
  }

  public int executeUpdate() throws SQLException {
    throw readOnly();
  }

  public int executeUpdate(String sql) throws SQLException {
    throw readOnly();
  }

  public long executeLargeUpdate(String sql) throws SQLException {
    throw readOnly();
  }

  public void addBatch(String sql) throws SQLException {
    throw readOnly();
  }

  public int[] executeBatch() throws SQLException {
    throw readOnly();
  }

  private static SQLException readOnly() {
    return new BigQueryFailure("the BigQuery facade only runs queries", ErrorCode.QUERY_REJECTED,
        null, null);
  }

  private synchronized ResultSet run(String sql, List<QueryParameterValue> params) throws SQLException {
    checkOpen();
    closeCurrent();
    cancelled = false;
    BigQuerySession s = connection.session();
    BigQuery client = s.client();
    Duration timeout = queryTimeoutSeconds > 0 ? Duration.ofSeconds(queryTimeoutSeconds)
        : s.sessionTimeout();
    long deadline = System.nanoTime() + timeout.toNanos();

    QueryJobConfiguration.Builder config = QueryJobConfiguration.newBuilder(sql)
        .setUseLegacySql(false)
        .setLabels(s.labels());
    if (!params.isEmpty()) {
      config.setPositionalParameters(params);
    }
    try {
      // 1. The dry run: statement type and cost, before anything is billed.
      Job dry = client.create(JobInfo.of(jobId(s, null), config.setDryRun(true).build()));
      QueryStatistics stats = dry.getStatistics();
      if (stats == null || stats.getStatementType() == null
          || !QueryStatistics.StatementType.SELECT.equals(stats.getStatementType())) {
        throw new BigQueryFailure("BigQuery reports statement type "
            + (stats == null ? null : stats.getStatementType()) + ": only SELECT runs",
            ErrorCode.QUERY_REJECTED, null, null);
      }
      Long estimate = stats.getTotalBytesProcessed();
      if (estimate != null && estimate > s.maximumBytesBilled()) {
        throw new BigQueryFailure.CostLimit(estimate, s.maximumBytesBilled());
      }
      checkNotCancelled();

      // 2. The job, with BigQuery's own walls.
      long jobTimeout = Math.max(1, timeout.toMillis());
      if (s.jobTimeout() != null) {
        jobTimeout = Math.min(jobTimeout, s.jobTimeout().toMillis());
      }
      JobId id = jobId(s, "gatehouse_" + UUID.randomUUID().toString().replace("-", ""));
      running = id;
      Job job = client.create(JobInfo.of(id, config.setDryRun(false)
          .setMaximumBytesBilled(s.maximumBytesBilled())
          .setJobTimeoutMs(jobTimeout)
          .build()));

      // 3. Wait, within the statement's time.
      job = await(client, id, job, deadline, timeout);
      JobStatus status = job.getStatus();
      if (status.getError() != null) {
        throw BigQueryFailure.of(status.getError());
      }
      QueryStatistics done = job.getStatistics();
      Schema schema = done.getSchema();
      TableId results = ((QueryJobConfiguration) job.getConfiguration()).getDestinationTable();
      if (schema == null || results == null) {
        throw new BigQueryFailure("the finished job names no result table or schema",
            ErrorCode.SOURCE_ERROR, null, null);
      }
      int pageSize = fetchSize > 0 ? fetchSize : s.fetchSize();
      current = JdbcSubset.of(ResultSet.class,
          new BigQueryResultSet(this, client, results, schema, pageSize, maxRows));
      return current;
    } catch (BigQueryException e) {
      if (cancelled) {
        throw cancelledFailure();
      }
      throw BigQueryFailure.of(e);
    } finally {
      running = null;
    }
  }

  private static JobId jobId(BigQuerySession s, String job) {
    JobId.Builder b = JobId.newBuilder().setProject(s.project());
    if (s.location() != null) {
      b.setLocation(s.location());
    }
    if (job != null) {
      b.setJob(job);
    }
    return b.build();
  }

  /** Polls the job until it is done, the deadline passes (cancel it, time out) or we are cancelled. */
  private Job await(BigQuery client, JobId id, Job job, long deadline, Duration timeout)
      throws SQLException {
    long pause = 20;
    while (job == null || job.getStatus() == null
        || job.getStatus().getState() != JobStatus.State.DONE) {
      if (cancelled) {
        client.cancel(id);
        throw cancelledFailure();
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        client.cancel(id);
        throw new SQLTimeoutException("the BigQuery job ran past its timeout of " + timeout
            + " and was cancelled", "57014");
      }
      try {
        Thread.sleep(Math.min(pause, Math.max(1, left / 1_000_000L)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        client.cancel(id);
        throw new BigQueryFailure("interrupted", ErrorCode.QUERY_CANCELLED, null, e);
      }
      pause = Math.min(500, pause * 2);
      job = client.getJob(id);
      if (job == null) {
        throw new BigQueryFailure("the job disappeared", ErrorCode.SOURCE_ERROR, null, null);
      }
    }
    return job;
  }

  private void checkNotCancelled() throws SQLException {
    if (cancelled) {
      throw cancelledFailure();
    }
  }

  private static BigQueryFailure cancelledFailure() {
    return new BigQueryFailure("cancelled", ErrorCode.QUERY_CANCELLED, "stopped", null);
  }

  /** Cancels the running job at BigQuery (from any thread). */
  public void cancel() throws SQLException {
    cancelled = true;
    JobId id = running;
    if (id != null) {
      try {
        connection.session().client().cancel(id);
      } catch (BigQueryException e) {
        throw BigQueryFailure.of(e);
      }
    }
  }

  boolean isCancelled() {
    return cancelled;
  }

  // ---- parameters ----

  private List<QueryParameterValue> snapshotParameters() throws SQLException {
    for (int i = 0; i < parameters.size(); i++) {
      if (parameters.get(i) == null) {
        throw new SQLException("parameter " + (i + 1) + " is not set", "07001");
      }
    }
    return List.copyOf(parameters);
  }

  private void set(int index, QueryParameterValue v) throws SQLException {
    if (index < 1) {
      throw new SQLException("parameter index " + index + " is out of range", "22023");
    }
    while (parameters.size() < index) {
      parameters.add(null);
    }
    parameters.set(index - 1, v);
  }

  public void setObject(int index, Object value) throws SQLException {
    set(index, BigQueryValues.parameter(value));
  }

  public void setObject(int index, Object value, int sqlType) throws SQLException {
    set(index, value == null ? BigQueryValues.nullParameter(sqlType) : BigQueryValues.parameter(value));
  }

  public void setNull(int index, int sqlType) throws SQLException {
    set(index, BigQueryValues.nullParameter(sqlType));
  }

  public void setString(int index, String v) throws SQLException {
    setObject(index, v, java.sql.Types.VARCHAR);
  }

  public void setLong(int index, long v) throws SQLException {
    setObject(index, v);
  }

  public void setInt(int index, int v) throws SQLException {
    setObject(index, v);
  }

  public void setBoolean(int index, boolean v) throws SQLException {
    setObject(index, v);
  }

  public void setDouble(int index, double v) throws SQLException {
    setObject(index, v);
  }

  public void setBigDecimal(int index, BigDecimal v) throws SQLException {
    setObject(index, v, java.sql.Types.DECIMAL);
  }

  public void setBytes(int index, byte[] v) throws SQLException {
    setObject(index, v, java.sql.Types.VARBINARY);
  }

  public void clearParameters() {
    parameters.clear();
  }

  // ---- settings ----

  public void setFetchSize(int rows) throws SQLException {
    if (rows < 0) {
      throw new SQLException("fetch size must not be negative", "22023");
    }
    fetchSize = rows;
  }

  public int getFetchSize() {
    return fetchSize > 0 ? fetchSize : connection.session().fetchSize();
  }

  public void setQueryTimeout(int seconds) throws SQLException {
    if (seconds < 0) {
      throw new SQLException("query timeout must not be negative", "22023");
    }
    queryTimeoutSeconds = seconds;
  }

  public int getQueryTimeout() {
    return queryTimeoutSeconds;
  }

  public void setMaxRows(int rows) throws SQLException {
    setLargeMaxRows(rows);
  }

  public void setLargeMaxRows(long rows) throws SQLException {
    if (rows < 0) {
      throw new SQLException("max rows must not be negative", "22023");
    }
    maxRows = rows;
  }

  public int getMaxRows() {
    return (int) Math.min(Integer.MAX_VALUE, maxRows);
  }

  public void setEscapeProcessing(boolean enable) {
    // GoogleSQL has no JDBC escapes to process; the SQL is sent as written.
  }

  public ResultSet getResultSet() {
    return current;
  }

  public int getUpdateCount() {
    return -1;
  }

  public boolean getMoreResults() throws SQLException {
    closeCurrent();
    return false;
  }

  public SQLWarning getWarnings() {
    return null;
  }

  public void clearWarnings() {}

  public Connection getConnection() {
    return connection.proxy();
  }

  public int getResultSetType() {
    return ResultSet.TYPE_FORWARD_ONLY;
  }

  public int getResultSetConcurrency() {
    return ResultSet.CONCUR_READ_ONLY;
  }

  // ---- life cycle ----

  private void checkOpen() throws SQLException {
    if (closed) {
      throw new SQLException("the statement is closed", "HY010");
    }
    connection.checkOpen();
  }

  private void closeCurrent() throws SQLException {
    if (current != null) {
      current.close();
      current = null;
    }
  }

  public boolean isClosed() {
    return closed;
  }

  public void close() throws SQLException {
    if (closed) {
      return;
    }
    closed = true;
    if (running != null) {
      cancel();
    }
    closeCurrent();
    connection.forget(this);
  }

  BigQueryConnection connectionImpl() {
    return connection;
  }
}
