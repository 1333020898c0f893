package io.gatehouse.adapter.mysql;

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
 * MySQL and MariaDB sources ({@code type: mysql} or {@code mariadb}), through MySQL Connector/J.
 * Keys: {@code host, port (3306), database, user, password, tls, caFile}. {@code schemas} lists the
 * databases to expose and defaults to {@code [database]}; one of the two must be given.
 */
public final class MySqlAdapter implements SourceAdapter {
  @Override
  public String type() {
    return "mysql";
  }

  @Override
  public Set<String> aliases() {
    return Set.of("mariadb");
  }

  @Override
  public SourceSettings readSettings(ConfigObject source) {
    boolean hasSchemas = source.has("schemas");
    NetworkSourceSettings s = NetworkSourceSettings.read(source, 3306, false);
    if (s.database() == null && !hasSchemas) {
      source.problem("database", "is required unless 'schemas' lists the databases to expose");
      return null;
    }
    return s;
  }

  @Override
  public List<String> defaultSchemas(SourceSettings settings) {
    // database is null only when schemas were given (readSettings checks); if that list was empty or
    // invalid a problem is already recorded, and there is nothing to default to.
    String database = ((NetworkSourceSettings) settings).database();
    return database == null ? List.of() : List.of(database);
  }

  @Override
  public SourceConnector connector(SourceConfig source, EngineConfig engine) {
    return new MySqlConnector(source, engine);
  }
}
