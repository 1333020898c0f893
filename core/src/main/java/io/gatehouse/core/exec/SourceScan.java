package io.gatehouse.core.exec;

import io.gatehouse.core.error.GatehouseException;
import io.gatehouse.core.spi.SourceConnector;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * One statement running at a source: borrows a pooled connection, binds parameters, streams rows with
 * the configured fetch size, and gives everything back on {@link #close()}. Driver failures leave as
 * coded {@link GatehouseException}s.
 */
final class SourceScan implements AutoCloseable {
  private final QueryExecution execution;
  private final SourceQuery query;
  private final SourceConnector connector;
  private Connection connection;
  /** Whether the connection came from the pool here (not lent by a batch) and goes back on close. */
  private boolean owned;
  private PreparedStatement statement;
  private ResultSet resultSet;

  SourceScan(QueryExecution execution, SourceQuery query) {
    this.execution = execution;
    this.query = query;
    this.connector = execution.connector(query.sourceId());
  }

  private boolean[] zonedTimestamps = new boolean[0];

  /**
   * Runs the statement.
   *
   * @param parameterValue the value (internal form) of parameter index {@code i}
   */
  void open(IntFunction<Object> parameterValue) {
    execution.checkRunning();
    try {
      connection = execution.pinned(query.sourceId());
      owned = connection == null;
      if (owned) {
        connection = connector.connection();
      }
      statement = connection.prepareStatement(query.sql(), ResultSet.TYPE_FORWARD_ONLY,
          ResultSet.CONCUR_READ_ONLY);
      connector.configureStatement(statement, execution.remaining(),
          connector.fetchSize(query.rowBound(), execution.fetchSize()), execution.user());
      List<Integer> params = query.parameters();
      for (int p = 0; p < params.size(); p++) {
        int index = params.get(p);
        SqlTypeName type = execution.parameterType(index);
        Object internal = parameterValue.apply(index);
        ValueCodec.bind(statement, p + 1, ValueCodec.internalToJdbc(internal, type), type);
      }
      execution.register(statement);
      execution.recordSent(query.sourceId(), query.sql());
      resultSet = statement.executeQuery();
      zonedTimestamps = zonedTimestamps(resultSet, query.columnTypes());
    } catch (SQLException e) {
      GatehouseException g = execution.translate(connector, e);
      close();
      throw g;
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  boolean next() {
    execution.checkRunning();
    try {
      return resultSet.next();
    } catch (SQLException e) {
      throw execution.translate(connector, e);
    }
  }

  /**
   * Columns the plan types TIMESTAMP that the source returns with a time zone: SQL's
   * CURRENT_TIMESTAMP is a TIMESTAMP, PostgreSQL's a timestamptz, which its driver will not give as
   * a LocalDateTime. They are read as instants and given as UTC wall-clock time, the sessions' zone.
   */
  private static boolean[] zonedTimestamps(ResultSet rs, List<SqlTypeName> types) throws SQLException {
    boolean[] zoned = new boolean[types.size()];
    java.sql.ResultSetMetaData md = null;
    for (int i = 0; i < zoned.length; i++) {
      if (types.get(i) == SqlTypeName.TIMESTAMP) {
        md = md == null ? rs.getMetaData() : md;
        String name = String.valueOf(md.getColumnTypeName(i + 1)).toLowerCase(java.util.Locale.ROOT);
        zoned[i] = md.getColumnType(i + 1) == java.sql.Types.TIMESTAMP_WITH_TIMEZONE
            || name.equals("timestamptz") || name.contains("with time zone");
      }
    }
    return zoned;
  }

  private Object zonedAsUtcWallClock(int column, boolean internal) throws SQLException {
    java.time.OffsetDateTime t = resultSet.getObject(column + 1, java.time.OffsetDateTime.class);
    if (t == null) {
      return null;
    }
    java.time.LocalDateTime utc = t.withOffsetSameInstant(java.time.ZoneOffset.UTC).toLocalDateTime();
    return internal ? utc.toInstant(java.time.ZoneOffset.UTC).toEpochMilli() : utc;
  }

  /** Reads the current row in Calcite's internal form. */
  Object[] readInternal() {
    List<SqlTypeName> types = query.columnTypes();
    Object[] row = new Object[types.size()];
    for (int i = 0; i < row.length; i++) {
      try {
        row[i] = zonedTimestamps[i] ? zonedAsUtcWallClock(i, true)
            : ValueCodec.readInternal(resultSet, i + 1, types.get(i));
      } catch (SQLException e) {
        throw valueError(e, i, types.get(i));
      }
    }
    return row;
  }

  /** Reads the current row as API values. */
  Object[] readApi() {
    List<SqlTypeName> types = query.columnTypes();
    Object[] row = new Object[types.size()];
    for (int i = 0; i < row.length; i++) {
      try {
        row[i] = zonedTimestamps[i] ? zonedAsUtcWallClock(i, false)
            : ValueCodec.readApi(resultSet, i + 1, types.get(i));
      } catch (SQLException e) {
        throw valueError(e, i, types.get(i));
      }
    }
    return row;
  }

  /**
   * A value the driver cannot give as the column's type (a MySQL TIME of 838:59:59 is a duration,
   * not a time of day) is a data error about that column; a lost connection stays what it is.
   */
  private GatehouseException valueError(SQLException e, int column, SqlTypeName type) {
    GatehouseException g = execution.translate(connector, e);
    if (g.code() != io.gatehouse.core.error.ErrorCode.SOURCE_ERROR) {
      return g;
    }
    return new GatehouseException(io.gatehouse.core.error.ErrorCode.DATA_ERROR, "column "
        + (column + 1) + " of the result holds a value from source '" + query.sourceId()
        + "' that cannot be read as " + type.getName() + "; cast it to VARCHAR in the query to read it");
  }

  @Override
  public void close() {
    if (statement != null) {
      execution.unregister(statement);
    }
    // Closing the connection hands it back to the pool, which rolls back the read-only transaction.
    closeQuietly(resultSet);
    closeQuietly(statement);
    if (owned) {
      closeQuietly(connection);
    }
    resultSet = null;
    statement = null;
    connection = null;
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      // Nothing useful to do: the pool evicts a broken connection on its own.
    }
  }
}
