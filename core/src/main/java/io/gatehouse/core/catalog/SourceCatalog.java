package io.gatehouse.core.catalog;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.gatehouse.core.error.GatehouseException;
import io.gatehouse.core.plan.SourceConvention;
import io.gatehouse.core.config.TableFilter;
import io.gatehouse.core.spi.ColumnInfo;
import io.gatehouse.core.spi.ConstraintInfo;
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
import org.apache.calcite.util.ImmutableBitSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one source exposes: its schemas (from the configuration, no connection needed) and their
 * tables (read from the source in one pass, on first use, and cached for
 * {@code engine.metadataCacheTtl}).
 *
 * <p>All schemas of a source share one {@link SourceConvention}, so the planner can push a join
 * between tables of two schemas of the same source down as one statement.
 */
public final class SourceCatalog {
  private static final Logger LOG = LoggerFactory.getLogger(SourceCatalog.class);
  private static final Object KEY = new Object();

  private final SourceConnector connector;
  private final SourceConvention convention;
  private final List<String> schemaNames;
  private final ConnectorDataSource dataSource;
  private final LoadingCache<Object, Map<String, Map<String, TableEntry>>> tables;
  private volatile LoadStats lastLoad;
  /** Changes whenever what was read may change: at each catalog read and each refresh. */
  private final java.util.concurrent.atomic.AtomicLong generation =
      new java.util.concurrent.atomic.AtomicLong();

  /**
   * A table with what the source said about it.
   *
   * @param constraints its primary key, unique constraints and the foreign keys it declares
   */
  public record TableEntry(TableInfo info, JdbcTable table, List<ConstraintInfo> constraints) {
    public TableEntry {
      constraints = List.copyOf(constraints);
    }
  }

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
    this.tables = b.build(k -> {
      generation.incrementAndGet();
      return load();
    });
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

  /**
   * Reads the catalog ahead of need (the engine's warm-up). Unlike {@link #tablesBySchema} it never
   * joins or blocks a read a query started, and its result is kept only if nothing else read or
   * refreshed the catalog meanwhile: a warm-up that waited for a source coming up may have seen it
   * half-ready, while a query's own read since then has seen it as it is.
   *
   * @return what was read (or was already cached)
   */
  public Map<String, Map<String, TableEntry>> preload() {
    Map<String, Map<String, TableEntry>> cached = tables.getIfPresent(KEY);
    if (cached != null) {
      return cached;
    }
    long before = generation.get();
    Map<String, Map<String, TableEntry>> read = load();
    // Kept only if no query read and no refresh happened meanwhile; a read that is dropped must
    // not advance the generation, which would retire the plans and results of the read kept.
    // The first read of all does not advance it either: no plan can have used a catalog never
    // read, and every cached plan's key holds the generation of each source its session sees, so
    // advancing it would retire the plans (and results) of queries that never read this source.
    boolean kept = before == 0 ? generation.get() == 0 : generation.compareAndSet(before, before + 1);
    if (kept) {
      tables.asMap().putIfAbsent(KEY, read);
    }
    return read;
  }

  /**
   * The configured name of a schema the source spells {@code actual} (they differ in case for
   * sources that fold names), or {@code actual} when it is not an exposed schema.
   */
  public String configuredSchema(String actual) {
    if (actual == null || schemaNames.contains(actual)) {
      return actual;
    }
    return schemaNames.stream().filter(s -> s.equalsIgnoreCase(actual)).findFirst().orElse(actual);
  }

  /**
   * What the last read of the source's catalog cost.
   *
   * @param statements SQL statements the adapter sent (the same for 10 tables or 10,000)
   * @param millis wall time of the read
   * @param tables tables and views the source returned, before include/exclude patterns
   */
  public record LoadStats(int statements, long millis, int tables) {}

  /** The cost of the last catalog read, or null before the first. */
  public LoadStats lastLoad() {
    return lastLoad;
  }

  /** The connection, counting the statements created on it. */
  private static Connection counting(Connection c, java.util.concurrent.atomic.AtomicInteger count) {
    return (Connection) java.lang.reflect.Proxy.newProxyInstance(Connection.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
          String name = method.getName();
          if (name.equals("prepareStatement") || name.equals("createStatement")
              || name.equals("prepareCall")) {
            count.incrementAndGet();
          }
          try {
            return method.invoke(c, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  /** Forgets what was read, so the next use reads the source's catalog again. */
  public void refresh() {
    generation.incrementAndGet();
    tables.invalidateAll();
  }

  /**
   * A number that changes whenever the tables read from the source may have changed (a new read of
   * its catalog, a refresh). Plans made from an older generation are not reused.
   */
  public long generation() {
    return generation.get();
  }

  /** Reads the catalog; the caller advances the generation when it keeps what was read. */
  private Map<String, Map<String, TableEntry>> load() {
    List<TableInfo> infos;
    List<ConstraintInfo> constraints = List.of();
    long started = System.nanoTime();
    java.util.concurrent.atomic.AtomicInteger statements = new java.util.concurrent.atomic.AtomicInteger();
    try (Connection pooled = connector.connection()) {
      Connection c = counting(pooled, statements);
      infos = connector.readTables(c, schemaNames());
      try {
        constraints = connector.readConstraints(c, schemaNames());
      } catch (SQLException e) {
        // Keys only inform metadata and the planner; tables stay usable without them.
        LOG.warn("source '{}': keys could not be read ({}); tables are shown without them", id(),
            connector.translate(e).code());
      }
    } catch (SQLException e) {
      throw connector.translate(e);
    }
    lastLoad = new LoadStats(statements.get(), (System.nanoTime() - started) / 1_000_000, infos.size());
    TableFilter visible = connector.config().tables();
    Map<List<String>, List<ConstraintInfo>> byTable = new java.util.HashMap<>();
    for (ConstraintInfo k : constraints) {
      byTable.computeIfAbsent(List.of(k.schema(), k.table()), x -> new java.util.ArrayList<>()).add(k);
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
          : new JdbcSchema(dataSource, connector.dialect(), convention,
              connector.catalogQualifier(), real));
    }
    Map<String, Map<String, TableEntry>> bySchema = new LinkedHashMap<>();
    for (String s : schemaNames) {
      bySchema.put(s, new LinkedHashMap<>());
    }
    for (TableInfo info : infos) {
      String configured = configuredByActual.get(info.schema());
      if (configured == null || !visible.test(configured, info.name())) {
        continue; // not exposed: a schema we did not ask for, or a table filtered out
      }
      List<ConstraintInfo> keys = byTable.getOrDefault(List.of(info.schema(), info.name()), List.of())
          .stream().filter(k -> k.kind() != ConstraintInfo.Kind.FOREIGN_KEY
              || visible.test(configuredByActual.getOrDefault(k.refSchema(), k.refSchema()), k.refTable()))
          .toList();
      JdbcTable table = GatehouseJdbcBridge.table(jdbcSchemas.get(configured), info.name(),
          info.kind() == TableInfo.Kind.VIEW ? Schema.TableType.VIEW : Schema.TableType.TABLE,
          rowType(info), statistic(info, keys));
      bySchema.get(configured).put(info.name(), new TableEntry(info, table, keys));
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

  /**
   * Row estimate and unique keys. Without an estimate Calcite assumes 100 rows for every table,
   * which misleads join planning; declared keys tell it which joins cannot multiply rows.
   */
  private static Statistic statistic(TableInfo info, List<ConstraintInfo> constraints) {
    List<ImmutableBitSet> keys = new java.util.ArrayList<>();
    for (ConstraintInfo k : constraints) {
      if (k.kind() == ConstraintInfo.Kind.FOREIGN_KEY) {
        continue;
      }
      ImmutableBitSet.Builder b = ImmutableBitSet.builder();
      for (String column : k.columns()) {
        int i = indexOf(info, column);
        if (i < 0) {
          b = null;
          break;
        }
        b.set(i);
      }
      if (b != null) {
        keys.add(b.build());
      }
    }
    if (info.rowEstimate() < 0) {
      return keys.isEmpty() ? Statistics.UNKNOWN : Statistics.of(null, keys, null, null);
    }
    return Statistics.of(Math.max(1d, info.rowEstimate()), keys);
  }

  private static int indexOf(TableInfo info, String column) {
    for (int i = 0; i < info.columns().size(); i++) {
      if (info.columns().get(i).name().equals(column)) {
        return i;
      }
    }
    return -1;
  }
}
