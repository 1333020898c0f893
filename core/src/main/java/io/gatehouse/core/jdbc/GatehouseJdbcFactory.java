package io.gatehouse.core.jdbc;

import java.lang.reflect.Constructor;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Properties;
import java.util.TimeZone;
import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaFactory;
import org.apache.calcite.avatica.AvaticaPreparedStatement;
import org.apache.calcite.avatica.AvaticaResultSet;
import org.apache.calcite.avatica.AvaticaResultSetMetaData;
import org.apache.calcite.avatica.AvaticaSpecificDatabaseMetaData;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.UnregisteredDriver;

/**
 * Avatica's JDBC objects with three differences for Gatehouse users:
 * <ul>
 *   <li>{@code prepareStatement} failures keep Gatehouse's message (Avatica replaces it with
 *       "while preparing SQL"), so users see what is wrong with their query;</li>
 *   <li>{@code ResultSet.getObject(i, LocalDate.class)} and the other java.time classes work (Avatica
 *       refuses every {@code getObject(int, Class)});</li>
 *   <li>a result cut by the row cap carries a {@link SQLWarning} saying so.</li>
 * </ul>
 * Everything else is Avatica's default JDBC 4.1 factory.
 */
public final class GatehouseJdbcFactory implements AvaticaFactory {
  private final AvaticaFactory avatica = defaultFactory();

  /** Avatica's own factory class is package-private; it is what every Avatica driver uses. */
  private static AvaticaFactory defaultFactory() {
    try {
      Class<?> c = Class.forName("org.apache.calcite.avatica.AvaticaJdbc41Factory");
      Constructor<?> ctor = c.getDeclaredConstructor();
      ctor.setAccessible(true);
      return (AvaticaFactory) ctor.newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Avatica's JDBC factory is missing", e);
    }
  }

  @Override
  public int getJdbcMajorVersion() {
    return avatica.getJdbcMajorVersion();
  }

  @Override
  public int getJdbcMinorVersion() {
    return avatica.getJdbcMinorVersion();
  }

  @Override
  public AvaticaConnection newConnection(UnregisteredDriver driver, AvaticaFactory factory,
      String url, Properties info) {
    return new Connection(driver, factory, url, info);
  }

  @Override
  public AvaticaStatement newStatement(AvaticaConnection connection, Meta.StatementHandle h,
      int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException {
    return avatica.newStatement(connection, h, resultSetType, resultSetConcurrency,
        resultSetHoldability);
  }

  @Override
  public AvaticaPreparedStatement newPreparedStatement(AvaticaConnection connection,
      Meta.StatementHandle h, Meta.Signature signature, int resultSetType,
      int resultSetConcurrency, int resultSetHoldability) throws SQLException {
    return avatica.newPreparedStatement(connection, h, signature, resultSetType,
        resultSetConcurrency, resultSetHoldability);
  }

  @Override
  public AvaticaResultSet newResultSet(AvaticaStatement statement, QueryState state,
      Meta.Signature signature, TimeZone timeZone, Meta.Frame firstFrame) throws SQLException {
    ResultSetMetaData metaData = newResultSetMetaData(statement, signature);
    return new ResultSet(statement, state, signature, metaData, timeZone, firstFrame);
  }

  @Override
  public AvaticaSpecificDatabaseMetaData newDatabaseMetaData(AvaticaConnection connection) {
    return avatica.newDatabaseMetaData(connection);
  }

  @Override
  public ResultSetMetaData newResultSetMetaData(AvaticaStatement statement,
      Meta.Signature signature) throws SQLException {
    return new AvaticaResultSetMetaData(statement, null, signature);
  }

  /** A connection whose prepare errors keep their message. */
  static final class Connection extends AvaticaConnection {
    private final AvaticaFactory factory;

    Connection(UnregisteredDriver driver, AvaticaFactory factory, String url, Properties info) {
      super(driver, factory, url, info);
      this.factory = factory;
    }

    Meta meta() {
      return meta;
    }

    /** The JDBC statement of a handle, for its query timeout and max rows. */
    AvaticaStatement statementOf(Meta.StatementHandle h) {
      try {
        return lookupStatement(h);
      } catch (SQLException e) {
        return null;
      }
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType,
        int resultSetConcurrency, int resultSetHoldability) throws SQLException {
      if (isClosed()) {
        throw new SQLException("connection is closed", "08003");
      }
      Meta.StatementHandle h;
      try {
        h = meta.prepare(handle, sql, -1);
      } catch (AvaticaClientRuntimeException e) {
        throw new SQLException(e.getMessage(), e.getSqlState(), e.getErrorCode());
      }
      return factory.newPreparedStatement(this, h, h.signature, resultSetType,
          resultSetConcurrency, resultSetHoldability);
    }
  }

  /** A result set that reads java.time values and reports truncation. */
  static final class ResultSet extends AvaticaResultSet {
    private final AvaticaStatement statement;

    ResultSet(AvaticaStatement statement, QueryState state, Meta.Signature signature,
        ResultSetMetaData metaData, TimeZone timeZone, Meta.Frame firstFrame) throws SQLException {
      super(statement, state, signature, metaData, timeZone, firstFrame);
      this.statement = statement;
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
      SQLWarning w = super.getWarnings();
      if (statement.connection instanceof Connection c && c.meta() instanceof GatehouseMeta m) {
        long cap = m.truncatedAt(statement.handle);
        if (cap > 0) {
          SQLWarning t = new SQLWarning("ROW_LIMIT: the result was truncated at " + cap
              + " rows (the row cap); add a LIMIT or filters to see the rest", "01004");
          if (w != null) {
            t.setNextWarning(w);
          }
          return t;
        }
      }
      return w;
    }

    @Override
    public <T> T getObject(int columnIndex, Class<T> type) throws SQLException {
      if (type == null) {
        throw new SQLException("type must not be null");
      }
      Object v;
      if (type == LocalDate.class) {
        java.sql.Date d = getDate(columnIndex);
        v = d == null ? null : d.toLocalDate();
      } else if (type == LocalDateTime.class) {
        Timestamp t = getTimestamp(columnIndex);
        v = t == null ? null : t.toLocalDateTime();
      } else if (type == LocalTime.class) {
        java.sql.Time t = getTime(columnIndex);
        v = t == null ? null : t.toLocalTime();
      } else if (type == Instant.class) {
        Timestamp t = getTimestamp(columnIndex);
        v = t == null ? null : t.toInstant();
      } else if (type == OffsetDateTime.class) {
        Timestamp t = getTimestamp(columnIndex);
        v = t == null ? null : t.toInstant().atOffset(ZoneOffset.UTC);
      } else if (type == ZonedDateTime.class) {
        Timestamp t = getTimestamp(columnIndex);
        v = t == null ? null : t.toInstant().atZone(ZoneOffset.UTC);
      } else if (type == String.class) {
        v = getString(columnIndex);
      } else if (type == BigDecimal.class) {
        v = getBigDecimal(columnIndex);
      } else if (type == Integer.class) {
        int i = getInt(columnIndex);
        v = wasNull() ? null : i;
      } else if (type == Long.class) {
        long l = getLong(columnIndex);
        v = wasNull() ? null : l;
      } else if (type == Short.class) {
        short s = getShort(columnIndex);
        v = wasNull() ? null : s;
      } else if (type == Byte.class) {
        byte b = getByte(columnIndex);
        v = wasNull() ? null : b;
      } else if (type == Double.class) {
        double d = getDouble(columnIndex);
        v = wasNull() ? null : d;
      } else if (type == Float.class) {
        float f = getFloat(columnIndex);
        v = wasNull() ? null : f;
      } else if (type == Boolean.class) {
        boolean b = getBoolean(columnIndex);
        v = wasNull() ? null : b;
      } else if (type == byte[].class) {
        v = getBytes(columnIndex);
      } else if (type == java.sql.Date.class) {
        v = getDate(columnIndex);
      } else if (type == java.sql.Time.class) {
        v = getTime(columnIndex);
      } else if (type == Timestamp.class) {
        v = getTimestamp(columnIndex);
      } else {
        Object o = getObject(columnIndex);
        if (o == null || type.isInstance(o)) {
          v = o;
        } else {
          throw new SQLException("cannot convert column " + columnIndex + " to "
              + type.getName(), "22018");
        }
      }
      return type.cast(v);
    }

    @Override
    public <T> T getObject(String columnLabel, Class<T> type) throws SQLException {
      return getObject(findColumn(columnLabel), type);
    }
  }
}
