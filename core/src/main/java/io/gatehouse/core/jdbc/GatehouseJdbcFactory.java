package io.gatehouse.core.jdbc;

import java.lang.reflect.Constructor;
import java.math.BigDecimal;
import java.sql.BatchUpdateException;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Calendar;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
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
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.UnregisteredDriver;
import org.apache.calcite.avatica.util.ArrayIteratorCursor;

/**
 * Avatica's JDBC objects with these differences for Gatehouse users:
 * <ul>
 *   <li>{@code prepareStatement} failures keep Gatehouse's message (Avatica replaces it with
 *       "while preparing SQL"), so users see what is wrong with their query; {@code setSchema} and
 *       batch refusals are {@link SQLException}s with SQLState and vendor code (Avatica lets them
 *       escape as runtime exceptions);</li>
 *   <li>{@code ResultSet.getObject(i, LocalDate.class)} and the other java.time classes work (Avatica
 *       refuses every {@code getObject(int, Class)}), and return the source's exact values:
 *       microseconds, dates before the Gregorian switch, wall-clock times whatever the time zone;</li>
 *   <li>{@code getTimestamp} keeps microseconds and {@code getString} of a CHAR is the source's
 *       value (Avatica keeps milliseconds and pads CHAR values to the column length);</li>
 *   <li>{@code PreparedStatement.setMaxRows} lowers the row cap (Avatica does not pass it on);</li>
 *   <li>closing a result set ends its query and returns the source connection at once;</li>
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

  /**
   * A connection whose prepare, schema and batch errors are {@link SQLException}s with Gatehouse's
   * message, SQLState and vendor code (Avatica lets them escape as runtime exceptions or replaces
   * the message), and whose prepared statements honour {@code setMaxRows}.
   */
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

    @Override
    public void setSchema(String schema) throws SQLException {
      try {
        super.setSchema(schema);
      } catch (AvaticaClientRuntimeException e) {
        throw sqlException(e);
      }
    }

    @Override
    protected Meta.ExecuteBatchResult prepareAndUpdateBatch(AvaticaStatement statement,
        List<String> queries) throws NoSuchStatementException, SQLException {
      try {
        return super.prepareAndUpdateBatch(statement, queries);
      } catch (AvaticaClientRuntimeException e) {
        throw new BatchUpdateException(e.getMessage(), e.getSqlState(), e.getErrorCode(), new int[0]);
      }
    }

    private static SQLException sqlException(AvaticaClientRuntimeException e) {
      return new SQLException(e.getMessage(), e.getSqlState(), e.getErrorCode());
    }
  }

  /**
   * A result set that reads java.time values, keeps the exact values of the source (microseconds
   * of times and timestamps, CHAR values as the source returns them) and reports truncation.
   */
  static final class ResultSet extends AvaticaResultSet {
    /** No raw value: not in process, or not on a row; Avatica's accessors decide. */
    private static final Object NONE = new Object();

    private final AvaticaStatement statement;
    private RowCursor rows;

    ResultSet(AvaticaStatement statement, QueryState state, Meta.Signature signature,
        ResultSetMetaData metaData, TimeZone timeZone, Meta.Frame firstFrame) throws SQLException {
      super(statement, state, signature, metaData, timeZone, firstFrame);
      this.statement = statement;
    }

    /** As Avatica's, with a cursor that also lets this class read the current row's values. */
    @Override
    protected AvaticaResultSet execute() throws SQLException {
      if (!(statement.connection instanceof Connection c)
          || signature.cursorFactory.style != Meta.Style.ARRAY) {
        return super.execute();
      }
      Iterable<Object> iterable = c.meta().createIterable(statement.handle, state, signature,
          List.of(), firstFrame);
      rows = new RowCursor(iterable.iterator());
      return execute2(rows, columnMetaDataList);
    }

    /** The current row's value of a column as the meta produced it, or {@link #NONE}. */
    private Object raw(int columnIndex) {
      return rows == null || columnIndex < 1 || columnIndex > columnMetaDataList.size()
          ? NONE : rows.value(columnIndex - 1);
    }

    private int jdbcType(int columnIndex) {
      return columnMetaDataList.get(columnIndex - 1).type.id;
    }

    private ZoneId zone() {
      return localCalendar.getTimeZone().toZoneId();
    }

    /** The exact date/time value of a column, or null when there is none (Avatica decides). */
    private Object temporal(int columnIndex) {
      Object raw = raw(columnIndex);
      if (raw instanceof JdbcValues.Exact e) {
        return e.value();
      }
      if (raw instanceof Integer days && jdbcType(columnIndex) == Types.DATE) {
        return LocalDate.ofEpochDay(days);
      }
      return null;
    }

    @Override
    public String getString(int columnIndex) throws SQLException {
      String s = super.getString(columnIndex);
      if (s == null) {
        return null;
      }
      Object raw = raw(columnIndex);
      if (raw instanceof String r && jdbcType(columnIndex) == Types.CHAR) {
        // Avatica pads CHAR values to the display size; the source's value is the value.
        return r;
      }
      if (raw instanceof JdbcValues.Exact e) {
        return JdbcValues.format(e, zone(), columnMetaDataList.get(columnIndex - 1).precision);
      }
      if (raw instanceof java.math.BigDecimal d) {
        // BigDecimal.toString writes -1E-10 for -0.0000000001; databases and users write digits.
        return d.toPlainString();
      }
      return s;
    }

    @Override
    public String getString(String columnLabel) throws SQLException {
      return getString(findColumn(columnLabel));
    }

    @Override
    public Timestamp getTimestamp(int columnIndex) throws SQLException {
      return withNanos(super.getTimestamp(columnIndex), columnIndex);
    }

    @Override
    public Timestamp getTimestamp(String columnLabel) throws SQLException {
      return getTimestamp(findColumn(columnLabel));
    }

    @Override
    public Timestamp getTimestamp(int columnIndex, Calendar cal) throws SQLException {
      return withNanos(super.getTimestamp(columnIndex, cal), columnIndex);
    }

    @Override
    public Timestamp getTimestamp(String columnLabel, Calendar cal) throws SQLException {
      return getTimestamp(findColumn(columnLabel), cal);
    }

    @Override
    public Object getObject(int columnIndex) throws SQLException {
      Object o = super.getObject(columnIndex);
      return o instanceof Timestamp t ? withNanos(t, columnIndex) : o;
    }

    @Override
    public Object getObject(String columnLabel) throws SQLException {
      return getObject(findColumn(columnLabel));
    }

    /** Avatica's timestamps have milliseconds; time zone shifts are whole seconds, so the fraction is the value's. */
    private Timestamp withNanos(Timestamp t, int columnIndex) {
      if (t != null && raw(columnIndex) instanceof JdbcValues.Exact e) {
        t.setNanos(e.nanoOfSecond());
      }
      return t;
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
      Object exact = getObject(columnIndex) == null ? null : temporal(columnIndex);
      Object converted = exact == null ? null : JdbcValues.temporalAs(exact, type, zone());
      if (converted != null) {
        v = converted;
      } else if (type == LocalDate.class) {
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

  /** Avatica's cursor over rows of arrays, which also tells the current row's values. */
  private static final class RowCursor extends ArrayIteratorCursor {
    @SuppressWarnings("unchecked")
    RowCursor(Iterator<Object> iterator) {
      super((Iterator<Object[]>) (Iterator<?>) iterator);
    }

    Object value(int ordinal) {
      try {
        Object[] row = current();
        return row == null ? ResultSet.NONE : row[ordinal];
      } catch (NoSuchElementException e) {
        return ResultSet.NONE;
      }
    }
  }
}
