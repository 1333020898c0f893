package io.gatehouse.adapter.snowflake;

import com.zaxxer.hikari.HikariConfig;
import io.gatehouse.core.config.EngineConfig;
import io.gatehouse.core.config.SourceConfig;
import io.gatehouse.core.config.TlsMode;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.spi.ColumnInfo;
import io.gatehouse.core.spi.ColumnType;
import io.gatehouse.core.spi.JdbcSourceConnector;
import io.gatehouse.core.spi.TableInfo;
import java.lang.reflect.Proxy;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;
import net.snowflake.client.jdbc.SnowflakeDriver;
import net.snowflake.client.jdbc.SnowflakeStatement;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Connections, catalog and types of one Snowflake source, through the official snowflake-jdbc driver.
 *
 * <p><b>Sessions.</b> Every login sets, as session parameters: {@code STATEMENT_TIMEOUT_IN_SECONDS}
 * from the query timeout (Snowflake stops the statement itself), a {@code QUERY_TAG} naming
 * Gatehouse and the source (and, per statement, the Gatehouse user: see {@link #configureStatement}),
 * {@code TIMEZONE=UTC} (the engine's clock), JSON results (the driver's Arrow reader needs
 * {@code --add-opens} on Java 17) and fixed output formats for temporal values
 * ({@link SnowflakeJdbc}). Statement timeouts set by the engine are sent to the server as statement
 * parameters ({@code IMPLICIT_SERVER_SIDE_QUERY_TIMEOUT}), so they hold even if the client dies.
 *
 * <p><b>Read-only posture.</b> Snowflake has no read-only session; what limits a session is its
 * role. The configured {@code role} is used, and each new session runs
 * {@code USE SECONDARY ROLES NONE}: users created since 2024 have every granted role active as a
 * secondary role by default, which would give the session the privileges of all of them and make a
 * read-only {@code role} meaningless. The role itself must be granted only USAGE and SELECT; that
 * is the wall. Gatehouse's guard already refuses anything but queries before they reach here.
 *
 * <p><b>Names.</b> Snowflake folds unquoted names to upper case; the catalog keeps the names as
 * Snowflake spells them, generated SQL quotes them, and configured schema names match ignoring case,
 * so {@code schemas: [analytics]} and {@code SELECT * FROM src.analytics.orders} find ANALYTICS.ORDERS.
 */
final class SnowflakeConnector extends JdbcSourceConnector {
  private final SnowflakeSettings settings;

  SnowflakeConnector(SourceConfig source, EngineConfig engine) {
    super(source, engine);
    this.settings = (SnowflakeSettings) source.settings();
    if (settings.tls() == TlsMode.DISABLE) {
      org.slf4j.LoggerFactory.getLogger(SnowflakeConnector.class).warn("source '{}': TLS is disabled"
          + " (tls: disable); credentials and data travel in plain HTTP", source.id());
    }
  }

  @Override
  public SqlDialect dialect() {
    return SnowflakeDialect.INSTANCE;
  }

  @Override
  public boolean schemasAreCatalogs() {
    return false;
  }

  @Override
  protected void configurePool(HikariConfig hc) {
    hc.setDataSource(loginDataSource());
    // No transaction to keep open: with autocommit off the driver would run "rollback" at every
    // return to the pool, one more round trip per query, for nothing (Snowflake streams either way).
    hc.setAutoCommit(true);
    hc.setConnectionInitSql("USE SECONDARY ROLES NONE");
  }

  /** The JDBC URL without credentials; {@code ssl=off} only for {@code tls: disable}. */
  String url() {
    String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
    return "jdbc:snowflake://" + host + ":" + settings.port() + "/?account="
        + URLEncoder.encode(settings.account(), StandardCharsets.UTF_8)
        + (settings.tls() == TlsMode.DISABLE ? "&ssl=off" : "");
  }

  /**
   * The connection properties of one login. Session parameters the driver does not know are sent
   * to Snowflake in the login request.
   */
  Properties loginProperties() {
    Properties p = new Properties();
    p.put("user", settings.user());
    p.put("db", settings.database());
    if (settings.schema() != null) {
      p.put("schema", settings.schema());
    }
    if (settings.warehouse() != null) {
      p.put("warehouse", settings.warehouse());
    }
    if (settings.role() != null) {
      p.put("role", settings.role());
    }
    p.put("application", "Gatehouse");
    // The driver retries a failing login until loginTimeout. It must give up before the pool does
    // (pool.connectionTimeout), or the pool reports "no free connection" instead of the failure.
    long loginSeconds = Math.max(1, source.pool().connectionTimeout().toMillis() * 2 / 3 / 1000);
    p.put("loginTimeout", String.valueOf(loginSeconds));
    p.put("IMPLICIT_SERVER_SIDE_QUERY_TIMEOUT", "true");
    p.put("STATEMENT_TIMEOUT_IN_SECONDS", String.valueOf(timeoutSeconds(sessionTimeout())));
    p.put("QUERY_TAG", queryTag(null));
    p.put("TIMEZONE", "UTC");
    p.put("JDBC_QUERY_RESULT_FORMAT", "JSON");
    SnowflakeJdbc.SESSION_FORMATS.forEach(p::put);
    return p;
  }

  /** What Snowflake's query history shows for Gatehouse's statements. */
  String queryTag(String user) {
    String tag = "gatehouse source=" + id() + (user == null ? "" : " user=" + user);
    return tag.length() <= 2000 ? tag : tag.substring(0, 2000); // Snowflake's limit
  }

  private static long timeoutSeconds(Duration d) {
    return Math.max(1, (d.toMillis() + 999) / 1000);
  }

  /**
   * The pool's data source: each call logs in with the configured credential, revealed only for the
   * login: the password as the String the driver needs, a private key as a decrypted key object
   * (the PEM text and the passphrase never reach the driver). A proxy, because the pool needs only
   * {@code getConnection()} of the interface.
   */
  private DataSource loginDataSource() {
    SnowflakeDriver driver = new SnowflakeDriver();
    return (DataSource) Proxy.newProxyInstance(SnowflakeConnector.class.getClassLoader(),
        new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
          switch (method.getName()) {
            case "getConnection":
              if (args != null && args.length > 0) {
                throw new SQLFeatureNotSupportedException("the login comes from the source's configuration");
              }
              return login(driver);
            case "getLoginTimeout":
              return 0;
            case "isWrapperFor":
            case "equals":
              return proxy == (args == null ? null : args[0]);
            case "hashCode":
              return System.identityHashCode(proxy);
            case "toString":
              return "Snowflake logins of source '" + id() + "'";
            case "unwrap":
            case "getParentLogger":
              throw new SQLFeatureNotSupportedException();
            default:
              return null; // setLogWriter, setLoginTimeout, getLogWriter: nothing to keep
          }
        });
  }

  private Connection login(SnowflakeDriver driver) throws SQLException {
    Properties p = loginProperties();
    if (settings.password() != null) {
      p.put("password", settings.password().revealAsString());
    } else {
      p.put("authenticator", "SNOWFLAKE_JWT");
      try {
        p.put("privateKey", SnowflakeKeys.privateKey(settings.privateKey(),
            settings.privateKeyPassphrase()));
      } catch (SnowflakeKeys.KeyProblem e) {
        throw new SQLException("the private key of source '" + id() + "' cannot be read", "28000");
      }
    }
    try {
      Connection c = driver.connect(url(), p);
      if (c == null) {
        throw new SQLException("the Snowflake driver did not accept the URL", "08001");
      }
      return SnowflakeJdbc.wrap(c);
    } finally {
      p.clear();
    }
  }

  // ---- catalog ----

  // The database's INFORMATION_SCHEMA lists only what the session's role may see. Schema names are
  // compared upper-cased: a configured 'analytics' finds ANALYTICS (the engine then prefers an exact
  // match if both spellings exist).
  private static final String TABLES_SQL = "select table_schema, table_name, table_type, row_count,"
      + " bytes, comment from %s.information_schema.tables where upper(table_schema) in (%s)"
      + " order by table_schema, table_name";
  private static final String COLUMNS_SQL = "select table_schema, table_name, column_name,"
      + " ordinal_position, data_type, character_maximum_length, numeric_precision, numeric_scale,"
      + " datetime_precision, is_nullable, column_default, comment"
      + " from %s.information_schema.columns where upper(table_schema) in (%s)"
      + " order by table_schema, table_name, ordinal_position";

  @Override
  public List<TableInfo> readTables(Connection connection, List<String> schemas)
      throws SQLException {
    String db = dialect().quoteIdentifier(catalogName(connection));
    String marks = String.join(", ", java.util.Collections.nCopies(schemas.size(), "upper(?)"));
    Map<String, List<ColumnInfo>> columns = new LinkedHashMap<>();
    try (PreparedStatement ps = connection.prepareStatement(String.format(Locale.ROOT, COLUMNS_SQL, db, marks))) {
      bind(ps, schemas);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String type = rs.getString(5);
          boolean temporal = type != null && type.toUpperCase(Locale.ROOT).startsWith("TIME");
          int precision = temporal ? intOr(rs, 9) : "NUMBER".equalsIgnoreCase(type) ? intOr(rs, 7)
              : intOr(rs, 6);
          int scale = "NUMBER".equalsIgnoreCase(type) ? intOr(rs, 8) : -1;
          columns.computeIfAbsent(rs.getString(1) + "\u0000" + rs.getString(2), k -> new ArrayList<>())
              .add(new ColumnInfo(rs.getString(3), rs.getInt(4), type, precision, scale,
                  !"NO".equalsIgnoreCase(rs.getString(10)), rs.getString(11), rs.getString(12)));
        }
      }
    }
    List<TableInfo> tables = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement(String.format(Locale.ROOT, TABLES_SQL, db, marks))) {
      bind(ps, schemas);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String schema = rs.getString(1);
          String name = rs.getString(2);
          boolean view = rs.getString(3) != null && rs.getString(3).toUpperCase(Locale.ROOT).contains("VIEW");
          double rows = rs.getDouble(4);
          if (rs.wasNull() || view) {
            rows = -1;
          }
          long bytes = rs.getLong(5);
          if (rs.wasNull()) {
            bytes = -1;
          }
          tables.add(new TableInfo(schema, name, view ? TableInfo.Kind.VIEW : TableInfo.Kind.TABLE,
              rows, rs.getString(6), columns.getOrDefault(schema + "\u0000" + name, List.of()), bytes));
        }
      }
    }
    return tables;
  }

  /** The session's database as Snowflake spells it (the configured name folded as an identifier). */
  private String catalogName(Connection connection) throws SQLException {
    String current = connection.getCatalog();
    return current != null ? current : settings.database().toUpperCase(Locale.ROOT);
  }

  private static void bind(PreparedStatement ps, List<String> schemas) throws SQLException {
    for (int i = 0; i < schemas.size(); i++) {
      ps.setString(i + 1, schemas.get(i));
    }
  }

  private static int intOr(ResultSet rs, int column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? -1 : v;
  }

  /**
   * A block sample ({@code SAMPLE SYSTEM}) sized from the row estimate, so that a large table is read
   * in a few micro-partitions rather than scanned; small tables are read up to the limit.
   */
  @Override
  public String sampleSql(String schema, String table, List<String> columns, double rowEstimate,
      int rows) {
    return blockSampleSql(schema, table, columns, rowEstimate, rows, "SAMPLE SYSTEM");
  }

  /**
   * The type mapping. NUMBER is exact: NUMBER(p,0) is INTEGER up to p=9, BIGINT up to 18, else
   * DECIMAL(p,0) (so Snowflake's INT, which is NUMBER(38,0), is DECIMAL(38,0)); NUMBER(p,s) is
   * DECIMAL(p,s). TIMESTAMP_LTZ and TIMESTAMP_TZ are instants (TZ's own offset is not kept);
   * VARIANT, OBJECT and ARRAY are their JSON text; GEOGRAPHY and GEOMETRY their GeoJSON text.
   */
  @Override
  public ColumnType mapType(ColumnInfo c) {
    String t = c.sourceType() == null ? "" : c.sourceType().toUpperCase(Locale.ROOT).trim();
    switch (t) {
      case "NUMBER":
      case "DECIMAL":
      case "NUMERIC": {
        int p = c.precision() > 0 ? c.precision() : 38;
        int s = Math.max(0, c.scale());
        if (s == 0 && p <= 9) {
          return ColumnType.of(SqlTypeName.INTEGER);
        }
        if (s == 0 && p <= 18) {
          return ColumnType.of(SqlTypeName.BIGINT);
        }
        return ColumnType.of(SqlTypeName.DECIMAL, p, s);
      }
      case "FLOAT":
      case "REAL":
      case "DOUBLE":
        return ColumnType.of(SqlTypeName.DOUBLE);
      case "TEXT":
      case "VARCHAR":
      case "STRING":
        return c.precision() > 0 ? ColumnType.of(SqlTypeName.VARCHAR, c.precision())
            : ColumnType.of(SqlTypeName.VARCHAR);
      case "BOOLEAN":
        return ColumnType.of(SqlTypeName.BOOLEAN);
      case "DATE":
        return ColumnType.of(SqlTypeName.DATE);
      case "TIME":
        return ColumnType.of(SqlTypeName.TIME, c.precision() >= 0 ? c.precision() : 9);
      case "TIMESTAMP_NTZ":
        return ColumnType.of(SqlTypeName.TIMESTAMP, c.precision() >= 0 ? c.precision() : 9);
      case "TIMESTAMP_LTZ":
      case "TIMESTAMP_TZ":
        return ColumnType.of(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE,
            c.precision() >= 0 ? c.precision() : 9);
      case "BINARY":
        return c.precision() > 0 ? ColumnType.of(SqlTypeName.VARBINARY, c.precision())
            : ColumnType.of(SqlTypeName.VARBINARY);
      default:
        // VARIANT, OBJECT, ARRAY (JSON text), GEOGRAPHY, GEOMETRY (GeoJSON), VECTOR, anything newer.
        return ColumnType.of(SqlTypeName.VARCHAR);
    }
  }

  // ---- statements and errors ----

  /**
   * The engine's timeout reaches Snowflake as the statement's own STATEMENT_TIMEOUT_IN_SECONDS (see
   * the class comment), and the statement's QUERY_TAG names the Gatehouse user it runs for, so that
   * Snowflake's query history tells whose query it was although all share one login.
   */
  @Override
  public void configureStatement(Statement statement, Duration timeout, int fetchSize, String user)
      throws SQLException {
    configureStatement(statement, timeout, fetchSize);
    if (user != null) {
      statement.unwrap(SnowflakeStatement.class).setParameter("QUERY_TAG", queryTag(user));
    }
  }

  // Snowflake's vendor codes for failed logins (GS error codes 390xxx).
  private static final List<Integer> AUTH_CODES = Arrays.asList(
      390100, // incorrect user name or password
      390101, // user disabled
      390102, // user locked (temporarily)
      390144, // JWT token invalid (wrong key, wrong fingerprint, expired)
      390189, // the configured role is not granted to the user
      390190); // login disallowed from this network

  @Override
  protected ErrorCode classify(SQLException e) {
    int vendor = vendorCode(e);
    if (AUTH_CODES.contains(vendor) || "28000".equals(sqlStateOf(e))) {
      return ErrorCode.SOURCE_AUTH_FAILED;
    }
    if (vendor == 3001 || "42501".equals(sqlStateOf(e))) {
      return ErrorCode.ACCESS_DENIED;
    }
    if (vendor == 606) {
      return ErrorCode.SOURCE_UNAVAILABLE; // no warehouse
    }
    return super.classify(e);
  }

  private static int vendorCode(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && s.getErrorCode() != 0) {
        return s.getErrorCode();
      }
    }
    return 0;
  }

  @Override
  protected String describe(ErrorCode code, SQLException e) {
    String src = "source '" + id() + "'";
    int vendor = vendorCode(e);
    if (vendor == 390189) {
      return src + " refused the configured role: it is not granted to the configured user;"
          + " check role and user";
    }
    if (code == ErrorCode.SOURCE_AUTH_FAILED && settings.privateKey() != null) {
      return src + " refused the configured key pair; check user, privateKey (its public key must be"
          + " set on the user: ALTER USER ... SET RSA_PUBLIC_KEY) and privateKeyPassphrase";
    }
    if (vendor == 606) {
      return src + " has no warehouse to run the query on; set warehouse for the source or a default"
          + " warehouse for the user";
    }
    if (code == ErrorCode.ACCESS_DENIED) {
      return src + " denied access: the configured role lacks privileges on an object the query reads";
    }
    return super.describe(code, e);
  }
}
