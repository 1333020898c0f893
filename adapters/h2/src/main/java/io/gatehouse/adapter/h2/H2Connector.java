package io.gatehouse.adapter.h2;

import com.zaxxer.hikari.HikariConfig;
import io.gatehouse.core.config.EngineConfig;
import io.gatehouse.core.config.SourceConfig;
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
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.type.SqlTypeName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connections, catalog and types of one H2 source, embedded in this JVM.
 *
 * <p><b>Read-only.</b> H2 2.x has no read-only session (the pool's read-only flag reaches
 * {@code Connection.setReadOnly}, which H2 ignores). A file is opened with {@code ACCESS_MODE_DATA=r},
 * which makes the whole database read-only for every session, admins included; {@link H2Sessions}
 * refuses a session that H2 opened writable anyway (the file was already open for writing in this
 * JVM). An in-memory database cannot be opened read-only: there, the login's rights are the wall, so
 * the demo's login can only SELECT, and an admin login is logged as a warning.
 *
 * <p><b>Time limits.</b> Every session starts with {@code SET QUERY_TIMEOUT} (enforced by H2 itself,
 * without the engine). H2's {@code Statement.setQueryTimeout} sets the same session value and it
 * outlives the statement, so each borrow resets it to the source's timeout before the engine sets the
 * time left for its statement.
 *
 * <p>The catalog is two queries on H2 2.x's {@code INFORMATION_SCHEMA} (tables with
 * {@code ROW_COUNT_ESTIMATE} and remarks; columns), whatever the number of tables.
 */
final class H2Connector extends JdbcSourceConnector {
  private static final Logger LOG = LoggerFactory.getLogger(H2Connector.class);

  private final H2SourceSettings settings;
  private final AtomicBoolean warnedAdmin = new AtomicBoolean();
  private final Set<String> warnedSchemas = Collections.synchronizedSet(new LinkedHashSet<>());

  H2Connector(SourceConfig source, EngineConfig engine) {
    super(source, engine);
    this.settings = (H2SourceSettings) source.settings();
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
    hc.setDataSource(new H2Sessions(settings, sessionTimeout().toMillis(), this::warnAdmin));
  }

  private void warnAdmin(String user) {
    if (warnedAdmin.compareAndSet(false, true)) {
      LOG.warn("source '{}': user {} is an admin of the {}; an in-memory H2 database cannot be opened"
          + " read-only, so only Gatehouse's own checks keep this login from writing. Give the source a"
          + " user with SELECT rights only", id(), user, settings.describe());
    }
  }

  /** A pooled session whose statement timeout is the source's again (see the class comment). */
  @Override
  public Connection connection() throws SQLException {
    Connection c = super.connection();
    try (Statement s = c.createStatement()) {
      s.execute(H2Sessions.timeoutSql(sessionTimeout().toMillis()));
    } catch (SQLException | RuntimeException e) {
      try {
        c.close();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    return c;
  }

  @Override
  public List<TableInfo> readTables(Connection connection, List<String> schemas) throws SQLException {
    // Schemas are matched ignoring case so that a configured 'public' can be pointed at 'PUBLIC';
    // only exact matches are returned, because generated SQL quotes the configured name.
    Set<String> wanted = new LinkedHashSet<>(schemas);
    String in = String.join(", ", Collections.nCopies(schemas.size(), "?"));
    Map<String, List<ColumnInfo>> columns = new LinkedHashMap<>();
    try (PreparedStatement ps = connection.prepareStatement("SELECT TABLE_SCHEMA, TABLE_NAME,"
        + " COLUMN_NAME, ORDINAL_POSITION, DATA_TYPE, NUMERIC_PRECISION, NUMERIC_SCALE,"
        + " CHARACTER_MAXIMUM_LENGTH, DATETIME_PRECISION, IS_NULLABLE, COLUMN_DEFAULT, REMARKS"
        + " FROM INFORMATION_SCHEMA.COLUMNS WHERE UPPER(TABLE_SCHEMA) IN (" + in + ")"
        + " ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION")) {
      bindUpper(ps, schemas);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (!wanted.contains(rs.getString(1))) {
            continue;
          }
          String dataType = lower(rs.getString(5));
          int precision = -1;
          int scale = -1;
          if ((dataType.equals("numeric") || dataType.equals("decfloat")) && rs.getObject(6) != null) {
            precision = rs.getInt(6);
            scale = rs.getObject(7) == null ? -1 : rs.getInt(7);
          } else if (rs.getObject(8) != null) {
            precision = (int) Math.min(Integer.MAX_VALUE, rs.getLong(8));
          } else if (rs.getObject(9) != null) {
            precision = rs.getInt(9);
          }
          columns.computeIfAbsent(rs.getString(1) + "\u0000" + rs.getString(2), k -> new ArrayList<>())
              .add(new ColumnInfo(rs.getString(3), rs.getInt(4), dataType, precision, scale,
                  "YES".equalsIgnoreCase(rs.getString(10)), rs.getString(11),
                  emptyToNull(rs.getString(12))));
        }
      }
    }
    List<TableInfo> tables = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement("SELECT TABLE_SCHEMA, TABLE_NAME,"
        + " TABLE_TYPE, ROW_COUNT_ESTIMATE, REMARKS FROM INFORMATION_SCHEMA.TABLES"
        + " WHERE UPPER(TABLE_SCHEMA) IN (" + in + ") AND TABLE_TYPE IN ('BASE TABLE', 'VIEW')"
        + " ORDER BY TABLE_SCHEMA, TABLE_NAME")) {
      bindUpper(ps, schemas);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String schema = rs.getString(1);
          if (!wanted.contains(schema)) {
            warnSchemaCase(schema);
            continue;
          }
          boolean view = "VIEW".equals(rs.getString(3));
          long rows = rs.getLong(4);
          // H2 reports a made-up 100 for views; the planner is better off knowing nothing.
          double estimate = rs.wasNull() || view ? -1 : rows;
          tables.add(new TableInfo(schema, rs.getString(2),
              view ? TableInfo.Kind.VIEW : TableInfo.Kind.TABLE, estimate, emptyToNull(rs.getString(5)),
              columns.getOrDefault(schema + "\u0000" + rs.getString(2), List.of())));
        }
      }
    }
    return tables;
  }

  /**
   * Keys from the standard INFORMATION_SCHEMA views: a foreign key's referenced columns are those
   * of the unique constraint it points to, matched by position.
   */
  @Override
  public List<ConstraintInfo> readConstraints(Connection connection, List<String> schemas)
      throws SQLException {
    Set<String> wanted = new LinkedHashSet<>(schemas);
    String in = String.join(", ", Collections.nCopies(schemas.size(), "?"));
    ConstraintInfo.Collector collector = new ConstraintInfo.Collector();
    try (PreparedStatement ps = connection.prepareStatement("SELECT k.TABLE_SCHEMA, k.TABLE_NAME,"
        + " k.CONSTRAINT_NAME, t.CONSTRAINT_TYPE, k.COLUMN_NAME, u.TABLE_SCHEMA, u.TABLE_NAME,"
        + " u.COLUMN_NAME"
        + " FROM INFORMATION_SCHEMA.KEY_COLUMN_USAGE k"
        + " JOIN INFORMATION_SCHEMA.TABLE_CONSTRAINTS t ON t.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA"
        + " AND t.CONSTRAINT_NAME = k.CONSTRAINT_NAME"
        + " LEFT JOIN INFORMATION_SCHEMA.REFERENTIAL_CONSTRAINTS r"
        + " ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME"
        + " LEFT JOIN INFORMATION_SCHEMA.KEY_COLUMN_USAGE u"
        + " ON u.CONSTRAINT_SCHEMA = r.UNIQUE_CONSTRAINT_SCHEMA"
        + " AND u.CONSTRAINT_NAME = r.UNIQUE_CONSTRAINT_NAME"
        + " AND u.ORDINAL_POSITION = k.POSITION_IN_UNIQUE_CONSTRAINT"
        + " WHERE UPPER(k.TABLE_SCHEMA) IN (" + in + ")"
        + " AND t.CONSTRAINT_TYPE IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY')"
        + " ORDER BY k.TABLE_SCHEMA, k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION")) {
      bindUpper(ps, schemas);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (wanted.contains(rs.getString(1))) {
            collector.add(rs.getString(1), rs.getString(2), rs.getString(3),
                ConstraintInfo.kindOf(rs.getString(4)), rs.getString(5), rs.getString(6),
                rs.getString(7), rs.getString(8));
          }
        }
      }
    }
    return collector.build();
  }

  private static void bindUpper(PreparedStatement ps, List<String> schemas) throws SQLException {
    for (int i = 0; i < schemas.size(); i++) {
      ps.setString(i + 1, schemas.get(i).toUpperCase(Locale.ROOT));
    }
  }

  private void warnSchemaCase(String actual) {
    if (warnedSchemas.add(actual)) {
      LOG.warn("source '{}': H2 spells the schema '{}', which the configuration lists in another case;"
          + " its tables stay hidden until 'schemas' names it exactly as H2 does", id(), actual);
    }
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /**
   * The type mapping, from H2 2.x's standard type names. Exact where H2 and SQL agree; TIMESTAMP
   * WITH TIME ZONE is an instant (returned as OffsetDateTime in UTC); large objects are read whole as
   * VARCHAR or VARBINARY; DECFLOAT is a DECIMAL like PostgreSQL's unconstrained numeric; types with
   * no SQL equivalent (UUID, JSON, ENUM, INTERVAL, ARRAY, ROW, GEOMETRY, TIME WITH TIME ZONE, JAVA
   * OBJECT) are exposed as H2's text form.
   */
  @Override
  public ColumnType mapType(ColumnInfo c) {
    String t = lower(c.sourceType());
    switch (t) {
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
        // H2's NUMERIC without precision is NUMERIC(100000, 0); the type system clamps it.
        return c.precision() > 0
            ? ColumnType.of(SqlTypeName.DECIMAL, c.precision(), Math.max(0, c.scale()))
            : ColumnType.of(SqlTypeName.DECIMAL, 38, 10);
      case "decfloat":
        return ColumnType.of(SqlTypeName.DECIMAL, 38, 10);
      case "real":
        return ColumnType.of(SqlTypeName.REAL);
      case "double precision":
        return ColumnType.of(SqlTypeName.DOUBLE);
      case "character":
        return ColumnType.of(SqlTypeName.CHAR, Math.max(1, c.precision()));
      case "character varying":
      case "varchar_ignorecase":
        return c.precision() > 0 ? ColumnType.of(SqlTypeName.VARCHAR, c.precision())
            : ColumnType.of(SqlTypeName.VARCHAR);
      case "binary":
      case "binary varying":
      case "binary large object":
        return ColumnType.of(SqlTypeName.VARBINARY);
      case "date":
        return ColumnType.of(SqlTypeName.DATE);
      case "time":
        return ColumnType.of(SqlTypeName.TIME, c.precision() >= 0 ? c.precision() : 0);
      case "timestamp":
        return ColumnType.of(SqlTypeName.TIMESTAMP, c.precision() >= 0 ? c.precision() : 6);
      case "timestamp with time zone":
        return ColumnType.of(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE,
            c.precision() >= 0 ? c.precision() : 6);
      default:
        // character large object, uuid, json, enum, interval ..., array, row, geometry,
        // time with time zone, java_object: H2's text form.
        return ColumnType.of(SqlTypeName.VARCHAR);
    }
  }

  /** The H2 error code: the vendor code of the first exception in the chain that carries one. */
  private static int h2Code(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && s.getErrorCode() != 0) {
        return s.getErrorCode();
      }
    }
    return 0;
  }

  private static boolean notReadOnly(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof H2Sessions.NotReadOnlyException) {
        return true;
      }
    }
    return false;
  }

  @Override
  protected ErrorCode classify(SQLException e) {
    if (notReadOnly(e)) {
      return ErrorCode.SOURCE_UNAVAILABLE;
    }
    switch (h2Code(e)) {
      case org.h2.api.ErrorCode.DATABASE_IS_READ_ONLY:
        return ErrorCode.QUERY_REJECTED;
      case org.h2.api.ErrorCode.NOT_ENOUGH_RIGHTS_FOR_1:
        return ErrorCode.ACCESS_DENIED;
      case org.h2.api.ErrorCode.OUT_OF_MEMORY:
        return ErrorCode.RESOURCE_LIMIT;
      case org.h2.api.ErrorCode.DATABASE_NOT_FOUND_1:
      case org.h2.api.ErrorCode.DATABASE_NOT_FOUND_WITH_IF_EXISTS_1:
      case org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1:
      case org.h2.api.ErrorCode.DATABASE_IS_CLOSED:
      case org.h2.api.ErrorCode.DATABASE_CALLED_AT_SHUTDOWN:
      case org.h2.api.ErrorCode.DATABASE_IS_IN_EXCLUSIVE_MODE:
      case org.h2.api.ErrorCode.ERROR_OPENING_DATABASE_1:
      case org.h2.api.ErrorCode.FILE_VERSION_ERROR_1:
      case org.h2.api.ErrorCode.FILE_CORRUPTED_1:
      case org.h2.api.ErrorCode.FILE_ENCRYPTION_ERROR_1:
      case org.h2.api.ErrorCode.IO_EXCEPTION_1:
      case org.h2.api.ErrorCode.IO_EXCEPTION_2:
      case org.h2.api.ErrorCode.CONNECTION_BROKEN_1:
        return ErrorCode.SOURCE_UNAVAILABLE;
      default:
        return super.classify(e);
    }
  }

  @Override
  protected String describe(ErrorCode code, SQLException e) {
    String src = "source '" + id() + "'";
    if (notReadOnly(e)) {
      return src + ": the " + settings.describe() + " is already open for writing in this JVM, so it"
          + " cannot be opened read-only; close the other connections to it first";
    }
    switch (h2Code(e)) {
      case org.h2.api.ErrorCode.DATABASE_NOT_FOUND_1:
      case org.h2.api.ErrorCode.DATABASE_NOT_FOUND_WITH_IF_EXISTS_1:
        return src + ": the " + settings.describe() + (settings.inMemory()
            ? " does not exist in this JVM (an in-memory database lives only in the process that"
                + " created it)"
            : " does not exist");
      case org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1:
        return src + ": the " + settings.describe() + " is in use by another process; an H2 file can"
            + " be open in one process at a time";
      case org.h2.api.ErrorCode.FILE_VERSION_ERROR_1:
        return src + ": the " + settings.describe() + " was written by an H2 version that this one ("
            + org.h2.engine.Constants.VERSION + ") cannot read";
      case org.h2.api.ErrorCode.FILE_CORRUPTED_1:
      case org.h2.api.ErrorCode.FILE_ENCRYPTION_ERROR_1:
        return src + ": the " + settings.describe() + " is corrupted or encrypted and cannot be read";
      default:
        break;
    }
    if (code == ErrorCode.ACCESS_DENIED) {
      return src + " denied access: the configured user lacks privileges on an object the query reads";
    }
    if (code == ErrorCode.SOURCE_UNAVAILABLE) {
      return src + " is unavailable: the " + settings.describe() + " could not be opened or was closed";
    }
    return super.describe(code, e);
  }

  @Override
  protected String scrub(String text) {
    if (settings.password() != null && !settings.password().isEmpty()) {
      text = settings.password().maskIn(text);
    }
    return super.scrub(text);
  }
}
