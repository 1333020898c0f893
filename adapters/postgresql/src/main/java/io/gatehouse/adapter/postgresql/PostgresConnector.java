package io.gatehouse.adapter.postgresql;

import com.zaxxer.hikari.HikariConfig;
import io.gatehouse.core.config.EngineConfig;
import io.gatehouse.core.config.NetworkSourceSettings;
import io.gatehouse.core.config.SourceConfig;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.spi.ColumnInfo;
import io.gatehouse.core.spi.ConstraintInfo;
import io.gatehouse.core.spi.ColumnType;
import io.gatehouse.core.spi.JdbcSourceConnector;
import io.gatehouse.core.spi.TableInfo;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.sql.SqlDialect;

/**
 * Connections, catalog and types of one PostgreSQL source.
 *
 * <p>Sessions are read-only twice over: the server default {@code default_transaction_read_only=on}
 * is set at connect time, and every borrow runs in a {@code READ ONLY} transaction (the pool's
 * read-only flag). Neither replaces a read-only role at the source: a session can turn both off, but
 * only with SQL Gatehouse never sends. The statement timeout is the server's {@code statement_timeout}.
 * Results stream through a server-side cursor: autocommit is off and a fetch size is set on every
 * statement, otherwise the driver reads the whole result into memory.
 */
final class PostgresConnector extends JdbcSourceConnector {
  private static final String TABLES_SQL =
      "select n.nspname, c.relname, c.relkind, c.reltuples::float8,"
          + " pg_catalog.obj_description(c.oid, 'pg_class'),"
          + " case when c.relkind in ('r', 'm', 'p') then pg_catalog.pg_total_relation_size(c.oid) end"
          + " from pg_catalog.pg_class c"
          + " join pg_catalog.pg_namespace n on n.oid = c.relnamespace"
          + " where n.nspname = any(?) and c.relkind in ('r', 'v', 'm', 'p', 'f')"
          + " and not c.relispartition"
          + " order by n.nspname, c.relname";

  // One row per constraint, its columns as arrays in key order (conkey/confkey are attnum arrays).
  private static final String CONSTRAINTS_SQL =
      "select n.nspname, c.relname, con.conname, con.contype,"
          + " array(select a.attname from unnest(con.conkey) with ordinality k(num, ord)"
          + "   join pg_catalog.pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.num"
          + "   order by k.ord)::text[],"
          + " fn.nspname, fc.relname,"
          + " array(select a.attname from unnest(con.confkey) with ordinality k(num, ord)"
          + "   join pg_catalog.pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.num"
          + "   order by k.ord)::text[]"
          + " from pg_catalog.pg_constraint con"
          + " join pg_catalog.pg_class c on c.oid = con.conrelid"
          + " join pg_catalog.pg_namespace n on n.oid = c.relnamespace"
          + " left join pg_catalog.pg_class fc on fc.oid = con.confrelid"
          + " left join pg_catalog.pg_namespace fn on fn.oid = fc.relnamespace"
          + " where con.contype in ('p', 'u', 'f') and n.nspname = any(?)"
          + " order by n.nspname, c.relname, con.conname";

  // Domains are described by their base type; atttypmod carries length, precision and scale.
  private static final String COLUMNS_SQL =
      "select n.nspname, c.relname, a.attname, a.attnum,"
          + " pg_catalog.format_type(coalesce(nullif(t.typbasetype, 0), a.atttypid), null),"
          + " case when t.typbasetype <> 0 then t.typtypmod else a.atttypmod end,"
          + " t.typtype, t.typcategory, a.attnotnull,"
          + " pg_catalog.pg_get_expr(d.adbin, d.adrelid),"
          + " pg_catalog.col_description(c.oid, a.attnum)"
          + " from pg_catalog.pg_attribute a"
          + " join pg_catalog.pg_class c on c.oid = a.attrelid"
          + " join pg_catalog.pg_namespace n on n.oid = c.relnamespace"
          + " join pg_catalog.pg_type t on t.oid = a.atttypid"
          + " left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum"
          + " where n.nspname = any(?) and c.relkind in ('r', 'v', 'm', 'p', 'f')"
          + " and not c.relispartition and a.attnum > 0 and not a.attisdropped"
          + " order by n.nspname, c.relname, a.attnum";

  private final NetworkSourceSettings settings;
  private final SqlDialect dialect = PostgresDialect.INSTANCE;

  private volatile String passwordHandle;

  PostgresConnector(SourceConfig source, EngineConfig engine) {
    super(source, engine);
    this.settings = (NetworkSourceSettings) source.settings();
  }

  @Override
  public SqlDialect dialect() {
    return dialect;
  }

  @Override
  public boolean schemasAreCatalogs() {
    return false;
  }

  /** Results of at most this many rows are read whole instead of through a cursor. */
  static final long READ_WHOLE_UP_TO_ROWS = 20_000;

  /**
   * PostgreSQL never uses a parallel plan for a portal read in batches (what the driver does with a
   * fetch size), so an aggregate over a large table ran up to twice as long as the same SQL run
   * directly. A statement known to return few rows (its LIMIT, which the row cap always sets, or a
   * single aggregate row) is read whole, which lets the server plan it in parallel; anything that
   * may be large still streams.
   */
  @Override
  public int fetchSize(long rowBound, int configured) {
    return rowBound >= 0 && rowBound <= READ_WHOLE_UP_TO_ROWS ? 0 : configured;
  }

  @Override
  protected void configurePool(HikariConfig hc) {
    hc.setJdbcUrl("jdbc:postgresql://" + hostForUrl(settings.host()) + ":" + settings.port() + "/"
        + urlEncode(settings.database()));
    hc.setDriverClassName("org.postgresql.Driver");
    hc.setUsername(settings.user());
    if (settings.password() != null) {
      // Not hc.setPassword: that would keep the password as a String for the pool's lifetime.
      passwordHandle = PostgresPasswordPlugin.register(settings.password());
      hc.addDataSourceProperty("authenticationPluginClassName", PostgresPasswordPlugin.class.getName());
      hc.addDataSourceProperty(PostgresPasswordPlugin.HANDLE_PROPERTY, passwordHandle);
    }
    hc.addDataSourceProperty("ApplicationName", "gatehouse");
    hc.addDataSourceProperty("options", "-c default_transaction_read_only=on -c statement_timeout="
        + sessionTimeout().toMillis());
    hc.addDataSourceProperty("defaultRowFetchSize", String.valueOf(engine.fetchSize()));
    hc.addDataSourceProperty("connectTimeout",
        String.valueOf(Math.max(1, source.pool().connectionTimeout().toSeconds())));
    hc.addDataSourceProperty("tcpKeepAlive", "true");
    // Parameters bound as text reach the server untyped, so a value compared with a uuid, json or
    // enum column is typed by the server (Gatehouse exposes those as text).
    hc.addDataSourceProperty("stringtype", "unspecified");
    PostgresTls.apply(settings, hc);
  }

  @Override
  public List<TableInfo> readTables(Connection connection, List<String> schemas)
      throws SQLException {
    Array schemaArray = connection.createArrayOf("text", schemas.toArray());
    Map<String, List<ColumnInfo>> columns = new LinkedHashMap<>();
    try (PreparedStatement ps = connection.prepareStatement(COLUMNS_SQL)) {
      ps.setArray(1, schemaArray);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String key = rs.getString(1) + "\u0000" + rs.getString(2);
          String type = rs.getString(5);
          int typmod = rs.getInt(6);
          String typtype = rs.getString(7);
          String category = rs.getString(8);
          int[] ps2 = PostgresTypes.precisionScale(type, typmod);
          String sourceType = "e".equals(typtype) ? "enum:" + type
              : "A".equals(category) ? type : type;
          columns.computeIfAbsent(key, k -> new ArrayList<>()).add(new ColumnInfo(
              rs.getString(3), rs.getInt(4), sourceType, ps2[0], ps2[1], !rs.getBoolean(9),
              rs.getString(10), rs.getString(11)));
        }
      }
    }
    List<TableInfo> tables = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement(TABLES_SQL)) {
      ps.setArray(1, schemaArray);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String schema = rs.getString(1);
          String name = rs.getString(2);
          String kind = rs.getString(3);
          double estimate = rs.getDouble(4);
          if (rs.wasNull() || "v".equals(kind)) {
            estimate = -1;
          }
          long size = rs.getLong(6);
          if (rs.wasNull()) {
            size = -1;
          }
          tables.add(new TableInfo(schema, name,
              "v".equals(kind) || "m".equals(kind) ? TableInfo.Kind.VIEW : TableInfo.Kind.TABLE,
              estimate, rs.getString(5), columns.getOrDefault(schema + "\u0000" + name, List.of()),
              size));
        }
      }
    }
    return tables;
  }

  @Override
  public List<ConstraintInfo> readConstraints(Connection connection, List<String> schemas)
      throws SQLException {
    List<ConstraintInfo> out = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement(CONSTRAINTS_SQL)) {
      ps.setArray(1, connection.createArrayOf("text", schemas.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String type = rs.getString(4);
          ConstraintInfo.Kind kind = "p".equals(type) ? ConstraintInfo.Kind.PRIMARY_KEY
              : "u".equals(type) ? ConstraintInfo.Kind.UNIQUE : ConstraintInfo.Kind.FOREIGN_KEY;
          boolean fk = kind == ConstraintInfo.Kind.FOREIGN_KEY;
          out.add(new ConstraintInfo(rs.getString(1), rs.getString(2), rs.getString(3), kind,
              strings(rs.getArray(5)), fk ? rs.getString(6) : null, fk ? rs.getString(7) : null,
              fk ? strings(rs.getArray(8)) : List.of()));
        }
      }
    }
    return out;
  }

  private static List<String> strings(Array array) throws SQLException {
    return array == null ? List.of() : List.of((String[]) array.getArray());
  }

  /**
   * A block sample ({@code TABLESAMPLE SYSTEM}) sized from the row estimate, so that a large table
   * is read in a few pages rather than scanned; small or never-analysed tables are read up to the
   * limit.
   */
  @Override
  public String sampleSql(String schema, String table, List<String> columns, double rowEstimate,
      int rows) {
    return blockSampleSql(schema, table, columns, rowEstimate, rows, "TABLESAMPLE SYSTEM");
  }

  @Override
  public ColumnType mapType(ColumnInfo c) {
    return PostgresTypes.map(c);
  }

  @Override
  protected ErrorCode classify(SQLException e) {
    ErrorCode code = PostgresErrors.classify(e, sqlStateOf(e), "org.postgresql.ssl.");
    return code != null ? code : super.classify(e);
  }

  @Override
  protected String describe(ErrorCode code, SQLException e) {
    String message = PostgresErrors.describe(id(), code, sqlStateOf(e));
    return message != null ? message : super.describe(code, e);
  }

  @Override
  public void close() {
    super.close();
    PostgresPasswordPlugin.unregister(passwordHandle);
  }

  private static String hostForUrl(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  private static String urlEncode(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
  }
}
