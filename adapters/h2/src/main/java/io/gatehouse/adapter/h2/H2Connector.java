package io.gatehouse.adapter.h2;

import com.zaxxer.hikari.HikariConfig;
import io.gatehouse.core.config.EngineConfig;
import io.gatehouse.core.config.SourceConfig;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.spi.ColumnInfo;
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
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Connections, catalog and types of one H2 source.
 *
 * <p>What holds: every session runs with H2's {@code QUERY_TIMEOUT} set to the source's timeout; a
 * database file is opened with {@code ACCESS_MODE_DATA=r}, so nothing can write to it. What does not:
 * H2 has no read-only session for an in-memory database, so there the login's rights are the wall
 * (the demo's login can only SELECT).
 */
final class H2Connector extends JdbcSourceConnector {
  private final H2Settings settings;

  H2Connector(SourceConfig source, EngineConfig engine) {
    super(source, engine);
    this.settings = (H2Settings) source.settings();
  }

  @Override
  public SqlDialect dialect() {
    return H2Dialect.INSTANCE;
  }

  @Override
  public boolean schemasAreCatalogs() {
    return false;
  }

  @Override
  protected void configurePool(HikariConfig hc) {
    hc.setJdbcUrl(settings.url());
    hc.setDriverClassName("org.h2.Driver");
    hc.setUsername(settings.user());
    if (settings.password() != null) {
      hc.setPassword(settings.password().revealAsString());
    }
    hc.setConnectionInitSql("SET QUERY_TIMEOUT " + sessionTimeout().toMillis());
  }

  @Override
  public List<TableInfo> readTables(Connection connection, List<String> schemas) throws SQLException {
    String in = String.join(", ", Collections.nCopies(schemas.size(), "?"));
    Map<String, List<ColumnInfo>> columns = new LinkedHashMap<>();
    try (PreparedStatement ps = connection.prepareStatement("select table_schema, table_name,"
        + " column_name, ordinal_position, data_type, numeric_precision, numeric_scale,"
        + " character_maximum_length, datetime_precision, is_nullable, column_default, remarks"
        + " from information_schema.columns where upper(table_schema) in (" + in + ")"
        + " order by table_schema, table_name, ordinal_position")) {
      bindUpper(ps, schemas);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          int precision = -1;
          int scale = -1;
          if (rs.getObject(8) != null) {
            precision = (int) Math.min(Integer.MAX_VALUE, rs.getLong(8));
          } else if (rs.getObject(9) != null) {
            precision = rs.getInt(9);
          } else if (rs.getObject(6) != null) {
            precision = rs.getInt(6);
            scale = rs.getObject(7) == null ? -1 : rs.getInt(7);
          }
          columns.computeIfAbsent(rs.getString(1) + "\u0000" + rs.getString(2), k -> new ArrayList<>())
              .add(new ColumnInfo(rs.getString(3), rs.getInt(4), rs.getString(5), precision, scale,
                  "YES".equalsIgnoreCase(rs.getString(10)), rs.getString(11), emptyToNull(rs.getString(12))));
        }
      }
    }
    List<TableInfo> tables = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement("select table_schema, table_name,"
        + " table_type, row_count_estimate, remarks from information_schema.tables"
        + " where upper(table_schema) in (" + in + ") and table_type in ('BASE TABLE', 'VIEW')"
        + " order by table_schema, table_name")) {
      bindUpper(ps, schemas);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          boolean view = "VIEW".equals(rs.getString(3));
          long estimate = rs.getLong(4);
          tables.add(new TableInfo(rs.getString(1), rs.getString(2),
              view ? TableInfo.Kind.VIEW : TableInfo.Kind.TABLE, view || rs.wasNull() ? -1 : estimate,
              emptyToNull(rs.getString(5)),
              columns.getOrDefault(rs.getString(1) + "\u0000" + rs.getString(2), List.of())));
        }
      }
    }
    return tables;
  }

  private static void bindUpper(PreparedStatement ps, List<String> schemas) throws SQLException {
    for (int i = 0; i < schemas.size(); i++) {
      ps.setString(i + 1, schemas.get(i).toUpperCase(java.util.Locale.ROOT));
    }
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** H2 2.x's standard type names; anything without a SQL equivalent is text. */
  @Override
  public ColumnType mapType(ColumnInfo c) {
    switch (lower(c.sourceType())) {
      case "boolean":
        return ColumnType.of(SqlTypeName.BOOLEAN);
      case "tinyint":
        return ColumnType.of(SqlTypeName.TINYINT);
      case "smallint":
        return ColumnType.of(SqlTypeName.SMALLINT);
      case "integer":
        return ColumnType.of(SqlTypeName.INTEGER);
      case "bigint":
        return ColumnType.of(SqlTypeName.BIGINT);
      case "numeric":
      case "decimal":
        return c.precision() > 0 ? ColumnType.of(SqlTypeName.DECIMAL, c.precision(), Math.max(0, c.scale()))
            : ColumnType.of(SqlTypeName.DECIMAL, 38, 10);
      case "real":
        return ColumnType.of(SqlTypeName.REAL);
      case "double precision":
        return ColumnType.of(SqlTypeName.DOUBLE);
      case "character varying":
      case "varchar_ignorecase":
        return c.precision() > 0 && c.precision() < 1_000_000
            ? ColumnType.of(SqlTypeName.VARCHAR, c.precision()) : ColumnType.of(SqlTypeName.VARCHAR);
      case "character":
        return ColumnType.of(SqlTypeName.CHAR, Math.max(1, c.precision()));
      case "date":
        return ColumnType.of(SqlTypeName.DATE);
      case "time":
        return ColumnType.of(SqlTypeName.TIME, Math.max(0, c.precision()));
      case "timestamp":
        return ColumnType.of(SqlTypeName.TIMESTAMP, Math.max(0, c.precision()));
      case "timestamp with time zone":
        return ColumnType.of(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, Math.max(0, c.precision()));
      case "binary":
      case "binary varying":
      case "binary large object":
        return ColumnType.of(SqlTypeName.VARBINARY);
      default:
        // character large object, uuid, json, enum, intervals, arrays, geometry: text
        return ColumnType.of(SqlTypeName.VARCHAR);
    }
  }

  @Override
  protected ErrorCode classify(SQLException e) {
    switch (e.getErrorCode()) {
      case 90146: // database not found and IFEXISTS=TRUE
      case 90020: // database in use (file locked by another process)
      case 90013: // database not found
        return ErrorCode.SOURCE_UNAVAILABLE;
      case 90096: // not enough rights for object
        return ErrorCode.ACCESS_DENIED;
      case 90097: // the database is read only
        return ErrorCode.QUERY_REJECTED;
      default:
        return super.classify(e);
    }
  }
}
