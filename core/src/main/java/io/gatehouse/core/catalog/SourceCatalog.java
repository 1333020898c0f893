package io.gatehouse.core.catalog;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.gatehouse.core.error.GatehouseException;
import io.gatehouse.core.plan.SourceConvention;
import io.gatehouse.core.spi.ColumnInfo;
import io.gatehouse.core.spi.SourceConnector;
import io.gatehouse.core.spi.TableInfo;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.adapter.jdbc.GatehouseJdbcBridge;
import org.apache.calcite.adapter.jdbc.JdbcSchema;
import org.apache.calcite.adapter.jdbc.JdbcTable;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelProtoDataType;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.Statistic;
import org.apache.calcite.schema.Statistics;

/**
 * What one source exposes: its schemas (from the configuration, no connection needed) and their
 * tables (read from the source in one pass, on first use, and cached for
 * {@code engine.metadataCacheTtl}).
 *
 * <p>All schemas of a source share one {@link SourceConvention}, so the planner can push a join
 * between tables of two schemas of the same source down as one statement.
 */
public final class SourceCatalog {
  private static final Object KEY = new Object();

  private final SourceConnector connector;
  private final SourceConvention convention;
  private final List<String> schemaNames;
  private final ConnectorDataSource dataSource;
  private final LoadingCache<Object, Map<String, Map<String, TableEntry>>> tables;

  /** A table with what the source said about it. */
  public record TableEntry(TableInfo info, JdbcTable table) {}

  public SourceCatalog(SourceConnector connector, Duration ttl) {
    this.connector = connector;
    this.convention = SourceConvention.of(connector);
    this.dataSource = new ConnectorDataSource(connector);
    this.schemaNames = List.copyOf(connector.config().schemas());
    Caffeine<Object, Object> b = Caffeine.newBuilder().maximumSize(1);
    if (!ttl.isZero()) {
      b.expireAfterWrite(ttl);
    } else {
      b.expireAfterWrite(Duration.ofNanos(1));
    }
    this.tables = b.build(k -> load());
  }

  public SourceConnector connector() {
    return connector;
  }

  public SourceConvention convention() {
    return convention;
  }

  public String id() {
    return connector.id();
  }

  /** The exposed schema names, as configured. */
  public List<String> schemaNames() {
    return schemaNames;
  }

  /** The tables of one schema by name, reading the source's catalog if not cached. */
  public Map<String, TableEntry> tables(String schema) {
    Map<String, TableEntry> m = tablesBySchema().get(schema);
    return m == null ? Map.of() : m;
  }

  /** All tables by schema, reading the source's catalog if not cached. */
  public Map<String, Map<String, TableEntry>> tablesBySchema() {
    try {
      return tables.get(KEY);
    } catch (RuntimeException e) {
      Throwable t = e;
      while (t != null && !(t instanceof GatehouseException)) {
        t = t.getCause();
      }
      throw t instanceof GatehouseException g ? g : e;
    }
  }

  /** Forgets what was read, so the next use reads the source's catalog again. */
  public void refresh() {
    tables.invalidateAll();
  }

  private Map<String, Map<String, TableEntry>> load() {
    List<TableInfo> infos;
    try (Connection c = connector.connection()) {
      infos = connector.readTables(c, schemaNames());
    } catch (SQLException e) {
      throw connector.translate(e);
    }
    // Configured names match the source's own names exactly, or else ignoring case (sources that
    // fold unquoted names to upper case report PUBLIC for a configured 'public'). Generated SQL
    // must use the source's spelling.
    java.util.Set<String> actual = new java.util.LinkedHashSet<>();
    infos.forEach(t -> actual.add(t.schema()));
    Map<String, String> configuredByActual = new LinkedHashMap<>();
    Map<String, JdbcSchema> jdbcSchemas = new LinkedHashMap<>();
    for (String configured : schemaNames) {
      String real = actual.contains(configured) ? configured : actual.stream()
          .filter(a -> a.equalsIgnoreCase(configured)).findFirst().orElse(configured);
      configuredByActual.put(real, configured);
      jdbcSchemas.put(configured, connector.schemasAreCatalogs()
          ? new JdbcSchema(dataSource, connector.dialect(), convention, real, null)
          : new JdbcSchema(dataSource, connector.dialect(), convention, null, real));
    }
    Map<String, Map<String, TableEntry>> bySchema = new LinkedHashMap<>();
    for (String s : schemaNames) {
      bySchema.put(s, new LinkedHashMap<>());
    }
    for (TableInfo info : infos) {
      String configured = configuredByActual.get(info.schema());
      if (configured == null) {
        continue; // not exposed (the source matched a schema name we did not ask for)
      }
      JdbcTable table = GatehouseJdbcBridge.table(jdbcSchemas.get(configured), info.name(),
          info.kind() == TableInfo.Kind.VIEW ? Schema.TableType.VIEW : Schema.TableType.TABLE,
          rowType(info), statistic(info));
      bySchema.get(configured).put(info.name(), new TableEntry(info, table));
    }
    bySchema.replaceAll((k, v) -> Collections.unmodifiableMap(v));
    return Collections.unmodifiableMap(bySchema);
  }

  private RelProtoDataType rowType(TableInfo info) {
    return (RelDataTypeFactory tf) -> {
      RelDataTypeFactory.Builder b = tf.builder();
      for (ColumnInfo c : info.columns()) {
        b.add(c.name(), connector.mapType(c).toRelDataType(tf, c.nullable()));
      }
      return b.build();
    };
  }

  private static Statistic statistic(TableInfo info) {
    // Without an estimate Calcite assumes 100 rows for every table, which misleads join planning.
    return info.rowEstimate() >= 0 ? Statistics.of(Math.max(1d, info.rowEstimate()), List.of())
        : Statistics.UNKNOWN;
  }
}
