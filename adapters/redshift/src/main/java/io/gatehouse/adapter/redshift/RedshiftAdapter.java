package io.gatehouse.adapter.redshift;

import io.gatehouse.core.config.ConfigObject;
import io.gatehouse.core.config.EngineConfig;
import io.gatehouse.core.config.SourceConfig;
import io.gatehouse.core.config.SourceSettings;
import io.gatehouse.core.spi.SourceAdapter;
import io.gatehouse.core.spi.SourceConnector;
import java.util.List;

/**
 * Amazon Redshift sources ({@code type: redshift}), through Amazon's redshift-jdbc42 driver with
 * password authentication. Keys: {@code host, port (5439), database, user, password, tls, caFile},
 * and Redshift's own {@code queryGroup} and {@code applicationName}; {@code schemas} defaults to
 * {@code [public]}. See {@link RedshiftSettings}.
 */
public final class RedshiftAdapter implements SourceAdapter {
  @Override
  public String type() {
    return "redshift";
  }

  @Override
  public SourceSettings readSettings(ConfigObject source) {
    return RedshiftSettings.read(source);
  }

  @Override
  public List<String> defaultSchemas(SourceSettings settings) {
    return List.of("public");
  }

  @Override
  public SourceConnector connector(SourceConfig source, EngineConfig engine) {
    return new RedshiftConnector(source, engine);
  }
}
