package io.gatehouse.core.spi;

import io.gatehouse.core.config.SourceConfig;
import io.gatehouse.core.error.GatehouseException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.apache.calcite.sql.SqlDialect;

/**
 * The run-time side of one configured source: pooled, read-only, time-limited connections, the SQL
 * dialect Calcite generates for it, its catalog and its type mapping. One instance per source per
 * engine, shared by all queries; implementations are thread-safe.
 */
public interface SourceConnector extends AutoCloseable {
  SourceConfig config();

  default String id() {
    return config().id();
  }

  /** The dialect in which Calcite re-generates the SQL this source receives. */
  SqlDialect dialect();

  /**
   * Whether the exposed schemas are JDBC catalogs (MySQL databases, written {@code db.table}) rather
   * than schemas (PostgreSQL, written {@code schema.table}).
   */
  boolean schemasAreCatalogs();

  /**
   * A name written before the schema in every table reference of the SQL this source receives
   * ({@code catalog.schema.table}), or null, the default, for {@code schema.table}. BigQuery
   * qualifies datasets with their project ({@code `my-proj-1`.sales.orders}), so that a query
   * never depends on which project its job runs in. Ignored when {@link #schemasAreCatalogs()}.
   */
  default String catalogQualifier() {
    return null;
  }

  /**
   * A pooled connection whose session is read-only and carries the source's statement timeout. The
   * pool is created on the first call, so a source that is down does not stop the engine. Closing
   * the connection returns it to the pool.
   */
  Connection connection() throws SQLException;

  /**
   * Reads the tables and views of the given schemas with their columns and row estimates, with a
   * fixed number of catalog queries (never one per table). Names are returned as the source spells them.
   */
  List<TableInfo> readTables(Connection connection, List<String> schemas) throws SQLException;

  /**
   * Reads the primary keys, unique constraints and foreign keys of the tables in the given schemas,
   * with a fixed number of catalog queries. The default knows none.
   */
  default List<ConstraintInfo> readConstraints(Connection connection, List<String> schemas)
      throws SQLException {
    return List.of();
  }

  /**
   * The SQL that reads a bounded sample of a table for profiling: at most {@code rows} rows of the
   * given columns, preferring a random sample (TABLESAMPLE) over the first rows where the source
   * has one, and never a full scan of a large table. Names are quoted with the dialect.
   *
   * @param rowEstimate the table's estimated row count, or negative when unknown
   */
  default String sampleSql(String schema, String table, List<String> columns, double rowEstimate,
      int rows) {
    return sampleSqlWithLimit(schema, table, columns, rows);
  }

  /** {@code SELECT columns FROM schema.table LIMIT rows}, names quoted by the dialect. */
  private String sampleSqlWithLimit(String schema, String table, List<String> columns, int rows) {
    SqlDialect d = dialect();
    StringBuilder b = new StringBuilder("SELECT ");
    for (int i = 0; i < columns.size(); i++) {
      b.append(i == 0 ? "" : ", ").append(d.quoteIdentifier(columns.get(i)));
    }
    b.append(" FROM ").append(d.quoteIdentifier(schema)).append('.').append(d.quoteIdentifier(table))
        .append(" LIMIT ").append(rows);
    return b.toString();
  }

  /**
   * The first {@code rows} rows of a block sample of the table: the dialect's sampling clause
   * ({@code samplingClause}, e.g. {@code TABLESAMPLE SYSTEM}) with twice the wanted share (block
   * sampling picks whole pages and varies) when the table is large enough for it to matter;
   * otherwise the plain {@link #sampleSql}.
   */
  default String blockSampleSql(String schema, String table, List<String> columns,
      double rowEstimate, int rows, String samplingClause) {
    String sql = sampleSqlWithLimit(schema, table, columns, rows);
    if (rowEstimate <= rows * 2.0) {
      return sql;
    }
    double percent = Math.min(100.0, 200.0 * rows / rowEstimate);
    SqlDialect d = dialect();
    String from = " FROM " + d.quoteIdentifier(schema) + "." + d.quoteIdentifier(table);
    return sql.replace(from + " LIMIT", from + " " + samplingClause + " ("
        + String.format(java.util.Locale.ROOT, "%.6f", percent) + ") LIMIT");
  }

  /** Maps a source column to the SQL type Gatehouse exposes. */
  ColumnType mapType(ColumnInfo column);

  /**
   * Prepares a statement before it runs: fetch size so large results stream, and a timeout at least
   * as strict as {@code timeout}.
   */
  void configureStatement(Statement statement, Duration timeout, int fetchSize) throws SQLException;

  /**
   * As {@link #configureStatement(Statement, Duration, int)}, knowing whom the statement runs for,
   * for sources that label statements with it (Snowflake's QUERY_TAG). The engine calls this one;
   * the default ignores the user.
   *
   * @param user the Gatehouse user the query runs for, or null when the engine does not know one
   */
  default void configureStatement(Statement statement, Duration timeout, int fetchSize, String user)
      throws SQLException {
    configureStatement(statement, timeout, fetchSize);
  }

  /**
   * Classifies a driver failure into a coded error whose message names the source but holds nothing
   * from the driver's own message (which can contain hosts, users and SQL).
   */
  GatehouseException translate(SQLException e);

  /**
   * The fetch size to read a statement with, given the most rows it can return (or -1 when
   * unknown). The default streams everything with the configured size; a source for which reading
   * through a cursor costs more than buffering a small result may choose 0 (read it whole).
   */
  default int fetchSize(long rowBound, int configured) {
    return configured;
  }

  /**
   * Whether the engine's row cap should reach this source outside a grouped statement, as
   * {@code SELECT * FROM (statement) AS t ORDER BY ... LIMIT n}, rather than as the statement's
   * own LIMIT. MySQL and MariaDB read a LIMIT as a promise that the statement may stop early and
   * choose index range scans to get there, which a GROUP BY over most of a table never can: TPC-H
   * Q1 ran 1.9 s with the cap's LIMIT against 0.9 s without. A derived table with GROUP BY is
   * computed whole first, as the user's statement without the cap would be. Only the cap moves;
   * a LIMIT the user wrote stays where it is. The default keeps the cap in place.
   */
  default boolean capsGroupedStatementsFromOutside() {
    return false;
  }

  /**
   * The statement Calcite generated, reshaped for this source's optimizer before it is written
   * out; it must mean the same. The default keeps it as it is. (MySQL and MariaDB: a grouped
   * subquery that Calcite wraps in a derived table is unwrapped, which lets them use a semi-join.)
   */
  default org.apache.calcite.sql.SqlNode reshaped(org.apache.calcite.sql.SqlNode statement) {
    return statement;
  }

  /** Connections in use, idle and waited for, for health and metrics; zeros before the pool exists. */
  PoolStats poolStats();

  /** Closes the pool. Running statements are cancelled by the pool's close. */
  @Override
  void close();

  /** A snapshot of a source's pool. */
  record PoolStats(int active, int idle, int total, int waiting) {
    public static final PoolStats NONE = new PoolStats(0, 0, 0, 0);
  }
}
