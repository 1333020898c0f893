package io.gatehouse.adapter.snowflake.fake;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlUserDefinedTypeNameSpec;
import org.apache.calcite.sql.dialect.H2SqlDialect;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlShuttle;
import org.apache.calcite.sql.validate.SqlConformanceEnum;

/**
 * The data side of {@link FakeSnowflake}: one Snowflake database held in an in-memory H2.
 *
 * <p>This is a fake, not Snowflake. What makes it useful is that it really executes the SQL it
 * receives: a query is parsed with Calcite's parser under Snowflake's lexical rules (double-quoted
 * identifiers, unquoted names folded to upper case), its names are resolved the way Snowflake
 * resolves them ({@code DB.SCHEMA.TABLE}, {@code INFORMATION_SCHEMA}), and it is run by H2 over the
 * fixture data. A statement with a wrong name, a wrong quoting or a syntax Snowflake's grammar would
 * not accept fails here as it would there. Nothing is answered from a table of expected queries.
 *
 * <p>The types of columns are kept as Snowflake declared them ({@code NUMBER(9,0)},
 * {@code TIMESTAMP_LTZ}, {@code VARIANT}...), because H2 has no such types: they are what
 * {@code INFORMATION_SCHEMA.COLUMNS} reports and what the result's {@code rowtype} says, and they
 * decide how values are encoded on the wire (the driver decodes them).
 *
 * <p>Known differences from Snowflake (a fake's limits, listed so nobody mistakes them for
 * Snowflake's behaviour): integer division follows H2 (Snowflake returns a decimal), sampling
 * clauses are ignored, and only the statements the tests need are understood.
 */
public final class FakeSnowflakeDatabase implements AutoCloseable {
  /** Where the fake keeps Snowflake's per-database INFORMATION_SCHEMA (H2 has its own). */
  static final String INFO_SCHEMA = "FAKE_INFORMATION_SCHEMA";
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final String name;
  private final String url;
  private final Connection keepAlive;
  /** [schema, table, column] to the type Snowflake would report. */
  private final Map<List<String>, SfType> declared = new ConcurrentHashMap<>();

  /** A column type as Snowflake reports it. */
  public record SfType(String dataType, int precision, int scale, int length) {
    /** The name of the type in a result's {@code rowtype}. */
    String rowType() {
      switch (dataType) {
        case "NUMBER":
          return "fixed";
        case "FLOAT":
          return "real";
        case "TEXT":
          return "text";
        default:
          return dataType.toLowerCase(Locale.ROOT);
      }
    }
  }

  public FakeSnowflakeDatabase(String name) throws SQLException {
    this.name = name;
    this.url = "jdbc:h2:mem:fake-snowflake-" + COUNTER.incrementAndGet()
        + ";DB_CLOSE_DELAY=-1;DEFAULT_NULL_ORDERING=HIGH";
    // Snowflake sorts NULLs high (last ascending, first descending), as H2 does with this setting.
    this.keepAlive = DriverManager.getConnection(url, "sa", "");
    try (Statement s = keepAlive.createStatement()) {
      s.execute("create schema " + INFO_SCHEMA);
      s.execute("create table " + INFO_SCHEMA + ".TABLES(TABLE_CATALOG varchar, TABLE_SCHEMA varchar,"
          + " TABLE_NAME varchar, TABLE_TYPE varchar, ROW_COUNT numeric(38,0), BYTES numeric(38,0),"
          + " COMMENT varchar)");
      s.execute("create table " + INFO_SCHEMA + ".COLUMNS(TABLE_CATALOG varchar, TABLE_SCHEMA varchar,"
          + " TABLE_NAME varchar, COLUMN_NAME varchar, ORDINAL_POSITION numeric(9,0),"
          + " COLUMN_DEFAULT varchar, IS_NULLABLE varchar, DATA_TYPE varchar,"
          + " CHARACTER_MAXIMUM_LENGTH numeric(9,0), NUMERIC_PRECISION numeric(9,0),"
          + " NUMERIC_SCALE numeric(9,0), DATETIME_PRECISION numeric(9,0), COMMENT varchar)");
      s.execute("create table " + INFO_SCHEMA + ".SCHEMATA(CATALOG_NAME varchar, SCHEMA_NAME varchar)");
    }
    for (String t : List.of("TABLES", "COLUMNS", "SCHEMATA")) {
      declareInfoSchema(t);
    }
  }

  private void declareInfoSchema(String table) throws SQLException {
    try (ResultSet rs = keepAlive.getMetaData().getColumns(null, INFO_SCHEMA, table, null)) {
      while (rs.next()) {
        SfType t = rs.getInt("DATA_TYPE") == Types.NUMERIC ? new SfType("NUMBER", rs.getInt("COLUMN_SIZE"),
            rs.getInt("DECIMAL_DIGITS"), -1) : new SfType("TEXT", -1, -1, 16777216);
        declared.put(List.of("INFORMATION_SCHEMA", table, rs.getString("COLUMN_NAME")), t);
      }
    }
  }

  public String name() {
    return name;
  }

  /** A new H2 session for one Snowflake session. */
  Connection open() throws SQLException {
    return DriverManager.getConnection(url, "sa", "");
  }

  // ---- statements ----

  /** What kind of statement a text is, as the fake routes it. */
  enum Kind { QUERY, INSERT, CREATE_TABLE, CREATE_SCHEMA, DROP_SCHEMA, OTHER_WRITE, SESSION }

  private static final Pattern CREATE_TABLE = Pattern.compile(
      "(?is)^\\s*create\\s+(or\\s+replace\\s+)?table\\s+(if\\s+not\\s+exists\\s+)?"
          + "((?:\"[^\"]+\"|[A-Za-z_][\\w$]*)(?:\\s*\\.\\s*(?:\"[^\"]+\"|[A-Za-z_][\\w$]*)){0,2})\\s*\\((.*)\\)\\s*;?\\s*$");
  private static final Pattern CREATE_SCHEMA = Pattern.compile(
      "(?is)^\\s*create\\s+(or\\s+replace\\s+)?schema\\s+(if\\s+not\\s+exists\\s+)?(\\S+)\\s*;?\\s*$");
  private static final Pattern DROP_SCHEMA = Pattern.compile(
      "(?is)^\\s*drop\\s+schema\\s+(if\\s+exists\\s+)?(\\S+?)(\\s+cascade)?\\s*;?\\s*$");

  static Kind kindOf(String sql) {
    String s = sql.stripLeading().toLowerCase(Locale.ROOT);
    // Comments the driver puts in front of its own statements ("alter session /* JDBC:... */ set")
    if (s.startsWith("select") || s.startsWith("with") || s.startsWith("(") || s.startsWith("values")) {
      return Kind.QUERY;
    }
    if (s.startsWith("insert")) {
      return Kind.INSERT;
    }
    if (CREATE_TABLE.matcher(sql).matches()) {
      return Kind.CREATE_TABLE;
    }
    if (CREATE_SCHEMA.matcher(sql).matches()) {
      return Kind.CREATE_SCHEMA;
    }
    if (DROP_SCHEMA.matcher(sql).matches()) {
      return Kind.DROP_SCHEMA;
    }
    if (s.startsWith("alter session") || s.startsWith("use ") || s.startsWith("commit")
        || s.startsWith("rollback") || s.startsWith("begin")) {
      return Kind.SESSION;
    }
    return Kind.OTHER_WRITE;
  }

  /** A Snowflake statement translated for H2, with the tables it names (for privileges). */
  record Translated(String h2Sql, List<List<String>> tables) {}

  /**
   * Translates a query or INSERT from Snowflake's SQL to H2's: parse under Snowflake's lexical rules,
   * resolve names, write back out for H2. Throws {@link FakeSnowflakeError} as Snowflake would for
   * a syntax error.
   */
  Translated translate(String sql, String sessionSchema) {
    SqlNode node;
    try {
      node = SqlParser.create(sql, SqlParser.config()
          .withQuoting(Quoting.DOUBLE_QUOTE)
          .withUnquotedCasing(Casing.TO_UPPER)
          .withQuotedCasing(Casing.UNCHANGED)
          .withCaseSensitive(true)
          .withConformance(SqlConformanceEnum.LENIENT)).parseStmt();
    } catch (SqlParseException e) {
      throw new FakeSnowflakeError("001003", "42000", "SQL compilation error:\nsyntax error line "
          + e.getPos().getLineNum() + " at position " + e.getPos().getColumnNum() + ".");
    }
    List<List<String>> tables = new ArrayList<>();
    SqlNode rewritten = node.accept(new Names(tables));
    String h2 = rewritten.toSqlString(H2SqlDialect.DEFAULT).getSql();
    return new Translated(h2, tables);
  }

  /** Resolves names as Snowflake does: {@code DB.SCHEMA.TABLE}, and the database's INFORMATION_SCHEMA. */
  private final class Names extends SqlShuttle {
    private final List<List<String>> tables;

    Names(List<List<String>> tables) {
      this.tables = tables;
    }

    @Override
    public SqlNode visit(SqlIdentifier id) {
      List<String> names = id.names;
      SqlIdentifier out = id;
      if (names.size() >= 3 && names.get(0).equals(name)) {
        out = id.getComponent(1, names.size());
        names = out.names;
      } else if (names.size() >= 3 && !id.isComponentQuoted(0) && looksLikeDatabase(names)) {
        throw new FakeSnowflakeError("002003", "02000", "SQL compilation error:\nDatabase '"
            + names.get(0) + "' does not exist or not authorized.");
      }
      if (names.size() == 2) {
        tables.add(List.copyOf(names));
      }
      if (names.size() >= 2 && names.get(0).equals("INFORMATION_SCHEMA")) {
        List<String> n = new ArrayList<>(names);
        n.set(0, INFO_SCHEMA);
        out = new SqlIdentifier(n, id.getParserPosition());
      }
      return out;
    }

    private boolean looksLikeDatabase(List<String> names) {
      // three parts where the first is neither this database nor a schema: a wrong database name
      return names.size() == 3 && schemaExists(names.get(1)) && !schemaExists(names.get(0));
    }

    @Override
    public SqlNode visit(SqlDataTypeSpec type) {
      if (type.getTypeNameSpec() instanceof SqlUserDefinedTypeNameSpec u) {
        String n = u.getTypeName().getSimple().toUpperCase(Locale.ROOT);
        SqlTypeName h2 = switch (n) {
          case "TIMESTAMP_NTZ", "DATETIME" -> SqlTypeName.TIMESTAMP;
          case "TIMESTAMP_LTZ", "TIMESTAMP_TZ" -> SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE;
          case "NUMBER" -> SqlTypeName.DECIMAL;
          case "TEXT", "STRING", "VARIANT", "OBJECT", "ARRAY" -> SqlTypeName.VARCHAR;
          default -> null;
        };
        if (h2 != null) {
          SqlParserPos pos = type.getParserPosition();
          return new SqlDataTypeSpec(new SqlBasicTypeNameSpec(h2, pos), pos);
        }
      }
      return super.visit(type);
    }
  }

  boolean schemaExists(String schema) {
    try (PreparedStatement ps = keepAlive.prepareStatement(
        "select count(*) from information_schema.schemata where schema_name = ?")) {
      ps.setString(1, schema);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1) > 0;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether a translated statement is an INSERT (for the statement type in the response). */
  static boolean isInsert(SqlNode node) {
    return node instanceof SqlInsert || node.getKind() == SqlKind.INSERT;
  }

  // ---- DDL ----

  void createSchema(Connection c, String sql) throws SQLException {
    Matcher m = CREATE_SCHEMA.matcher(sql);
    m.matches();
    List<String> path = identifierPath(m.group(3));
    String schema = path.get(path.size() - 1);
    try (Statement s = c.createStatement()) {
      if (m.group(1) != null) {
        dropSchemaNamed(c, schema);
      }
      s.execute("create schema " + (m.group(2) != null ? "if not exists " : "") + quote(schema));
    }
    try (PreparedStatement ps = c.prepareStatement("insert into " + INFO_SCHEMA + ".SCHEMATA values (?, ?)")) {
      ps.setString(1, name);
      ps.setString(2, schema);
      ps.executeUpdate();
    }
  }

  void dropSchema(Connection c, String sql) throws SQLException {
    Matcher m = DROP_SCHEMA.matcher(sql);
    m.matches();
    List<String> path = identifierPath(m.group(2));
    dropSchemaNamed(c, path.get(path.size() - 1));
  }

  private void dropSchemaNamed(Connection c, String schema) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("drop schema if exists " + quote(schema) + " cascade");
    }
    for (String t : List.of("TABLES", "COLUMNS")) {
      try (PreparedStatement ps = c.prepareStatement("delete from " + INFO_SCHEMA + "." + t
          + " where TABLE_SCHEMA = ?")) {
        ps.setString(1, schema);
        ps.executeUpdate();
      }
    }
    try (PreparedStatement ps = c.prepareStatement("delete from " + INFO_SCHEMA
        + ".SCHEMATA where SCHEMA_NAME = ?")) {
      ps.setString(1, schema);
      ps.executeUpdate();
    }
    declared.keySet().removeIf(k -> k.get(0).equals(schema));
  }

  /**
   * {@code CREATE [OR REPLACE] TABLE [db.]schema.table (column type [constraints], ...)}: the
   * Snowflake types are recorded and replaced by H2 types; constraints pass through.
   */
  void createTable(Connection c, String sessionSchema, String sql) throws SQLException {
    Matcher m = CREATE_TABLE.matcher(sql);
    m.matches();
    List<String> path = identifierPath(m.group(3));
    if (path.size() == 3) {
      if (!path.get(0).equals(name)) {
        throw new FakeSnowflakeError("002003", "02000", "SQL compilation error:\nDatabase '"
            + path.get(0) + "' does not exist or not authorized.");
      }
      path = path.subList(1, 3);
    }
    String schema = path.size() == 2 ? path.get(0) : sessionSchema;
    String table = path.get(path.size() - 1);
    List<String> h2Columns = new ArrayList<>();
    List<Object[]> infoRows = new ArrayList<>();
    int ordinal = 0;
    for (String def : splitTopLevel(m.group(4))) {
      String d = def.trim();
      String lower = d.toLowerCase(Locale.ROOT);
      if (lower.startsWith("primary key") || lower.startsWith("unique") || lower.startsWith("foreign key")
          || lower.startsWith("constraint")) {
        h2Columns.add(d);
        continue;
      }
      String[] nameAndRest = splitName(d);
      String column = nameAndRest[0];
      String rest = nameAndRest[1];
      Matcher t = Pattern.compile("(?is)^((?:double\\s+precision)|[A-Za-z_0-9]+)\\s*(\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\))?(.*)$")
          .matcher(rest);
      if (!t.matches()) {
        throw new FakeSnowflakeError("001003", "42000", "SQL compilation error:\nsyntax error in column " + column);
      }
      String typeName = t.group(1).toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
      Integer a = t.group(3) == null ? null : Integer.valueOf(t.group(3));
      Integer b = t.group(4) == null ? null : Integer.valueOf(t.group(4));
      String constraints = t.group(5);
      SfType sf;
      String h2Type;
      switch (typeName) {
        case "NUMBER", "DECIMAL", "NUMERIC" -> {
          int p = a == null ? 38 : a;
          int s = b == null ? 0 : b;
          sf = new SfType("NUMBER", p, s, -1);
          h2Type = "numeric(" + p + "," + s + ")";
        }
        case "INT", "INTEGER", "BIGINT", "SMALLINT", "TINYINT", "BYTEINT" -> {
          sf = new SfType("NUMBER", 38, 0, -1);
          h2Type = "numeric(38,0)";
        }
        case "FLOAT", "FLOAT4", "FLOAT8", "DOUBLE", "DOUBLE PRECISION", "REAL" -> {
          sf = new SfType("FLOAT", -1, -1, -1);
          h2Type = "double precision";
        }
        case "VARCHAR", "STRING", "TEXT", "CHAR", "CHARACTER" -> {
          int len = a != null ? a : typeName.startsWith("CHAR") ? 1 : 16777216;
          sf = new SfType("TEXT", -1, -1, len);
          h2Type = "varchar(" + Math.min(len, 1_000_000) + ")";
        }
        case "BOOLEAN" -> {
          sf = new SfType("BOOLEAN", -1, -1, -1);
          h2Type = "boolean";
        }
        case "DATE" -> {
          sf = new SfType("DATE", -1, -1, -1);
          h2Type = "date";
        }
        case "TIME" -> {
          sf = new SfType("TIME", -1, a == null ? 9 : a, -1);
          h2Type = "time(9)";
        }
        case "TIMESTAMP", "TIMESTAMP_NTZ", "DATETIME" -> {
          sf = new SfType("TIMESTAMP_NTZ", -1, a == null ? 9 : a, -1);
          h2Type = "timestamp(9)";
        }
        case "TIMESTAMP_LTZ", "TIMESTAMP_TZ" -> {
          sf = new SfType(typeName, -1, a == null ? 9 : a, -1);
          h2Type = "timestamp(9) with time zone";
        }
        case "BINARY", "VARBINARY" -> {
          int len = a == null ? 8388608 : a;
          sf = new SfType("BINARY", -1, -1, len);
          h2Type = "varbinary(" + Math.min(len, 1_000_000) + ")";
        }
        case "VARIANT", "OBJECT", "ARRAY", "GEOGRAPHY" -> {
          sf = new SfType(typeName, -1, -1, -1);
          h2Type = "varchar(1000000)";
        }
        default -> throw new FakeSnowflakeError("002040", "42601",
            "SQL compilation error:\nUnsupported data type '" + typeName + "'.");
      }
      h2Columns.add(quote(column) + " " + h2Type + constraints);
      ordinal++;
      boolean notNull = constraints.toLowerCase(Locale.ROOT).matches("(?s).*\\b(not\\s+null|primary\\s+key)\\b.*");
      infoRows.add(new Object[] {name, schema, table, column, ordinal, null, notNull ? "NO" : "YES",
          sf.dataType(), sf.length() > 0 ? sf.length() : null, sf.dataType().equals("NUMBER") ? sf.precision() : null,
          sf.dataType().equals("NUMBER") ? sf.scale() : null,
          sf.dataType().startsWith("TIME") ? sf.scale() : null, null});
      declared.put(List.of(schema, table, column), sf);
    }
    try (Statement s = c.createStatement()) {
      if (m.group(1) != null) {
        s.execute("drop table if exists " + quote(schema) + "." + quote(table));
      }
      s.execute("create table " + quote(schema) + "." + quote(table) + "(" + String.join(", ", h2Columns) + ")");
    }
    try (PreparedStatement del = c.prepareStatement("delete from " + INFO_SCHEMA
        + ".COLUMNS where TABLE_SCHEMA = ? and TABLE_NAME = ?")) {
      del.setString(1, schema);
      del.setString(2, table);
      del.executeUpdate();
    }
    try (PreparedStatement del = c.prepareStatement("delete from " + INFO_SCHEMA
        + ".TABLES where TABLE_SCHEMA = ? and TABLE_NAME = ?")) {
      del.setString(1, schema);
      del.setString(2, table);
      del.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("insert into " + INFO_SCHEMA
        + ".TABLES values (?, ?, ?, 'BASE TABLE', 0, 0, null)")) {
      ps.setString(1, name);
      ps.setString(2, schema);
      ps.setString(3, table);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("insert into " + INFO_SCHEMA
        + ".COLUMNS values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (Object[] row : infoRows) {
        for (int i = 0; i < row.length; i++) {
          ps.setObject(i + 1, row[i]);
        }
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Brings ROW_COUNT of INFORMATION_SCHEMA.TABLES up to date (Snowflake keeps it current). */
  void refreshRowCounts(Connection c) throws SQLException {
    List<String[]> tables = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select TABLE_SCHEMA, TABLE_NAME from " + INFO_SCHEMA + ".TABLES")) {
      while (rs.next()) {
        tables.add(new String[] {rs.getString(1), rs.getString(2)});
      }
    }
    for (String[] t : tables) {
      long n;
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select count(*) from " + quote(t[0]) + "." + quote(t[1]))) {
        rs.next();
        n = rs.getLong(1);
      }
      try (PreparedStatement ps = c.prepareStatement("update " + INFO_SCHEMA
          + ".TABLES set ROW_COUNT = ?, BYTES = ? where TABLE_SCHEMA = ? and TABLE_NAME = ?")) {
        ps.setLong(1, n);
        ps.setLong(2, n * 64);
        ps.setString(3, t[0]);
        ps.setString(4, t[1]);
        ps.executeUpdate();
      }
    }
  }

  // ---- results on the wire ----

  /** The type Snowflake would report for a result column. */
  SfType resultType(ResultSetMetaData md, int i) throws SQLException {
    String schema = md.getSchemaName(i);
    String table = md.getTableName(i);
    String column = md.getColumnName(i);
    if (schema != null && table != null && column != null) {
      SfType t = declared.get(List.of(schema.equals(INFO_SCHEMA) ? "INFORMATION_SCHEMA" : schema, table, column));
      if (t != null) {
        return t;
      }
    }
    switch (md.getColumnType(i)) {
      case Types.TINYINT:
      case Types.SMALLINT:
      case Types.INTEGER:
        return new SfType("NUMBER", 9, 0, -1);
      case Types.BIGINT:
        return new SfType("NUMBER", 18, 0, -1);
      case Types.NUMERIC:
      case Types.DECIMAL:
        return new SfType("NUMBER", Math.min(38, md.getPrecision(i)), Math.max(0, md.getScale(i)), -1);
      case Types.REAL:
      case Types.FLOAT:
      case Types.DOUBLE:
        return new SfType("FLOAT", -1, -1, -1);
      case Types.BOOLEAN:
        return new SfType("BOOLEAN", -1, -1, -1);
      case Types.DATE:
        return new SfType("DATE", -1, -1, -1);
      case Types.TIME:
        return new SfType("TIME", -1, 9, -1);
      case Types.TIMESTAMP:
        return new SfType("TIMESTAMP_NTZ", -1, 9, -1);
      case Types.TIMESTAMP_WITH_TIMEZONE:
        return new SfType("TIMESTAMP_TZ", -1, 9, -1);
      case Types.BINARY:
      case Types.VARBINARY:
        return new SfType("BINARY", -1, -1, 8388608);
      default:
        return new SfType("TEXT", -1, -1, 16777216);
    }
  }

  /**
   * A value as Snowflake's JSON result format carries it, always as text: numbers in plain decimal
   * notation, dates as days since 1970, times and timestamps as seconds since midnight or 1970 with
   * nine fractional digits (TIMESTAMP_TZ adds its offset in minutes plus 1440), binary as hex,
   * booleans as 1/0, semi-structured values as their JSON text.
   */
  static String encode(ResultSet rs, int i, SfType t) throws SQLException {
    switch (t.dataType()) {
      case "NUMBER": {
        BigDecimal v = rs.getBigDecimal(i);
        return v == null ? null : v.toPlainString();
      }
      case "FLOAT": {
        double v = rs.getDouble(i);
        if (rs.wasNull()) {
          return null;
        }
        return Double.isNaN(v) ? "NaN" : Double.isInfinite(v) ? (v > 0 ? "inf" : "-inf") : Double.toString(v);
      }
      case "BOOLEAN": {
        boolean v = rs.getBoolean(i);
        return rs.wasNull() ? null : v ? "1" : "0";
      }
      case "DATE": {
        LocalDate d = rs.getObject(i, LocalDate.class);
        return d == null ? null : Long.toString(d.toEpochDay());
      }
      case "TIME": {
        LocalTime v = rs.getObject(i, LocalTime.class);
        return v == null ? null : seconds(v.toSecondOfDay(), v.getNano());
      }
      case "TIMESTAMP_NTZ": {
        Object o = rs.getObject(i);
        if (o == null) {
          return null;
        }
        LocalDateTime v = rs.getObject(i, LocalDateTime.class);
        return seconds(v.toEpochSecond(ZoneOffset.UTC), v.getNano());
      }
      case "TIMESTAMP_LTZ": {
        OffsetDateTime v = rs.getObject(i, OffsetDateTime.class);
        return v == null ? null : seconds(v.toEpochSecond(), v.getNano());
      }
      case "TIMESTAMP_TZ": {
        OffsetDateTime v = rs.getObject(i, OffsetDateTime.class);
        return v == null ? null : seconds(v.toEpochSecond(), v.getNano()) + " "
            + (v.getOffset().getTotalSeconds() / 60 + 1440);
      }
      case "BINARY": {
        byte[] v = rs.getBytes(i);
        return v == null ? null : HexFormat.of().withUpperCase().formatHex(v);
      }
      default:
        return rs.getString(i);
    }
  }

  private static String seconds(long seconds, int nanos) {
    return seconds + "." + String.format(Locale.ROOT, "%09d", nanos);
  }

  // ---- small parsing helpers ----

  /** {@code a."b".c} as names with Snowflake's folding: unquoted to upper case, quoted unchanged. */
  static List<String> identifierPath(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("\"((?:[^\"]|\"\")+)\"|([A-Za-z_][\\w$]*)").matcher(text);
    while (m.find()) {
      out.add(m.group(1) != null ? m.group(1).replace("\"\"", "\"") : m.group(2).toUpperCase(Locale.ROOT));
    }
    return out;
  }

  private static String[] splitName(String def) {
    if (def.startsWith("\"")) {
      int end = def.indexOf('"', 1);
      return new String[] {def.substring(1, end), def.substring(end + 1).trim()};
    }
    Matcher m = Pattern.compile("^([A-Za-z_][\\w$]*)\\s+(.*)$", Pattern.DOTALL).matcher(def);
    if (!m.matches()) {
      throw new FakeSnowflakeError("001003", "42000", "SQL compilation error:\nsyntax error near " + def);
    }
    return new String[] {m.group(1).toUpperCase(Locale.ROOT), m.group(2).trim()};
  }

  private static List<String> splitTopLevel(String s) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '"' || ch == '\'') {
        quoted = !quoted;
      } else if (!quoted && ch == '(') {
        depth++;
      } else if (!quoted && ch == ')') {
        depth--;
      } else if (!quoted && depth == 0 && ch == ',') {
        out.add(s.substring(start, i));
        start = i + 1;
      }
    }
    out.add(s.substring(start));
    return out;
  }

  static String quote(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  @Override
  public void close() {
    try (Statement s = keepAlive.createStatement()) {
      s.execute("shutdown");
    } catch (SQLException e) {
      // already closed
    }
    try {
      keepAlive.close();
    } catch (SQLException e) {
      // nothing to do
    }
  }
}
