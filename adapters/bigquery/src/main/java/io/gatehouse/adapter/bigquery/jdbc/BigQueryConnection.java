package io.gatehouse.adapter.bigquery.jdbc;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The facade's connection: a read-only {@link Connection} over one source's BigQuery client, so
 * that Gatehouse's execution (prepare, bind, fetch size, timeout, stream, cancel, close) and the
 * catalog reader work unchanged. It holds no socket: the client is shared and thread-safe; the
 * connection is a permit of the source's concurrency limit and the statements made on it.
 *
 * <p>Transactions do not exist for these reads: auto-commit is always on, commit and rollback do
 * nothing, and {@link #setReadOnly} cannot turn the read-only state off.
 */
public final class BigQueryConnection {
  private final BigQuerySession session;
  private final String probeDataset;
  private final Runnable onClose;
  private final Set<BigQueryStatement> open = Collections.synchronizedSet(
      Collections.newSetFromMap(new IdentityHashMap<>()));
  private volatile boolean closed;
  private Connection proxy;

  /**
   * @param probeDataset a dataset {@link #isValid} reads the metadata of
   * @param onClose returns the connection's permit
   */
  public BigQueryConnection(BigQuerySession session, String probeDataset, Runnable onClose) {
    this.session = session;
    this.probeDataset = probeDataset;
    this.onClose = onClose;
  }

  /** This connection as a {@link Connection}. */
  public synchronized Connection proxy() {
    if (proxy == null) {
      proxy = JdbcSubset.of(Connection.class, this);
    }
    return proxy;
  }

  public BigQuerySession session() {
    return session;
  }

  /** The client, for the catalog reader. */
  public BigQuery client() {
    return session.client();
  }

  public Statement createStatement() throws SQLException {
    return JdbcSubset.of(Statement.class, register(new BigQueryStatement(this, null)));
  }

  public Statement createStatement(int type, int concurrency) throws SQLException {
    checkResultSetKind(type, concurrency);
    return createStatement();
  }

  public PreparedStatement prepareStatement(String sql) throws SQLException {
    return JdbcSubset.of(PreparedStatement.class, register(new BigQueryStatement(this, sql)));
  }

  public PreparedStatement prepareStatement(String sql, int type, int concurrency)
      throws SQLException {
    checkResultSetKind(type, concurrency);
    return prepareStatement(sql);
  }

  private static void checkResultSetKind(int type, int concurrency) throws SQLException {
    if (type != ResultSet.TYPE_FORWARD_ONLY || concurrency != ResultSet.CONCUR_READ_ONLY) {
      throw new java.sql.SQLFeatureNotSupportedException(
          "BigQuery results are forward-only and read-only");
    }
  }

  private BigQueryStatement register(BigQueryStatement s) throws SQLException {
    checkOpen();
    open.add(s);
    return s;
  }

  void forget(BigQueryStatement s) {
    open.remove(s);
  }

  /** Reads one exposed dataset's metadata: the credentials work and BigQuery answers. */
  public boolean isValid(int timeoutSeconds) {
    if (closed) {
      return false;
    }
    try {
      session.client().getDataset(probeDataset);
      return true;
    } catch (BigQueryException e) {
      return false;
    }
  }

  void checkOpen() throws SQLException {
    if (closed) {
      throw new SQLException("the connection is closed", "08003");
    }
  }

  public boolean getAutoCommit() {
    return true;
  }

  public void setAutoCommit(boolean autoCommit) {
    // Nothing to commit: every statement is a read.
  }

  public void commit() {}

  public void rollback() {}

  public boolean isReadOnly() {
    return true;
  }

  /** Accepted, but the connection stays read-only. */
  public void setReadOnly(boolean readOnly) {}

  public int getTransactionIsolation() {
    return Connection.TRANSACTION_NONE;
  }

  public void setTransactionIsolation(int level) {}

  public String getCatalog() {
    return session.project();
  }

  public void setCatalog(String catalog) {}

  public String getSchema() {
    return null;
  }

  public String nativeSQL(String sql) {
    return sql;
  }

  public int getHoldability() {
    return ResultSet.CLOSE_CURSORS_AT_COMMIT;
  }

  public SQLWarning getWarnings() {
    return null;
  }

  public void clearWarnings() {}

  public boolean isClosed() {
    return closed;
  }

  /** Closes its statements (cancelling running jobs) and returns the permit. */
  public void close() throws SQLException {
    if (closed) {
      return;
    }
    closed = true;
    SQLException first = null;
    for (BigQueryStatement s : open.toArray(new BigQueryStatement[0])) {
      try {
        s.close();
      } catch (SQLException e) {
        first = first == null ? e : first;
      }
    }
    onClose.run();
    if (first != null) {
      throw first;
    }
  }

  public void abort(java.util.concurrent.Executor executor) throws SQLException {
    close();
  }
}
