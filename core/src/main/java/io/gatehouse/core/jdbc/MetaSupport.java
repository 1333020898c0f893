package io.gatehouse.core.jdbc;

import io.gatehouse.core.Column;
import io.gatehouse.core.PreparedQuery;
import io.gatehouse.core.QueryOptions;
import io.gatehouse.core.QueryResult;
import io.gatehouse.core.Session;
import io.gatehouse.core.TableDescription;
import io.gatehouse.core.error.GatehouseException;
import io.gatehouse.core.exec.Failures;
import io.gatehouse.core.spi.ColumnInfo;
import io.gatehouse.core.spi.ConstraintInfo;
import io.gatehouse.core.spi.TableInfo;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.MetaImpl;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;

/**
 * What the in-process driver's Meta and the server's Meta share: signatures, result frames,
 * metadata result sets and error conversion. Both present a {@link Session} through Avatica; they
 * differ only in how connections and statements are tracked.
 */
public final class MetaSupport {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MetaSupport.class);

  private MetaSupport() {}

  /** Rows of a metadata result set with their columns; rows are arrays. */
  public record MetaRows(List<ColumnMetaData> columns, List<Object> rows) {}

  /** The Avatica signature of a prepared query: columns, parameters, array rows. */
  public static Meta.Signature signature(PreparedQuery q, String sql) {
    List<ColumnMetaData> columns = new ArrayList<>();
    for (int i = 0; i < q.columns().size(); i++) {
      columns.add(JdbcValues.columnMetaData(q.columns().get(i), i));
    }
    List<AvaticaParameter> params = new ArrayList<>();
    for (Column p : q.parameters()) {
      params.add(JdbcValues.parameter(p));
    }
    return new Meta.Signature(columns, sql, params, Map.of(), Meta.CursorFactory.ARRAY,
        Meta.StatementType.SELECT);
  }

  /** The current row of a result in Avatica's wire representation. */
  public static Object[] frameRow(QueryResult result, List<Column> columns, TimeZone zone) {
    return frameRow(result, columns, zone, false);
  }

  /**
   * The current row of a result in Avatica's representation; with {@code exact}, in the form the
   * in-process result set reads (values that keep microseconds, see {@link JdbcValues}).
   */
  static Object[] frameRow(QueryResult result, List<Column> columns, TimeZone zone, boolean exact) {
    Object[] row = new Object[columns.size()];
    for (int i = 0; i < row.length; i++) {
      row[i] = JdbcValues.toFrameValue(result.get(i), columns.get(i), zone, exact);
    }
    return row;
  }

  /**
   * Reads up to {@code max} more rows of a result.
   *
   * @return the frame; {@code done} when the result is exhausted
   */
  public static Meta.Frame nextFrame(QueryResult result, List<Column> columns, TimeZone zone,
      long offset, int max) {
    List<Object> rows = new ArrayList<>();
    boolean done = nextRows(result, columns, zone, max, rows::add);
    return new Meta.Frame(offset, done, rows);
  }

  /**
   * Hands up to {@code max} rows of {@code result} to {@code sink}, each as {@link #frameRow};
   * returns whether the result ended.
   */
  public static boolean nextRows(QueryResult result, List<Column> columns, TimeZone zone, int max,
      java.util.function.Consumer<Object[]> sink) {
    for (int n = 0; n < max; n++) {
      if (!call(result::next)) {
        return true;
      }
      sink.accept(frameRow(result, columns, zone));
    }
    return false;
  }

  /** Options for one run from a JDBC {@code maxRows}. */
  public static QueryOptions options(long maxRowCount) {
    return maxRowCount > 0 ? QueryOptions.defaults().withMaxRows(maxRowCount) : QueryOptions.defaults();
  }

  // ---- metadata ----

  public static MetaRows catalogs(Session session) {
    List<Object> rows = new ArrayList<>();
    for (String id : session.sourceIds()) {
      rows.add(new MetadataRows.CatalogRow(id));
    }
    return rows(MetadataRows.CatalogRow.class, rows);
  }

  public static MetaRows schemas(Session session, String catalog, Meta.Pat schemaPattern) {
    List<Object> rows = new ArrayList<>();
    Pattern schemaRe = like(schemaPattern);
    for (String id : session.sourceIds()) {
      if (!catalogMatches(catalog, id)) {
        continue;
      }
      for (String schema : session.schemaNames(id)) {
        if (schemaRe.matcher(schema).matches()) {
          rows.add(new MetadataRows.SchemaRow(schema, id));
        }
      }
    }
    return rows(MetadataRows.SchemaRow.class, rows);
  }

  public static MetaRows tableTypes() {
    return rows(MetadataRows.TableTypeRow.class,
        List.of(new MetadataRows.TableTypeRow("TABLE"), new MetadataRows.TableTypeRow("VIEW")));
  }

  public static MetaRows tables(Session session, String catalog, Meta.Pat schemaPattern,
      Meta.Pat tableNamePattern, List<String> typeList) {
    Pattern schemaRe = like(schemaPattern);
    Pattern tableRe = like(tableNamePattern);
    List<Object> rows = new ArrayList<>();
    for (TableDescription t : describe(session, catalog)) {
      String type = t.info().kind() == TableInfo.Kind.VIEW ? "VIEW" : "TABLE";
      if (schemaRe.matcher(t.schema()).matches() && tableRe.matcher(t.info().name()).matches()
          && (typeList == null || typeList.contains(type))) {
        rows.add(new MetadataRows.TableRow(t.sourceId(), t.schema(), t.info().name(), type,
            t.info().comment()));
      }
    }
    return rows(MetadataRows.TableRow.class, rows);
  }

  public static MetaRows columns(Session session, String catalog, Meta.Pat schemaPattern,
      Meta.Pat tableNamePattern, Meta.Pat columnNamePattern) {
    Pattern schemaRe = like(schemaPattern);
    Pattern tableRe = like(tableNamePattern);
    Pattern columnRe = like(columnNamePattern);
    List<Object> rows = new ArrayList<>();
    for (TableDescription t : describe(session, catalog)) {
      if (!schemaRe.matcher(t.schema()).matches()
          || !tableRe.matcher(t.info().name()).matches()) {
        continue;
      }
      List<ColumnInfo> infos = t.info().columns();
      for (int i = 0; i < infos.size(); i++) {
        ColumnInfo ci = infos.get(i);
        if (!columnRe.matcher(ci.name()).matches()) {
          continue;
        }
        Column c = t.columns().get(i);
        int jdbcType = JdbcValues.jdbcType(c);
        Integer size = c.precision() > 0 ? c.precision() : null;
        Integer digits = jdbcType == Types.DECIMAL ? c.scale() : null;
        Integer radix = isNumeric(jdbcType) ? 10 : null;
        Integer octets = jdbcType == Types.VARCHAR || jdbcType == Types.CHAR ? size : null;
        rows.add(new MetadataRows.ColumnRow(t.sourceId(), t.schema(), t.info().name(),
            ci.name(), jdbcType, c.typeName(), size, digits, radix, ci.nullable(), ci.comment(),
            ci.defaultValue(), octets, i + 1));
      }
    }
    return rows(MetadataRows.ColumnRow.class, rows);
  }

  /** getPrimaryKeys: the primary key columns of one table (null schema = any), in key order. */
  public static MetaRows primaryKeys(Session session, String catalog, String schema, String table) {
    List<Object> rows = new ArrayList<>();
    for (TableDescription t : describe(session, catalog)) {
      if (!t.info().name().equals(table) || (schema != null && !schema.equals(t.schema()))) {
        continue;
      }
      for (ConstraintInfo k : t.constraints()) {
        if (k.kind() == ConstraintInfo.Kind.PRIMARY_KEY) {
          for (int i = 0; i < k.columns().size(); i++) {
            rows.add(new MetadataRows.PrimaryKeyRow(t.sourceId(), t.schema(), t.info().name(),
                k.columns().get(i), (short) (i + 1), k.name()));
          }
        }
      }
    }
    rows.sort(java.util.Comparator.comparing((Object r) -> ((MetadataRows.PrimaryKeyRow) r).columnName));
    return rows(MetadataRows.PrimaryKeyRow.class, rows);
  }

  /**
   * getImportedKeys ({@code exported} false: the foreign keys the table declares) or
   * getExportedKeys (true: the foreign keys of other tables that reference it), ordered as JDBC
   * asks (by the other table, then key sequence).
   */
  public static MetaRows foreignKeys(Session session, String catalog, String schema, String table,
      boolean exported) {
    List<TableDescription> all = describe(session, catalog);
    List<MetadataRows.ForeignKeyRow> rows = new ArrayList<>();
    for (TableDescription t : all) {
      for (ConstraintInfo k : t.constraints()) {
        if (k.kind() != ConstraintInfo.Kind.FOREIGN_KEY) {
          continue;
        }
        String refSchema = session.configuredSchemaOf(t.sourceId(), k.refSchema());
        boolean fkSide = t.info().name().equals(table) && (schema == null || schema.equals(t.schema()));
        boolean pkSide = k.refTable().equals(table) && (schema == null || schema.equals(refSchema));
        if (exported ? !pkSide : !fkSide) {
          continue;
        }
        String pkName = referencedKeyName(all, t.sourceId(), refSchema, k);
        for (int i = 0; i < k.columns().size() && i < k.refColumns().size(); i++) {
          rows.add(new MetadataRows.ForeignKeyRow(t.sourceId(), refSchema, k.refTable(),
              k.refColumns().get(i), t.schema(), t.info().name(), k.columns().get(i), (short) (i + 1),
              k.name(), pkName));
        }
      }
    }
    rows.sort(exported
        ? java.util.Comparator.comparing((MetadataRows.ForeignKeyRow r) -> r.fktableSchem)
            .thenComparing(r -> r.fktableName).thenComparing(r -> r.keySeq)
        : java.util.Comparator.comparing((MetadataRows.ForeignKeyRow r) -> r.pktableSchem)
            .thenComparing(r -> r.pktableName).thenComparing(r -> r.keySeq));
    return rows(MetadataRows.ForeignKeyRow.class, new ArrayList<>(rows));
  }

  /** The name of the primary or unique key a foreign key points at, or null if not visible. */
  private static String referencedKeyName(List<TableDescription> all, String source, String schema,
      ConstraintInfo fk) {
    for (TableDescription t : all) {
      if (t.sourceId().equals(source) && t.schema().equals(schema) && t.info().name().equals(fk.refTable())) {
        for (ConstraintInfo k : t.constraints()) {
          if (k.kind() != ConstraintInfo.Kind.FOREIGN_KEY
              && new java.util.HashSet<>(k.columns()).equals(new java.util.HashSet<>(fk.refColumns()))) {
            return k.name();
          }
        }
      }
    }
    return null;
  }

  /** The columns of an empty result for a metadata call Gatehouse does not answer yet. */
  public static MetaRows empty(Class<?> avaticaRowClass) {
    return new MetaRows(Fields.of(avaticaRowClass), List.of());
  }

  private static List<TableDescription> describe(Session session, String catalog) {
    List<TableDescription> out = new ArrayList<>();
    for (String id : session.sourceIds()) {
      if (!catalogMatches(catalog, id)) {
        continue;
      }
      try {
        out.addAll(session.describeTables(id));
      } catch (GatehouseException e) {
        // A source that is down must not break browsing of the others.
        LOG.warn("metadata of source '{}' is unavailable: {}", id, e.getMessage());
      }
    }
    return out;
  }

  private static boolean isNumeric(int jdbcType) {
    switch (jdbcType) {
      case Types.TINYINT: case Types.SMALLINT: case Types.INTEGER: case Types.BIGINT:
      case Types.DECIMAL: case Types.REAL: case Types.DOUBLE: case Types.FLOAT:
        return true;
      default:
        return false;
    }
  }

  private static boolean catalogMatches(String catalog, String id) {
    return catalog == null || catalog.equalsIgnoreCase(id);
  }

  /** A JDBC LIKE pattern ({@code %}, {@code _}, backslash escapes) as a regex; null matches all. */
  public static Pattern like(Meta.Pat pat) {
    String p = pat == null ? null : pat.s;
    if (p == null) {
      return Pattern.compile(".*", Pattern.DOTALL);
    }
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c == '\\' && i + 1 < p.length()) {
        re.append(Pattern.quote(String.valueOf(p.charAt(++i))));
      } else if (c == '%') {
        re.append(".*");
      } else if (c == '_') {
        re.append('.');
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }

  /** Metadata rows as arrays (they serialize over the wire as well as they iterate locally). */
  static MetaRows rows(Class<?> rowClass, List<Object> rows) {
    List<ColumnMetaData> columns = Fields.of(rowClass);
    List<Field> fields = new ArrayList<>();
    for (Field f : rowClass.getFields()) {
      if (!Modifier.isStatic(f.getModifiers())) {
        fields.add(f);
      }
    }
    List<Object> arrays = new ArrayList<>(rows.size());
    try {
      for (Object row : rows) {
        Object[] a = new Object[fields.size()];
        for (int i = 0; i < a.length; i++) {
          a[i] = fields.get(i).get(row);
        }
        arrays.add(a);
      }
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
    return new MetaRows(columns, arrays);
  }

  /** Reaches Avatica's protected helper that derives column metadata from a row class. */
  private abstract static class Fields extends MetaImpl {
    private Fields() {
      super(null);
    }

    static List<ColumnMetaData> of(Class<?> rowClass) {
      return fieldMetaData(rowClass).columns;
    }
  }

  // ---- errors ----

  /** Runs engine code; any failure leaves as a coded Avatica exception. */
  public static <T> T call(Supplier<T> c) {
    try {
      return c.get();
    } catch (Throwable t) {
      throw clientError(Failures.toGatehouse(t));
    }
  }

  /** In process: the exception Avatica turns into an SQLException with our SQLState and code. */
  public static AvaticaClientRuntimeException clientError(GatehouseException e) {
    return new AvaticaClientRuntimeException(e.getMessage(), e.code().vendorCode(), e.sqlState(),
        AvaticaSeverity.ERROR, List.of(), null);
  }

  /** In the server: the exception Avatica's handlers turn into an error response with our code. */
  public static AvaticaRuntimeException serverError(GatehouseException e) {
    return new AvaticaRuntimeException(e.getMessage(), e.code().vendorCode(), e.sqlState(),
        AvaticaSeverity.ERROR);
  }
}
