package io.gatehouse.adapter.snowflake;

import io.gatehouse.core.config.ConfigObject;
import io.gatehouse.core.config.EngineConfig;
import io.gatehouse.core.config.SourceConfig;
import io.gatehouse.core.config.SourceSettings;
import io.gatehouse.core.spi.SourceAdapter;
import io.gatehouse.core.spi.SourceConnector;
import java.util.List;

/**
 * Snowflake sources ({@code type: snowflake}). Keys: {@code account, user, password} or
 * {@code privateKey} (+ {@code privateKeyPassphrase}), {@code database, warehouse, schema, role},
 * and {@code host, port, tls} to reach it; {@code schemas} defaults to {@code [schema]}, else
 * {@code [PUBLIC]}. See docs/adapters/snowflake.md.
 */
public final class SnowflakeAdapter implements SourceAdapter {
  @Override
  public String type() {
    return "snowflake";
  }

  @Override
  public SourceSettings readSettings(ConfigObject source) {
    return SnowflakeSettings.read(source);
  }

  @Override
  public List<String> defaultSchemas(SourceSettings settings) {
    SnowflakeSettings s = (SnowflakeSettings) settings;
    return List.of(s.schema() != null ? s.schema() : "PUBLIC");
  }

  @Override
  public SourceConnector connector(SourceConfig source, EngineConfig engine) {
    return new SnowflakeConnector(source, engine);
  }
}
