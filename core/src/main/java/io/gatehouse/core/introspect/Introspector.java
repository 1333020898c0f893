package io.gatehouse.core.introspect;

import io.gatehouse.core.catalog.SourceCatalog;
import io.gatehouse.core.catalog.SourceCatalog.TableEntry;
import io.gatehouse.core.config.EngineConfig;
import io.gatehouse.core.error.GatehouseException;
import io.gatehouse.core.introspect.SourceModel.Column;
import io.gatehouse.core.introspect.SourceModel.ColumnProfile;
import io.gatehouse.core.introspect.SourceModel.ForeignKey;
import io.gatehouse.core.introspect.SourceModel.Key;
import io.gatehouse.core.introspect.SourceModel.Table;
import io.gatehouse.core.introspect.SourceModel.TableProfile;
import io.gatehouse.core.spi.ColumnInfo;
import io.gatehouse.core.spi.ConstraintInfo;
import io.gatehouse.core.spi.SourceConnector;
import io.gatehouse.core.spi.TableInfo;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@link SourceModel} of a source from its cached catalog (tables, columns and keys are
 * read with a fixed number of catalog queries, whatever the number of tables) and, when asked,
 * profiles each table from a bounded sample.
 *
 * <p>Profiling reads at most {@code min(sampleRows, engine.maxRows)} rows per table with the SQL
 * the adapter gives ({@link SourceConnector#sampleSql}: TABLESAMPLE where the source has it, names
 * quoted with the dialect), on the source's read-only, time-limited sessions. A table whose sample
 * fails keeps its structure and reports the error code in its profile.
 */
public final class Introspector {
  private static final Logger LOG = LoggerFactory.getLogger(Introspector.class);
  private static final int MAX_SAMPLE_TEXT = 100;

  private final SourceCatalog catalog;
  private final RelDataTypeFactory typeFactory;
  private final EngineConfig engine;

  public Introspector(SourceCatalog catalog, RelDataTypeFactory typeFactory, EngineConfig engine) {
    this.catalog = catalog;
    this.typeFactory = typeFactory;
    this.engine = engine;
  }

  /** The model of the source, limited to the options' table patterns. */
  public SourceModel introspect(IntrospectOptions options) {
    List<SourceModel.Schema> schemas = new ArrayList<>();
    for (Map.Entry<String, Map<String, TableEntry>> s : catalog.tablesBySchema().entrySet()) {
      List<Table> tables = new ArrayList<>();
      for (Map.Entry<String, TableEntry> t : s.getValue().entrySet()) {
        if (!options.tables().test(s.getKey(), t.getKey())) {
          continue;
        }
        try {
          tables.add(table(t.getValue(), options));
        } catch (RuntimeException | AssertionError e) {
          if (e instanceof GatehouseException g && g.code().name().startsWith("SOURCE")) {
            throw g;
          }
          LOG.warn("table {}.{}.{} is left out of the model: its columns cannot be described ({})",
              catalog.id(), s.getKey(), t.getKey(), e.getClass().getSimpleName());
        }
      }
      schemas.add(new SourceModel.Schema(s.getKey(), tables));
    }
    return new SourceModel(catalog.id(), catalog.connector().config().type(), schemas);
  }

  private Table table(TableEntry entry, IntrospectOptions options) {
    TableInfo info = entry.info();
    RelDataType rowType = entry.table().getRowType(typeFactory);
    Profile profile = options.profile() ? profile(info, options) : null;
    List<Column> columns = new ArrayList<>();
    List<RelDataTypeField> fields = rowType.getFieldList();
    for (int i = 0; i < info.columns().size(); i++) {
      ColumnInfo c = info.columns().get(i);
      RelDataType t = fields.get(i).getType();
      SqlTypeName name = t.getSqlTypeName();
      boolean string = SqlTypeFamily.CHARACTER.contains(t) || SqlTypeFamily.BINARY.contains(t);
      Integer precision = !string && name.allowsPrec() ? t.getPrecision() : null;
      Integer scale = name.allowsScale() ? t.getScale() : null;
      Integer length = string && t.getPrecision() > 0 ? t.getPrecision() : null;
      columns.add(new Column(c.name(), c.position(), c.sourceType(), sqlType(t),
          name.getJdbcOrdinal(), c.nullable(), c.defaultValue(), c.comment(), precision, scale,
          length, profile == null ? null : profile.columns.get(i)));
    }
    Key primaryKey = null;
    List<Key> unique = new ArrayList<>();
    List<ForeignKey> foreign = new ArrayList<>();
    for (ConstraintInfo k : entry.constraints()) {
      switch (k.kind()) {
        case PRIMARY_KEY -> primaryKey = new Key(k.name(), k.columns());
        case UNIQUE -> unique.add(new Key(k.name(), k.columns()));
        case FOREIGN_KEY -> foreign.add(new ForeignKey(k.name(), k.columns(),
            catalog.configuredSchema(k.refSchema()), k.refTable(), k.refColumns()));
      }
    }
    return new Table(info.name(), info.kind().name(), info.comment(),
        info.rowEstimate() < 0 ? null : Math.round(info.rowEstimate()),
        info.sizeBytes() < 0 ? null : info.sizeBytes(), columns, primaryKey, unique, foreign,
        profile == null ? null : profile.table);
  }

  /** The SQL type as written in SQL: {@code DECIMAL(12, 2)}, {@code VARCHAR(100)}, {@code DATE}. */
  static String sqlType(RelDataType t) {
    String s = t.getFullTypeString();
    return s.endsWith(" NOT NULL") ? s.substring(0, s.length() - " NOT NULL".length()) : s;
  }

  private record Profile(TableProfile table, List<ColumnProfile> columns) {}

  private Profile profile(TableInfo info, IntrospectOptions options) {
    int limit = (int) Math.max(1, Math.min(options.sampleRows(), engine.maxRows()));
    SourceConnector connector = catalog.connector();
    List<String> names = info.columns().stream().map(ColumnInfo::name).toList();
    String sql = connector.sampleSql(info.schema(), info.name(), names, info.rowEstimate(), limit);
    int n = names.size();
    List<Map<Object, Integer>> counts = new ArrayList<>();
    long[] nulls = new long[n];
    Object[] min = new Object[n];
    Object[] max = new Object[n];
    boolean[] ordered = new boolean[n];
    for (int i = 0; i < n; i++) {
      counts.add(new HashMap<>());
      ordered[i] = true;
    }
    long rows = 0;
    try (Connection c = connector.connection(); Statement st = c.createStatement()) {
      connector.configureStatement(st, catalog.connector().config().effectiveQueryTimeout(engine),
          Math.min(limit, engine.fetchSize()));
      st.setMaxRows(limit);
      try (ResultSet rs = st.executeQuery(sql)) {
        while (rows < limit && rs.next()) {
          rows++;
          for (int i = 0; i < n; i++) {
            Object v = rs.getObject(i + 1);
            if (v == null) {
              nulls[i]++;
              continue;
            }
            Object key = v instanceof byte[] b ? java.nio.ByteBuffer.wrap(b) : v;
            counts.get(i).merge(key, 1, Integer::sum);
            if (ordered[i]) {
              ordered[i] = updateRange(i, v, min, max);
            }
          }
        }
      }
    } catch (SQLException e) {
      GatehouseException g = connector.translate(e);
      return new Profile(new TableProfile(rows, false, g.code().name()), nullProfiles(n));
    } catch (GatehouseException g) {
      return new Profile(new TableProfile(rows, false, g.code().name()), nullProfiles(n));
    }
    boolean complete = rows < limit && !sql.contains("TABLESAMPLE");
    List<ColumnProfile> columns = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<Object, Integer> freq = counts.get(i);
      long distinct = complete ? freq.size() : estimateDistinct(freq, rows, info.rowEstimate());
      List<String> samples = freq.entrySet().stream()
          .sorted((a, b) -> Integer.compare(b.getValue(), a.getValue()))
          .limit(options.sampleValues()).map(e -> text(e.getKey())).toList();
      columns.add(new ColumnProfile(rows == 0 ? 0 : (double) nulls[i] / rows, distinct,
          ordered[i] ? text(min[i]) : null, ordered[i] ? text(max[i]) : null, samples));
    }
    return new Profile(new TableProfile(rows, complete, null), columns);
  }

  private static List<ColumnProfile> nullProfiles(int n) {
    List<ColumnProfile> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(null);
    }
    return out;
  }

  /** Keeps min and max of comparable values; false once a value has no order (or mixed classes). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static boolean updateRange(int i, Object v, Object[] min, Object[] max) {
    if (!(v instanceof Comparable) || v instanceof Boolean) {
      return false;
    }
    if (min[i] == null) {
      min[i] = v;
      max[i] = v;
      return true;
    }
    if (min[i].getClass() != v.getClass()) {
      return false;
    }
    if (((Comparable) v).compareTo(min[i]) < 0) {
      min[i] = v;
    }
    if (((Comparable) v).compareTo(max[i]) > 0) {
      max[i] = v;
    }
    return true;
  }

  /**
   * Distinct values of the whole table from a sample's frequencies, with the GEE estimator of
   * Charikar et al. (2000): {@code sqrt(N/n) * f1 + sum of f_j for j >= 2}, where f1 counts values
   * seen once. It is within a factor of {@code sqrt(N/n)} of the truth whatever the distribution;
   * the result is kept between the distinct values seen and the table's row estimate.
   */
  static long estimateDistinct(Map<Object, Integer> freq, long sampled, double tableRows) {
    if (sampled == 0) {
      return 0;
    }
    long once = freq.values().stream().filter(c -> c == 1).count();
    long more = freq.size() - once;
    double total = tableRows > sampled ? tableRows : sampled;
    double estimate = Math.sqrt(total / sampled) * once + more;
    return Math.max(freq.size(), Math.min(Math.round(estimate), Math.round(total)));
  }

  private static String text(Object v) {
    if (v == null) {
      return null;
    }
    String s = v instanceof java.nio.ByteBuffer b ? "0x" + java.util.HexFormat.of().formatHex(
        b.array(), 0, Math.min(b.remaining(), MAX_SAMPLE_TEXT / 2))
        : v instanceof java.math.BigDecimal d ? d.toPlainString() : String.valueOf(v);
    return s.length() > MAX_SAMPLE_TEXT ? s.substring(0, MAX_SAMPLE_TEXT) + "..." : s;
  }
}
