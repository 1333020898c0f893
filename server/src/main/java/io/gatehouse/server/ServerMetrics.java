package io.gatehouse.server;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.QueryEvent;
import io.gatehouse.core.spi.SourceConnector;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.ToDoubleFunction;

/**
 * The server's metrics in Prometheus text format (Micrometer): queries by outcome, errors by code,
 * latency, rows returned, pool usage per source, open JDBC connections. Labels never carry SQL,
 * user names or anything a client typed (unbounded and possibly sensitive); only source ids and
 * error codes, which come from the configuration and the code.
 */
final class ServerMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Timer latency;
  private final DistributionSummary rows;

  ServerMetrics(Gatehouse engine, ServerMeta meta) {
    latency = Timer.builder("gatehouse.query.duration")
        .description("Time from preparing a query to closing its result")
        .publishPercentileHistogram()
        .register(registry);
    rows = DistributionSummary.builder("gatehouse.query.rows")
        .description("Rows returned per query")
        .register(registry);
    engine.addQueryListener(this::record);
    for (String id : engine.sourceIds()) {
      SourceConnector c = engine.connector(id);
      pool("active", id, c, s -> s.poolStats().active());
      pool("idle", id, c, s -> s.poolStats().idle());
      pool("total", id, c, s -> s.poolStats().total());
      pool("waiting", id, c, s -> s.poolStats().waiting());
      queries("running", id, engine, l -> l.running());
      queries("queued", id, engine, l -> l.queued());
    }
    Gauge.builder("gatehouse.engine.memory.reserved", engine, e -> e.memory().reserved())
        .description("Bytes of engine.memoryBudget reserved by running queries' joins, sorts and"
            + " aggregates")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("gatehouse.engine.memory.budget", engine, e -> e.memory().budget())
        .description("engine.memoryBudget")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("gatehouse.server.connections", meta, ServerMeta::openConnections)
        .description("Open JDBC connections")
        .register(registry);
  }

  private void pool(String state, String source, SourceConnector c,
      ToDoubleFunction<SourceConnector> value) {
    Gauge.builder("gatehouse.pool.connections", c, value)
        .description("Connections of a source's pool by state")
        .tag("source", source)
        .tag("state", state)
        .register(registry);
  }

  /** Queries holding a slot of a source, and waiting for one (its limits). */
  private void queries(String state, String source, Gatehouse engine,
      ToDoubleFunction<io.gatehouse.core.exec.SourceLimiter.Load> value) {
    Gauge.builder("gatehouse.source.queries", engine, e -> value.applyAsDouble(e.sourceLoad(source)))
        .description("Queries of a source by state: running (holding a slot) or queued")
        .tag("source", source)
        .tag("state", state)
        .register(registry);
  }

  private void record(QueryEvent e) {
    String outcome = e.succeeded() ? "ok" : "error";
    Counter.builder("gatehouse.queries")
        .description("Queries by outcome")
        .tag("outcome", outcome)
        .register(registry)
        .increment();
    if (!e.succeeded()) {
      Counter.builder("gatehouse.query.errors")
          .description("Failed queries by error code")
          .tag("code", e.outcome().name())
          .register(registry)
          .increment();
    }
    if (e.truncated()) {
      Counter.builder("gatehouse.query.truncated").description("Results cut by the row cap")
          .register(registry).increment();
    }
    latency.record(e.duration());
    rows.record(e.rows());
  }

  /** The scrape text. */
  String scrape() {
    return registry.scrape();
  }
}
