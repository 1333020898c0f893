package io.gatehouse.adapter.bigquery;

import io.gatehouse.core.config.ConfigObject;
import io.gatehouse.core.config.EngineConfig;
import io.gatehouse.core.config.SourceConfig;
import io.gatehouse.core.config.SourceSettings;
import io.gatehouse.core.spi.SourceAdapter;
import io.gatehouse.core.spi.SourceConnector;
import java.util.List;

/**
 * Google BigQuery sources ({@code type: bigquery}). Keys: {@code project, datasets (or schemas),
 * location, serviceAccountKey, maximumBytesBilled, jobTimeout, labels, endpoint}; see
 * {@link BigQuerySettings} and docs/adapters/bigquery.md.
 */
public final class BigQueryAdapter implements SourceAdapter {
  @Override
  public String type() {
    return "bigquery";
  }

  @Override
  public SourceSettings readSettings(ConfigObject source) {
    return BigQuerySettings.read(source);
  }

  @Override
  public List<String> defaultSchemas(SourceSettings settings) {
    return ((BigQuerySettings) settings).datasets();
  }

  @Override
  public SourceConnector connector(SourceConfig source, EngineConfig engine) {
    return new BigQueryConnector(source, engine);
  }
}
