package io.gatehouse.adapter.postgresql;

import io.gatehouse.core.config.ConfigObject;
import io.gatehouse.core.config.EngineConfig;
import io.gatehouse.core.config.NetworkSourceSettings;
import io.gatehouse.core.config.SourceConfig;
import io.gatehouse.core.config.SourceSettings;
import io.gatehouse.core.spi.SourceAdapter;
import io.gatehouse.core.spi.SourceConnector;
import java.util.List;
import java.util.Set;

/**
 * PostgreSQL sources ({@code type: postgresql}). Keys: {@code host, port (5432), database, user,
 * password, tls, caFile}; {@code schemas} defaults to {@code [public]}.
 */
public final class PostgresAdapter implements SourceAdapter {
  @Override
  public String type() {
    return "postgresql";
  }

  @Override
  public Set<String> aliases() {
    return Set.of("postgres");
  }

  @Override
  public SourceSettings readSettings(ConfigObject source) {
    return NetworkSourceSettings.read(source, 5432, true);
  }

  @Override
  public List<String> defaultSchemas(SourceSettings settings) {
    return List.of("public");
  }

  @Override
  public SourceConnector connector(SourceConfig source, EngineConfig engine) {
    return new PostgresConnector(source, engine);
  }
}
