package io.gatehouse.adapter.mysql;

import com.zaxxer.hikari.HikariConfig;
import io.gatehouse.core.config.EngineConfig;
import io.gatehouse.core.config.NetworkSourceSettings;
import io.gatehouse.core.config.SourceConfig;
import io.gatehouse.core.config.TlsMode;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.spi.ColumnInfo;
import io.gatehouse.core.spi.ConstraintInfo;
import io.gatehouse.core.spi.ColumnType;
import io.gatehouse.core.spi.JdbcSourceConnector;
import io.gatehouse.core.spi.TableInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Connections, catalog and types of one MySQL or MariaDB source.
 *
 * <p>Every new connection is made read-only and time-limited with session variables, whose names
 * differ between the two servers: MySQL has {@code transaction_read_only} and
 * {@code max_execution_time} (ms), MariaDB {@code tx_read_only} and {@code max_statement_time}
 * (seconds). The server is identified once, from the version string of the handshake, before the
 * pool is built. The pool's read-only flag adds {@code SET SESSION TRANSACTION READ ONLY}.
 *
 * <p>Results stream: {@code useCursorFetch} with a fetch size makes the server keep a cursor instead
 * of sending the whole result at once. Time values travel in UTC ({@code connectionTimeZone=UTC}
 * forced onto the session), so a {@code TIMESTAMP} column is read as the right instant whatever the
 * server's zone.
 */
final class MySqlConnector extends JdbcSourceConnector {
  private final NetworkSourceSettings settings;
  private final SqlDialect dialect = MySqlDialect.INSTANCE;

  MySqlConnector(SourceConfig source, EngineConfig engine) {
    super(source, engine);
    this.settings = (NetworkSourceSettings) source.settings();
  }

  @Override
  public SqlDialect dialect() {
    return dialect;
  }

  @Override
  public boolean schemasAreCatalogs() {
    return true;
  }

  /** Both servers let a LIMIT steer a grouped statement to index scans; see the interface. */
  @Override
  public boolean capsGroupedStatementsFromOutside() {
    return true;
  }

  @Override
  public org.apache.calcite.sql.SqlNode reshaped(org.apache.calcite.sql.SqlNode statement) {
    return GroupedDerivedTables.unwrapped(statement);
  }

  private String url() {
    String host = settings.host().contains(":") && !settings.host().startsWith("[")
        ? "[" + settings.host() + "]" : settings.host();
    return "jdbc:mysql://" + host + ":" + settings.port() + "/"
        + (settings.database() == null ? "" : settings.database());
  }

  private Properties driverProperties() {
    Properties p = new Properties();
    p.setProperty("user", settings.user());
    p.setProperty("connectTimeout", String.valueOf(source.pool().connectionTimeout().toMillis()));
    p.setProperty("useCursorFetch", "true");
    p.setProperty("defaultFetchSize", String.valueOf(engine.fetchSize()));
    p.setProperty("connectionTimeZone", "UTC");
    p.setProperty("forceConnectionTimeZoneToSession", "true");
    p.setProperty("zeroDateTimeBehavior", "CONVERT_TO_NULL");
    p.setProperty("characterEncoding", "UTF-8");
    p.setProperty("useLocalSessionState", "true");
    p.setProperty("cachePrepStmts", "true");
    p.setProperty("prepStmtCacheSize", "256");
    p.setProperty("prepStmtCacheSqlLimit", "8192");
    p.setProperty("allowLoadLocalInfile", "false");
    p.setProperty("allowMultiQueries", "false");
    p.setProperty("autoDeserialize", "false");
    p.setProperty("tcpKeepAlive", "true");
    MySqlTls.apply(settings, p);
    // Without TLS a MySQL 8 server using caching_sha2_password needs the key to be fetched; the
    // user chose plain text already. With TLS the password travels encrypted and no key is needed.
    p.setProperty("allowPublicKeyRetrieval", String.valueOf(settings.tls() == TlsMode.DISABLE));
    return p;
  }

  @Override
  protected void configurePool(HikariConfig hc) {
    Properties p = driverProperties();
    boolean mariadb = MySqlFlavor.isMariaDb(url(), p, settings, this);
    long ms = sessionTimeout().toMillis();
    p.setProperty("sessionVariables", mariadb
        ? "tx_read_only=1,max_statement_time=" + (ms / 1000.0)
        : "transaction_read_only=1,max_execution_time=" + ms);
    hc.setJdbcUrl(url());
    hc.setDriverClassName("com.mysql.cj.jdbc.Driver");
    hc.setUsername(settings.user());
    if (settings.password() != null) {
      hc.setPassword(settings.password().revealAsString());
    }
    p.remove("user");
    hc.setDataSourceProperties(p);
  }

  @Override
  public List<TableInfo> readTables(Connection connection, List<String> schemas) throws SQLException {
    String in = String.join(", ", Collections.nCopies(schemas.size(), "?"));
    Map<String, List<ColumnInfo>> columns = new LinkedHashMap<>();
    String columnsSql = "select table_schema, table_name, column_name, ordinal_position, data_type,"
        + " column_type, numeric_precision, numeric_scale, character_maximum_length,"
        + " datetime_precision, is_nullable, column_default, column_comment"
        + " from information_schema.columns where table_schema in (" + in + ")"
        + " order by table_schema, table_name, ordinal_position";
    try (PreparedStatement ps = connection.prepareStatement(columnsSql)) {
      for (int i = 0; i < schemas.size(); i++) {
        ps.setString(i + 1, schemas.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String dataType = lower(rs.getString(5));
          String columnType = lower(rs.getString(6));
          int precision = -1;
          int scale = -1;
          if (rs.getObject(7) != null) {
            precision = rs.getInt(7);
            scale = rs.getObject(8) == null ? -1 : rs.getInt(8);
          } else if (rs.getObject(9) != null) {
            precision = (int) Math.min(Integer.MAX_VALUE, rs.getLong(9));
          } else if (rs.getObject(10) != null) {
            precision = rs.getInt(10);
          }
          String key = rs.getString(1) + "\u0000" + rs.getString(2);
          String comment = rs.getString(13);
          columns.computeIfAbsent(key, k -> new ArrayList<>()).add(new ColumnInfo(
              rs.getString(3), rs.getInt(4), sourceType(dataType, columnType), precision, scale,
              "YES".equalsIgnoreCase(rs.getString(11)), rs.getString(12),
              comment == null || comment.isEmpty() ? null : comment));
        }
      }
    }
    List<TableInfo> tables = new ArrayList<>();
    String tablesSql = "select table_schema, table_name, table_type, table_rows, table_comment,"
        + " data_length + index_length"
        + " from information_schema.tables where table_schema in (" + in + ")"
        + " and table_type in ('BASE TABLE', 'VIEW', 'SYSTEM VERSIONED')"
        + " order by table_schema, table_name";
    try (PreparedStatement ps = connection.prepareStatement(tablesSql)) {
      for (int i = 0; i < schemas.size(); i++) {
        ps.setString(i + 1, schemas.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          boolean view = "VIEW".equalsIgnoreCase(rs.getString(3));
          long rows = rs.getLong(4);
          double estimate = rs.wasNull() || view ? -1 : rows;
          String comment = rs.getString(5);
          tables.add(new TableInfo(rs.getString(1), rs.getString(2),
              view ? TableInfo.Kind.VIEW : TableInfo.Kind.TABLE, estimate,
              comment == null || comment.isEmpty() || view ? null : comment,
              columns.getOrDefault(rs.getString(1) + "\u0000" + rs.getString(2), List.of()),
              view || rs.getObject(6) == null ? -1 : rs.getLong(6)));
        }
      }
    }
    return tables;
  }

  @Override
  public List<ConstraintInfo> readConstraints(Connection connection, List<String> schemas)
      throws SQLException {
    String in = String.join(", ", Collections.nCopies(schemas.size(), "?"));
    String sql = "select k.table_schema, k.table_name, k.constraint_name, t.constraint_type,"
        + " k.column_name, k.referenced_table_schema, k.referenced_table_name,"
        + " k.referenced_column_name"
        + " from information_schema.key_column_usage k"
        + " join information_schema.table_constraints t on t.constraint_schema = k.constraint_schema"
        + " and t.table_schema = k.table_schema and t.table_name = k.table_name"
        + " and t.constraint_name = k.constraint_name"
        + " where k.table_schema in (" + in + ")"
        + " and t.constraint_type in ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY')"
        + " order by k.table_schema, k.table_name, k.constraint_name, k.ordinal_position";
    ConstraintInfo.Collector collector = new ConstraintInfo.Collector();
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      for (int i = 0; i < schemas.size(); i++) {
        ps.setString(i + 1, schemas.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          collector.add(rs.getString(1), rs.getString(2), rs.getString(3),
              ConstraintInfo.kindOf(rs.getString(4)), rs.getString(5), rs.getString(6),
              rs.getString(7), rs.getString(8));
        }
      }
    }
    return collector.build();
  }

  /** The type as reported, keeping what matters for mapping: unsigned, and tinyint(1) as boolean. */
  private static String sourceType(String dataType, String columnType) {
    if (columnType.contains("unsigned")) {
      return dataType + " unsigned";
    }
    if (dataType.equals("tinyint") && columnType.startsWith("tinyint(1)")) {
      return "tinyint(1)";
    }
    if (dataType.equals("bit") && columnType.equals("bit(1)")) {
      return "bit(1)";
    }
    return dataType;
  }

  /**
   * The type mapping. Unsigned integers widen to the next signed type ({@code bigint unsigned} to
   * DECIMAL(20)); {@code tinyint(1)} and {@code bit(1)} are booleans, as MySQL itself treats them;
   * {@code DATETIME} is a wall-clock TIMESTAMP and {@code TIMESTAMP} an instant; JSON, ENUM and SET
   * are text.
   */
  @Override
  public ColumnType mapType(ColumnInfo c) {
    String t = lower(c.sourceType());
    switch (t) {
      case "tinyint(1)":
      case "bit(1)":
      case "boolean":
        return ColumnType.of(SqlTypeName.BOOLEAN);
      case "tinyint":
        return ColumnType.of(SqlTypeName.TINYINT);
      case "tinyint unsigned":
      case "smallint":
        return ColumnType.of(SqlTypeName.SMALLINT);
      case "smallint unsigned":
      case "mediumint":
      case "mediumint unsigned":
      case "int":
      case "integer":
      case "year":
        return ColumnType.of(SqlTypeName.INTEGER);
      case "int unsigned":
      case "integer unsigned":
      case "bigint":
        return ColumnType.of(SqlTypeName.BIGINT);
      case "bigint unsigned":
        return ColumnType.of(SqlTypeName.DECIMAL, 20, 0);
      case "decimal":
      case "decimal unsigned":
      case "numeric":
        return ColumnType.of(SqlTypeName.DECIMAL, c.precision() > 0 ? c.precision() : 10,
            Math.max(0, c.scale()));
      case "float":
      case "float unsigned":
        return ColumnType.of(SqlTypeName.REAL);
      case "double":
      case "double unsigned":
      case "real":
        return ColumnType.of(SqlTypeName.DOUBLE);
      case "char":
        return ColumnType.of(SqlTypeName.CHAR, Math.max(1, c.precision()));
      case "varchar":
        return c.precision() > 0 ? ColumnType.of(SqlTypeName.VARCHAR, c.precision())
            : ColumnType.of(SqlTypeName.VARCHAR);
      case "binary":
      case "varbinary":
      case "tinyblob":
      case "blob":
      case "mediumblob":
      case "longblob":
      case "bit":
        return ColumnType.of(SqlTypeName.VARBINARY);
      case "date":
        return ColumnType.of(SqlTypeName.DATE);
      case "time":
        return ColumnType.of(SqlTypeName.TIME, Math.max(0, c.precision()));
      case "datetime":
        return ColumnType.of(SqlTypeName.TIMESTAMP, Math.max(0, c.precision()));
      case "timestamp":
        return ColumnType.of(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, Math.max(0, c.precision()));
      default:
        // text types, json, enum, set, geometry as text
        return ColumnType.of(SqlTypeName.VARCHAR);
    }
  }

  @Override
  protected ErrorCode classify(SQLException e) {
    switch (e.getErrorCode()) {
      case 3024: // MySQL: max_execution_time exceeded
      case 1969: // MariaDB: max_statement_time exceeded
      case 1317: // query execution was interrupted
        return ErrorCode.QUERY_TIMEOUT;
      case 1142: // command denied to user for table
      case 1143: // column command denied
      case 1044: // access denied to database
        return ErrorCode.ACCESS_DENIED;
      case 1792: // cannot execute statement in a READ ONLY transaction
        return ErrorCode.QUERY_REJECTED;
      case 1049: // unknown database
        return ErrorCode.SOURCE_UNAVAILABLE;
      default:
        // Connector/J refuses a write on a read-only connection itself, before the server sees it.
        if ("S1009".equals(e.getSQLState()) && e.getMessage() != null
            && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("read-only")) {
          return ErrorCode.QUERY_REJECTED;
        }
        return super.classify(e);
    }
  }

  @Override
  protected String describe(ErrorCode code, SQLException e) {
    if (code == ErrorCode.ACCESS_DENIED) {
      return "source '" + id() + "' denied access: the configured user lacks privileges on an object"
          + " the query reads";
    }
    if (e.getErrorCode() == 1049) {
      return "source '" + id() + "': the configured database does not exist";
    }
    return super.describe(code, e);
  }
}
