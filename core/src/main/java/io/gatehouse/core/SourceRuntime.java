package io.gatehouse.core;

import io.gatehouse.core.catalog.SourceCatalog;
import io.gatehouse.core.catalog.SourceSchema;
import io.gatehouse.core.spi.SourceConnector;

/** One configured source inside an engine: its connector, its catalog and its Calcite schema. */
record SourceRuntime(SourceConnector connector, SourceCatalog catalog, SourceSchema schema) {
  String id() {
    return connector.id();
  }
}
