package io.gatehouse.adapter.redshift;

import com.zaxxer.hikari.HikariConfig;
import io.gatehouse.adapter.postgresql.PostgresErrors;
import io.gatehouse.adapter.postgresql.PostgresTypes;
import io.gatehouse.core.config.EngineConfig;
import io.gatehouse.core.config.NetworkSourceSettings;
import io.gatehouse.core.config.SourceConfig;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.spi.ColumnInfo;
import io.gatehouse.core.spi.ColumnType;
import io.gatehouse.core.spi.ConstraintInfo;
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
 * Connections, catalog and types of one Redshift source.
 *
 * <p>Read-only: every borrow runs in a transaction the driver opens with {@code BEGIN READ ONLY}
 * (autocommit is off and the pool marks connections read-only; the driver's
 * {@code readOnlyMode=transaction}). Redshift documents {@code READ ONLY} for BEGIN, but no
 * session-wide default such as PostgreSQL's {@code default_transaction_read_only}, so the second wall
 * is per transaction; the first is a Redshift user with SELECT grants only. The driver's default
 * mode ({@code always}) would instead send an undocumented {@code SET readonly=1}.
 *
 * <p>The statement timeout is Redshift's {@code statement_timeout} (milliseconds), set once per
 * connection by the pool and committed so that it outlives the setup transaction. The catalog is
 * read from {@code pg_catalog} with queries that Redshift's leader node and PostgreSQL both accept
 * (no arrays as parameters, no functions newer than PostgreSQL 8): Redshift's own {@code svv_*}
 * views would describe more, but there is no Redshift here to test them against.
 */
final class RedshiftConnector extends JdbcSourceConnector {
  /** The driver's TLS package: where its host name check throws from. */
  private static final String DRIVER_SSL_PACKAGE = "com.amazon.redshift.ssl.";

  private static final String TABLES_SQL =
      "select n.nspname, c.relname, c.relkind, c.reltuples::float8,"
          + " pg_catalog.obj_description(c.oid, 'pg_class')"
          + " from pg_catalog.pg_class c"
          + " join pg_catalog.pg_namespace n on n.oid = c.relnamespace"
          + " where n.nspname in (%s) and c.relkind in ('r', 'v', 'm')"
          + " order by n.nspname, c.relname";

  // format_type without a modifier gives the bare type name; the modifier is decoded separately.
  private static final String COLUMNS_SQL =
      "select n.nspname, c.relname, a.attname, a.attnum,"
          + " pg_catalog.format_type(a.atttypid, null), a.atttypmod, a.attnotnull,"
          + " pg_catalog.pg_get_expr(d.adbin, d.adrelid),"
          + " pg_catalog.col_description(c.oid, a.attnum)"
          + " from pg_catalog.pg_attribute a"
          + " join pg_catalog.pg_class c on c.oid = a.attrelid"
          + " join pg_catalog.pg_namespace n on n.oid = c.relnamespace"
          + " left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum"
          + " where n.nspname in (%s) and c.relkind in ('r', 'v', 'm')"
          + " and a.attnum > 0 and not a.attisdropped"
          + " order by n.nspname, c.relname, a.attnum";

  // One row per key column: conkey/confkey are arrays of column numbers, indexed by the position
  // from generate_series (arrays cannot be unnested with ordinality on Redshift). Redshift keeps
  // primary, unique and foreign keys as declared but unenforced constraints.
  private static final String CONSTRAINTS_SQL =
      "select n.nspname, c.relname, con.conname, con.contype, a.attname,"
          + " fn.nspname, fc.relname, fa.attname"
          + " from pg_catalog.pg_constraint con"
          + " join pg_catalog.pg_class c on c.oid = con.conrelid"
          + " join pg_catalog.pg_namespace n on n.oid = c.relnamespace"
          + " cross join pg_catalog.generate_series(1, 32) k(pos)"
          + " join pg_catalog.pg_attribute a on a.attrelid = con.conrelid"
          + "   and a.attnum = con.conkey[k.pos]"
          + " left join pg_catalog.pg_class fc on fc.oid = con.confrelid"
          + " left join pg_catalog.pg_namespace fn on fn.oid = fc.relnamespace"
          + " left join pg_catalog.pg_attribute fa on fa.attrelid = con.confrelid"
          + "   and fa.attnum = con.confkey[k.pos]"
          + " where con.contype in ('p', 'u', 'f') and n.nspname in (%s)"
          + " order by n.nspname, c.relname, con.conname, k.pos";

  private final RedshiftSettings settings;

  RedshiftConnector(SourceConfig source, EngineConfig engine) {
    super(source, engine);
    this.settings = (RedshiftSettings) source.settings();
  }

  @Override
  protected NetworkSourceSettings networkSettings() {
    return ((RedshiftSettings) source.settings()).network();
  }

  @Override
  public SqlDialect dialect() {
    return RedshiftDialect.INSTANCE;
  }

  @Override
  public boolean schemasAreCatalogs() {
    return false;
  }

  @Override
  protected void configurePool(HikariConfig hc) {
    NetworkSourceSettings n = settings.network();
    hc.setJdbcUrl(url(n));
    hc.setDriverClassName("com.amazon.redshift.Driver");
    hc.setUsername(n.user());
    if (n.password() != null) {
      // The Redshift driver takes the password only as a String (no char[] plugin as in pgjdbc).
      hc.setPassword(n.password().revealAsString());
    }
    hc.setDataSourceProperties(driverProperties(settings, engine.fetchSize(),
        source.pool().connectionTimeout().toSeconds()));
    hc.setConnectionInitSql(initSql(sessionTimeout().toMillis()));
    // Commit the setup statement: run inside the pool's read-only transaction and rolled back with
    // it, the SET would be undone before the first query.
    hc.setIsolateInternalQueries(true);
  }

  static String url(NetworkSourceSettings n) {
    String host = n.host().contains(":") && !n.host().startsWith("[") ? "[" + n.host() + "]" : n.host();
    return "jdbc:redshift://" + host + ":" + n.port() + "/"
        + java.net.URLEncoder.encode(n.database(), java.nio.charset.StandardCharsets.UTF_8)
            .replace("+", "%20");
  }

  /** The statement every new connection runs once. */
  static String initSql(long timeoutMillis) {
    return "SET statement_timeout TO " + Math.max(1, timeoutMillis);
  }

  /** The driver's connection properties, apart from the user and password. */
  static Properties driverProperties(RedshiftSettings s, int fetchSize, long connectTimeoutSeconds) {
    Properties p = new Properties();
    p.setProperty("ApplicationName", s.applicationName());
    if (s.queryGroup() != null) {
      // The driver runs SET query_group TO '...' after login (the value is a validated label).
      p.setProperty("QueryGroup", s.queryGroup());
    }
    // BEGIN READ ONLY for every transaction; see the class comment.
    p.setProperty("readOnlyMode", "transaction");
    // Stream through a cursor, fetchSize rows at a time. The driver's default instead reads the
    // whole result on a background thread into a buffer of up to 1 GB.
    p.setProperty("enableFetchRingBuffer", "false");
    p.setProperty("defaultRowFetchSize", String.valueOf(fetchSize));
    p.setProperty("connectTimeout", String.valueOf(Math.max(1, connectTimeoutSeconds)));
    p.setProperty("tcpKeepAlive", "true");
    RedshiftTls.apply(s.network(), p);
    return p;
  }

  private static String placeholders(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }

  private static PreparedStatement prepare(Connection c, String sqlWithIn, List<String> schemas)
      throws SQLException {
    PreparedStatement ps = c.prepareStatement(String.format(sqlWithIn, placeholders(schemas.size())));
    for (int i = 0; i < schemas.size(); i++) {
      ps.setString(i + 1, schemas.get(i));
    }
    return ps;
  }

  @Override
  public List<TableInfo> readTables(Connection connection, List<String> schemas)
      throws SQLException {
    if (schemas.isEmpty()) {
      return List.of();
    }
    Map<String, List<ColumnInfo>> columns = new LinkedHashMap<>();
    try (PreparedStatement ps = prepare(connection, COLUMNS_SQL, schemas);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String type = rs.getString(5);
        int[] precisionScale = PostgresTypes.precisionScale(type, rs.getInt(6));
        columns.computeIfAbsent(rs.getString(1) + "\u0000" + rs.getString(2), k -> new ArrayList<>())
            .add(new ColumnInfo(rs.getString(3), rs.getInt(4), type, precisionScale[0],
                precisionScale[1], !rs.getBoolean(7), rs.getString(8), rs.getString(9)));
      }
    }
    List<TableInfo> tables = new ArrayList<>();
    try (PreparedStatement ps = prepare(connection, TABLES_SQL, schemas);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String schema = rs.getString(1);
        String name = rs.getString(2);
        String kind = rs.getString(3);
        double estimate = rs.getDouble(4);
        // Views have no estimate; 0 is what a table that was never analysed shows on Redshift
        // (PostgreSQL 14+ shows -1), so it means "unknown", not "empty".
        if (rs.wasNull() || "v".equals(kind) || estimate <= 0) {
          estimate = -1;
        }
        tables.add(new TableInfo(schema, name,
            "r".equals(kind) ? TableInfo.Kind.TABLE : TableInfo.Kind.VIEW, estimate,
            rs.getString(5), columns.getOrDefault(schema + "\u0000" + name, List.of())));
      }
    }
    return tables;
  }

  @Override
  public List<ConstraintInfo> readConstraints(Connection connection, List<String> schemas)
      throws SQLException {
    if (schemas.isEmpty()) {
      return List.of();
    }
    ConstraintInfo.Collector collector = new ConstraintInfo.Collector();
    try (PreparedStatement ps = prepare(connection, CONSTRAINTS_SQL, schemas);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String type = rs.getString(4);
        ConstraintInfo.Kind kind = "p".equals(type) ? ConstraintInfo.Kind.PRIMARY_KEY
            : "u".equals(type) ? ConstraintInfo.Kind.UNIQUE : ConstraintInfo.Kind.FOREIGN_KEY;
        boolean fk = kind == ConstraintInfo.Kind.FOREIGN_KEY;
        collector.add(rs.getString(1), rs.getString(2), rs.getString(3), kind, rs.getString(5),
            fk ? rs.getString(6) : null, fk ? rs.getString(7) : null, fk ? rs.getString(8) : null);
      }
    }
    return collector.build();
  }

  /**
   * Redshift's type names are PostgreSQL's for the types they share, mapped the same way; of its
   * own types, VARBYTE is binary and the rest (SUPER as JSON text, GEOMETRY and GEOGRAPHY as the
   * driver's hex EWKB text, HLLSKETCH, TIMETZ, the interval types) are read as text, like the
   * PostgreSQL types without a SQL equivalent.
   */
  @Override
  public ColumnType mapType(ColumnInfo c) {
    switch (lower(c.sourceType())) {
      case "varbyte":
      case "varbinary":
      case "binary varying":
        return ColumnType.of(SqlTypeName.VARBINARY);
      default:
        return PostgresTypes.map(c);
    }
  }

  @Override
  protected ErrorCode classify(SQLException e) {
    if (hostNameMismatch(e)) {
      return ErrorCode.TLS_VERIFICATION_FAILED;
    }
    ErrorCode code = PostgresErrors.classify(e, sqlStateOf(e), DRIVER_SSL_PACKAGE);
    return code != null ? code : super.classify(e);
  }

  /**
   * A certificate that does not name the host under {@code verify-full}. The driver reports it as a
   * plain SQLException with SQLState 08006 (as for any lost connection), without a cause, and made
   * afresh in {@code Driver.connect}, so neither the chain nor the stack shows its TLS origin; its
   * fixed (untranslated) message is the only sign. Checked by {@code RedshiftTlsTest}.
   */
  private static boolean hostNameMismatch(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && "08006".equals(s.getSQLState()) && s.getMessage() != null
          && s.getMessage().contains("could not be verified by hostnameverifier")) {
        return true;
      }
    }
    return false;
  }

  @Override
  protected String describe(ErrorCode code, SQLException e) {
    String message = PostgresErrors.describe(id(), code, sqlStateOf(e));
    return message != null ? message : super.describe(code, e);
  }
}
