package io.gatehouse.core;

import io.gatehouse.core.catalog.SourceCatalog;
import io.gatehouse.core.catalog.SourceSchema;
import io.gatehouse.core.exec.SourceLimiter;
import io.gatehouse.core.spi.SourceConnector;

/**
 * One configured source inside an engine: its connector, its catalog, its Calcite schema and the
 * limiter of its concurrent queries (shared by every session of the engine).
 */
record SourceRuntime(SourceConnector connector, SourceCatalog catalog, SourceSchema schema,
    SourceLimiter limiter) {
  SourceRuntime(SourceConnector connector, SourceCatalog catalog, SourceSchema schema) {
    this(connector, catalog, schema,
        new SourceLimiter(connector.id(), connector.config().limits()));
  }

  String id() {
    return connector.id();
  }
}
