package io.gatehouse.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One configured source: the keys every source has, and the adapter's own {@link SourceSettings}.
 *
 * @param id the Calcite schema name of the source ({@code SELECT * FROM shop.public.orders})
 * @param type the adapter's canonical type name ({@code postgresql}, {@code mysql})
 * @param schemas what the source exposes (for MySQL/MariaDB, databases); everything else is invisible
 * @param queryTimeout overrides {@code engine.queryTimeout} for this source, or null
 * @param tables which tables of the exposed schemas are visible ({@code include}/{@code exclude})
 * @param limits how many queries may read the source at once, and how many may wait
 * @param resultCache whether (and how long) results of queries reading this source are cached
 */
public record SourceConfig(
    String id, String type, List<String> schemas, PoolConfig pool, Duration queryTimeout,
    SourceSettings settings, TableFilter tables, SourceLimits limits,
    ResultCacheConfig.Source resultCache) {

  public SourceConfig {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    schemas = List.copyOf(schemas);
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(settings, "settings");
    tables = tables == null ? TableFilter.ALL : tables;
    limits = limits == null ? SourceLimits.UNLIMITED : limits;
    resultCache = resultCache == null ? ResultCacheConfig.Source.DEFAULT : resultCache;
  }

  /** A source without concurrency limits, with the engine's result cache settings. */
  public SourceConfig(String id, String type, List<String> schemas, PoolConfig pool,
      Duration queryTimeout, SourceSettings settings, TableFilter tables) {
    this(id, type, schemas, pool, queryTimeout, settings, tables, SourceLimits.UNLIMITED,
        ResultCacheConfig.Source.DEFAULT);
  }

  /** A source whose tables are all visible. */
  public SourceConfig(String id, String type, List<String> schemas, PoolConfig pool,
      Duration queryTimeout, SourceSettings settings) {
    this(id, type, schemas, pool, queryTimeout, settings, TableFilter.ALL);
  }

  /** The source's timeout if set, else the engine's. */
  public Duration effectiveQueryTimeout(EngineConfig engine) {
    return queryTimeout != null ? queryTimeout : engine.queryTimeout();
  }
}
