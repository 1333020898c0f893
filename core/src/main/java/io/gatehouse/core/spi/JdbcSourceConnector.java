package io.gatehouse.core.spi;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.gatehouse.core.config.EngineConfig;
import io.gatehouse.core.config.PoolConfig;
import io.gatehouse.core.config.SourceConfig;
import io.gatehouse.core.config.TlsMode;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLException;
import java.security.cert.CertificateException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Base of adapters that reach their source through a JDBC driver: a HikariCP pool created on first
 * use, read-only sessions, statement timeouts, fetch sizes, and the classification of driver errors
 * into codes. Subclasses say how to connect ({@link #configurePool}), read the catalog and map types.
 */
public abstract class JdbcSourceConnector implements SourceConnector {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcSourceConnector.class);

  protected final SourceConfig source;
  protected final EngineConfig engine;
  private final Object lock = new Object();
  private volatile HikariDataSource pool;
  private volatile boolean closed;

  protected JdbcSourceConnector(SourceConfig source, EngineConfig engine) {
    this.source = source;
    this.engine = engine;
    // Said when the engine opens (it makes one connector per source), not at the first query.
    io.gatehouse.core.config.NetworkSourceSettings n = networkSettings();
    if (n != null && n.tls() == TlsMode.DISABLE) {
      LOG.warn("source '{}': TLS is disabled (tls: disable); credentials and data travel in "
          + "plain text", source.id());
    }
  }

  @Override
  public SourceConfig config() {
    return source;
  }

  /**
   * The host, credentials and TLS mode of a network source, for the TLS warning and for scrubbing
   * the password from log text; null for sources without them. The default finds them when they are
   * the source's whole settings; an adapter whose settings hold them among its own keys overrides
   * this. Called from the constructor: an override may only read {@link #source}.
   */
  protected io.gatehouse.core.config.NetworkSourceSettings networkSettings() {
    return source.settings() instanceof io.gatehouse.core.config.NetworkSourceSettings n ? n : null;
  }

  /** The statement timeout sessions of this source carry. */
  protected Duration sessionTimeout() {
    return source.effectiveQueryTimeout(engine);
  }

  /**
   * Sets how the pool connects: JDBC URL or data source, credentials, driver properties for TLS, the
   * read-only session and the statement timeout. Called once, when the pool is created.
   */
  protected abstract void configurePool(HikariConfig config);

  @Override
  public Connection connection() throws SQLException {
    return pool().getConnection();
  }

  private HikariDataSource pool() {
    HikariDataSource p = pool;
    if (p != null) {
      return p;
    }
    synchronized (lock) {
      if (closed) {
        throw new GatehouseException(ErrorCode.SOURCE_UNAVAILABLE,
            "source '" + id() + "' is closed (the engine is shutting down)");
      }
      if (pool == null) {
        HikariConfig hc = new HikariConfig();
        PoolConfig pc = source.pool();
        hc.setPoolName("gatehouse-" + id());
        hc.setMaximumPoolSize(pc.maxSize());
        hc.setMinimumIdle(pc.minIdle());
        hc.setConnectionTimeout(pc.connectionTimeout().toMillis());
        hc.setIdleTimeout(pc.idleTimeout().toMillis());
        hc.setMaxLifetime(pc.maxLifetime().toMillis());
        // Reads run in a read-only transaction that the pool rolls back on return; autocommit off is
        // also what makes the PostgreSQL driver stream through a cursor instead of buffering.
        hc.setAutoCommit(false);
        hc.setReadOnly(true);
        // Do not connect now: a source that is down at startup must not stop the engine.
        hc.setInitializationFailTimeout(-1);
        configurePool(hc);
        pool = new HikariDataSource(hc);
      }
      return pool;
    }
  }

  @Override
  public void configureStatement(Statement statement, Duration timeout, int fetchSize)
      throws SQLException {
    applyFetchSizeAndTimeout(statement, timeout, fetchSize);
  }

  /**
   * Sets the fetch size and a query timeout of whole seconds no shorter than {@code timeout} (JDBC
   * counts in seconds; 0 would mean none). For connectors that are not JDBC pools but hand out
   * JDBC statements too.
   */
  public static void applyFetchSizeAndTimeout(Statement statement, Duration timeout, int fetchSize)
      throws SQLException {
    statement.setFetchSize(fetchSize);
    long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
    statement.setQueryTimeout((int) Math.min(Integer.MAX_VALUE, seconds));
  }

  @Override
  public GatehouseException translate(SQLException e) {
    ErrorCode code = classify(e);
    if (LOG.isDebugEnabled()) {
      LOG.debug("source '{}' failed with SQLState {} ({}): {}", id(), e.getSQLState(), code,
          scrub(String.valueOf(e.getMessage())));
    }
    return new GatehouseException(code, describe(code, e));
  }

  /**
   * The code for a driver failure. The generic rules use SQLState classes (28 auth, 08 connection,
   * 57014 cancelled, 25006 read-only violation, 53 resources) and the exception chain (TLS failures,
   * pool timeouts); adapters add vendor codes.
   */
  protected ErrorCode classify(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLException || t instanceof CertificateException) {
        return ErrorCode.TLS_VERIFICATION_FAILED;
      }
    }
    String state = sqlStateOf(e);
    if (state != null) {
      if (state.startsWith("28")) {
        return ErrorCode.SOURCE_AUTH_FAILED;
      }
      if (state.startsWith("08")) {
        return ErrorCode.SOURCE_UNAVAILABLE;
      }
      if (state.equals("57014") || state.equals("HYT00") || state.equals("HYT01")) {
        return ErrorCode.QUERY_TIMEOUT;
      }
      if (state.equals("25006")) {
        return ErrorCode.QUERY_REJECTED;
      }
      if (state.startsWith("53")) {
        return ErrorCode.RESOURCE_LIMIT;
      }
      if (state.startsWith("22")) {
        return ErrorCode.DATA_ERROR; // division by zero, numeric overflow, invalid cast of a value
      }
      if (state.startsWith("57P")) {
        return ErrorCode.SOURCE_UNAVAILABLE; // admin shutdown, crash shutdown, cannot connect now
      }
    }
    if (e instanceof SQLTransientConnectionException) {
      // HikariCP's "connection is not available" without an underlying driver failure: the pool is busy.
      return e.getCause() == null ? ErrorCode.RESOURCE_LIMIT : ErrorCode.SOURCE_UNAVAILABLE;
    }
    if (e instanceof java.sql.SQLTimeoutException) {
      return ErrorCode.QUERY_TIMEOUT;
    }
    if (e instanceof java.sql.SQLNonTransientConnectionException
        || e instanceof java.sql.SQLRecoverableException) {
      return ErrorCode.SOURCE_UNAVAILABLE;
    }
    return ErrorCode.SOURCE_ERROR;
  }

  /** The first SQLState in the chain of causes and next-exceptions. */
  protected static String sqlStateOf(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && s.getSQLState() != null && !s.getSQLState().isEmpty()) {
        return s.getSQLState();
      }
    }
    return null;
  }

  /** A message that names the source and the remedy, and nothing the driver said. */
  protected String describe(ErrorCode code, SQLException e) {
    String src = "source '" + id() + "'";
    switch (code) {
      case SOURCE_AUTH_FAILED:
        return src + " refused the configured credentials; check the user and password configured for it";
      case SOURCE_UNAVAILABLE:
        return src + " is unavailable: the connection could not be made or was lost; check that the"
            + " server is running and reachable";
      case TLS_VERIFICATION_FAILED:
        return src + ": TLS verification failed; check caFile and that the host name matches the"
            + " server's certificate (or set tls to a weaker mode on purpose)";
      case QUERY_TIMEOUT:
        return "the query exceeded its time limit at " + src + " and was cancelled";
      case QUERY_REJECTED:
        return src + " refused to write: Gatehouse sessions are read-only";
      case DATA_ERROR:
        return src + " could not compute a value of the result (SQLState " + sqlStateOf(e)
            + ": a division by zero, an overflow or an invalid conversion)";
      case RESOURCE_LIMIT:
        return e instanceof SQLTransientConnectionException
            ? src + " has no free connection (all " + source.pool().maxSize()
                + " are busy); retry later or raise pool.maxSize"
            : src + " ran out of resources for this query";
      default:
        String state = sqlStateOf(e);
        return src + " could not run the query" + (state == null ? "" : " (SQLState " + state + ")")
            + "; it may not support a function or type used in it";
    }
  }

  /** Removes the configured password from text bound for logs, in case a driver echoes it. */
  protected String scrub(String text) {
    io.gatehouse.core.config.NetworkSourceSettings n = networkSettings();
    if (n != null && n.password() != null && !n.password().isEmpty()) {
      text = n.password().maskIn(text);
    }
    return text.replaceAll("(?i)(password=)[^&;\\s]*", "$1****");
  }

  @Override
  public PoolStats poolStats() {
    HikariDataSource p = pool;
    if (p == null) {
      return PoolStats.NONE;
    }
    HikariPoolMXBean mx = p.getHikariPoolMXBean();
    if (mx == null) {
      return PoolStats.NONE;
    }
    return new PoolStats(mx.getActiveConnections(), mx.getIdleConnections(),
        mx.getTotalConnections(), mx.getThreadsAwaitingConnection());
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      if (pool != null) {
        pool.close();
        pool = null;
      }
    }
  }

  /** Lower-cased source type name, for adapters mapping by name. */
  protected static String lower(String s) {
    return s == null ? "" : s.toLowerCase(Locale.ROOT).trim();
  }
}
