package io.gatehouse.adapter.bigquery.jdbc;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.FieldList;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.StandardSQLTypeName;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.TableResult;
import io.gatehouse.core.error.ErrorCode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.Locale;

/**
 * The rows of a finished query job, read from its result table one page at a time: the next page
 * is requested only when the reader has consumed the current one, so a large result never has to
 * fit in memory. Getters convert exactly (see {@link BigQueryValues}).
 */
public final class BigQueryResultSet {
  private final BigQueryStatement statement;
  private final BigQuery client;
  private final TableId table;
  private final Schema schema;
  private final int pageSize;
  private final FieldList fields;
  private final long maxRows;
  private TableResult page;
  private Iterator<FieldValueList> rows;
  private FieldValueList row;
  private long read;
  private boolean wasNull;
  private boolean closed;

  /**
   * Reads the result table {@code table} from its first page on, {@code pageSize} rows per page.
   * Each page is requested with the page size: the client's own {@code getNextPage()} asks for
   * later pages without it, leaving their size to the server.
   */
  BigQueryResultSet(BigQueryStatement statement, BigQuery client, TableId table, Schema schema,
      int pageSize, long maxRows) throws SQLException {
    this.statement = statement;
    this.client = client;
    this.table = table;
    this.schema = schema;
    this.pageSize = pageSize;
    this.fields = schema.getFields();
    this.maxRows = maxRows;
    this.page = fetch(null);
    this.rows = page.getValues().iterator();
  }

  private TableResult fetch(String token) throws SQLException {
    try {
      return token == null
          ? client.listTableData(table, schema, BigQuery.TableDataListOption.pageSize(pageSize))
          : client.listTableData(table, schema, BigQuery.TableDataListOption.pageSize(pageSize),
              BigQuery.TableDataListOption.pageToken(token));
    } catch (BigQueryException e) {
      throw BigQueryFailure.of(e);
    }
  }

  public boolean next() throws SQLException {
    checkOpen();
    if (maxRows > 0 && read >= maxRows) {
      row = null;
      return false;
    }
    while (!rows.hasNext()) {
      String token = page == null ? null : page.getNextPageToken();
      if (token == null || token.isEmpty()) {
        row = null;
        return false;
      }
      if (statement.isCancelled()) {
        throw new BigQueryFailure("cancelled", ErrorCode.QUERY_CANCELLED, "stopped", null);
      }
      page = fetch(token);
      rows = page.getValues().iterator();
    }
    row = rows.next();
    read++;
    return true;
  }

  private Object value(int column) throws SQLException {
    checkOpen();
    if (row == null) {
      throw new SQLException("no current row: call next() first", "24000");
    }
    if (column < 1 || column > fields.size()) {
      throw new SQLException("column " + column + " is out of range 1.." + fields.size(), "07009");
    }
    Object v = BigQueryValues.toJava(fields.get(column - 1), row.get(column - 1));
    wasNull = v == null;
    return v;
  }

  private StandardSQLTypeName type(int column) {
    Field f = fields.get(column - 1);
    return BigQueryValues.isNested(f) ? StandardSQLTypeName.STRING : BigQueryValues.typeOf(f);
  }

  public boolean wasNull() {
    return wasNull;
  }

  public Object getObject(int column) throws SQLException {
    return value(column);
  }

  public Object getObject(String label) throws SQLException {
    return getObject(findColumn(label));
  }

  public String getString(int column) throws SQLException {
    Object v = value(column);
    if (v == null) {
      return null;
    }
    if (v instanceof byte[] b) {
      return java.util.Base64.getEncoder().encodeToString(b);
    }
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    return v.toString();
  }

  public String getString(String label) throws SQLException {
    return getString(findColumn(label));
  }

  public long getLong(int column) throws SQLException {
    Object v = value(column);
    if (v == null) {
      return 0;
    }
    if (v instanceof Long l) {
      return l;
    }
    if (v instanceof Boolean b) {
      return b ? 1 : 0;
    }
    try {
      BigDecimal d = v instanceof BigDecimal b ? b : new BigDecimal(v.toString().trim());
      return d.setScale(0, java.math.RoundingMode.DOWN).longValueExact();
    } catch (ArithmeticException | NumberFormatException e) {
      throw new SQLException("column " + column + " (" + type(column) + ") does not hold a whole"
          + " number in the range of BIGINT", "22003", e);
    }
  }

  public long getLong(String label) throws SQLException {
    return getLong(findColumn(label));
  }

  public int getInt(int column) throws SQLException {
    return (int) narrow(column, Integer.MIN_VALUE, Integer.MAX_VALUE);
  }

  public int getInt(String label) throws SQLException {
    return getInt(findColumn(label));
  }

  public short getShort(int column) throws SQLException {
    return (short) narrow(column, Short.MIN_VALUE, Short.MAX_VALUE);
  }

  public byte getByte(int column) throws SQLException {
    return (byte) narrow(column, Byte.MIN_VALUE, Byte.MAX_VALUE);
  }

  private long narrow(int column, long min, long max) throws SQLException {
    long l = getLong(column);
    if (l < min || l > max) {
      throw new SQLException("column " + column + " holds " + l + ", out of range", "22003");
    }
    return l;
  }

  public double getDouble(int column) throws SQLException {
    Object v = value(column);
    if (v == null) {
      return 0;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    try {
      return Double.parseDouble(v.toString());
    } catch (NumberFormatException e) {
      throw new SQLException("column " + column + " is not a number", "22018", e);
    }
  }

  public double getDouble(String label) throws SQLException {
    return getDouble(findColumn(label));
  }

  public float getFloat(int column) throws SQLException {
    return (float) getDouble(column);
  }

  public BigDecimal getBigDecimal(int column) throws SQLException {
    Object v = value(column);
    if (v == null) {
      return null;
    }
    if (v instanceof BigDecimal d) {
      return d;
    }
    if (v instanceof Long l) {
      return BigDecimal.valueOf(l);
    }
    if (v instanceof Double d) {
      if (!Double.isFinite(d)) {
        throw new SQLException("column " + column + " holds " + d + ", which is not a decimal", "22003");
      }
      // The shortest decimal that reads back as this double: what BigQuery itself prints.
      return new BigDecimal(Double.toString(d));
    }
    try {
      return new BigDecimal(v.toString().trim());
    } catch (NumberFormatException e) {
      throw new SQLException("column " + column + " is not a number", "22018", e);
    }
  }

  public BigDecimal getBigDecimal(String label) throws SQLException {
    return getBigDecimal(findColumn(label));
  }

  public boolean getBoolean(int column) throws SQLException {
    Object v = value(column);
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof Number n) {
      return n.doubleValue() != 0;
    }
    String s = v.toString().trim().toLowerCase(Locale.ROOT);
    if (s.equals("true") || s.equals("false")) {
      return s.equals("true");
    }
    throw new SQLException("column " + column + " is not a boolean", "22018");
  }

  public boolean getBoolean(String label) throws SQLException {
    return getBoolean(findColumn(label));
  }

  public byte[] getBytes(int column) throws SQLException {
    Object v = value(column);
    if (v == null) {
      return null;
    }
    return v instanceof byte[] b ? b : v.toString().getBytes(StandardCharsets.UTF_8);
  }

  public java.sql.Date getDate(int column) throws SQLException {
    LocalDate d = getObject(column, LocalDate.class);
    return d == null ? null : java.sql.Date.valueOf(d);
  }

  public java.sql.Time getTime(int column) throws SQLException {
    LocalTime t = getObject(column, LocalTime.class);
    return t == null ? null : java.sql.Time.valueOf(t);
  }

  public java.sql.Timestamp getTimestamp(int column) throws SQLException {
    Object v = value(column);
    if (v instanceof OffsetDateTime o) {
      return java.sql.Timestamp.from(o.toInstant());
    }
    LocalDateTime t = getObject(column, LocalDateTime.class);
    return t == null ? null : java.sql.Timestamp.valueOf(t);
  }

  /** java.time and boxed types, converted exactly; a TIMESTAMP asked as a local value is in UTC. */
  public <T> T getObject(int column, Class<T> type) throws SQLException {
    Object v = value(column);
    if (v == null) {
      return null;
    }
    if (type.isInstance(v)) {
      return type.cast(v);
    }
    Object out = null;
    if (type == LocalDateTime.class) {
      out = v instanceof OffsetDateTime o ? o.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime()
          : v instanceof LocalDate d ? d.atStartOfDay() : null;
    } else if (type == OffsetDateTime.class) {
      out = v instanceof LocalDateTime t ? t.atOffset(ZoneOffset.UTC)
          : v instanceof LocalDate d ? d.atStartOfDay().atOffset(ZoneOffset.UTC) : null;
    } else if (type == Instant.class) {
      out = v instanceof OffsetDateTime o ? o.toInstant()
          : v instanceof LocalDateTime t ? t.toInstant(ZoneOffset.UTC) : null;
    } else if (type == LocalDate.class) {
      out = v instanceof LocalDateTime t ? t.toLocalDate()
          : v instanceof OffsetDateTime o ? o.withOffsetSameInstant(ZoneOffset.UTC).toLocalDate() : null;
    } else if (type == LocalTime.class) {
      out = v instanceof LocalDateTime t ? t.toLocalTime()
          : v instanceof OffsetDateTime o ? o.withOffsetSameInstant(ZoneOffset.UTC).toLocalTime() : null;
    } else if (type == String.class) {
      out = getString(column);
    } else if (type == Long.class) {
      out = getLong(column);
    } else if (type == Integer.class) {
      out = getInt(column);
    } else if (type == BigDecimal.class) {
      out = getBigDecimal(column);
    } else if (type == Double.class) {
      out = getDouble(column);
    } else if (type == Boolean.class) {
      out = getBoolean(column);
    } else if (type == byte[].class) {
      out = getBytes(column);
    }
    if (out == null) {
      throw new SQLException("column " + column + " (" + type(column) + ") cannot be read as "
          + type.getSimpleName(), "22018");
    }
    return type.cast(out);
  }

  public int findColumn(String label) throws SQLException {
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).getName().equalsIgnoreCase(label)) {
        return i + 1;
      }
    }
    throw new SQLException("no column '" + label + "' in the result", "42703");
  }

  public ResultSetMetaData getMetaData() {
    return JdbcSubset.of(ResultSetMetaData.class, new BigQueryResultSetMetaData(fields));
  }

  public int getFetchSize() {
    return statement.getFetchSize();
  }

  public void setFetchSize(int rows) {
    // The page size is fixed when the first page is requested.
  }

  public int getType() {
    return ResultSet.TYPE_FORWARD_ONLY;
  }

  public int getConcurrency() {
    return ResultSet.CONCUR_READ_ONLY;
  }

  public Statement getStatement() {
    return null;
  }

  public SQLWarning getWarnings() {
    return null;
  }

  public void clearWarnings() {}

  private void checkOpen() throws SQLException {
    if (closed) {
      throw new SQLException("the result set is closed", "HY010");
    }
  }

  public boolean isClosed() {
    return closed;
  }

  public void close() {
    closed = true;
    row = null;
    rows = java.util.Collections.emptyIterator();
    page = null;
  }

  /** Column metadata of a result. */
  public static final class BigQueryResultSetMetaData {
    private final FieldList fields;

    BigQueryResultSetMetaData(FieldList fields) {
      this.fields = fields;
    }

    public int getColumnCount() {
      return fields.size();
    }

    public String getColumnName(int column) {
      return fields.get(column - 1).getName();
    }

    public String getColumnLabel(int column) {
      return getColumnName(column);
    }

    public int getColumnType(int column) {
      return BigQueryValues.jdbcType(fields.get(column - 1));
    }

    public String getColumnTypeName(int column) {
      return BigQueryValues.typeName(fields.get(column - 1));
    }

    public int getPrecision(int column) {
      Long p = fields.get(column - 1).getPrecision();
      return p == null ? 0 : p.intValue();
    }

    public int getScale(int column) {
      Long s = fields.get(column - 1).getScale();
      return s == null ? 0 : s.intValue();
    }

    public int isNullable(int column) {
      Field.Mode m = fields.get(column - 1).getMode();
      return m == Field.Mode.REQUIRED ? ResultSetMetaData.columnNoNulls
          : ResultSetMetaData.columnNullable;
    }

    public boolean isReadOnly(int column) {
      return true;
    }

    public String getSchemaName(int column) {
      return "";
    }

    public String getTableName(int column) {
      return "";
    }

    public String getCatalogName(int column) {
      return "";
    }
  }
}
