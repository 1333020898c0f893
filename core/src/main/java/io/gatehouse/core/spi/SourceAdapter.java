package io.gatehouse.core.spi;

import io.gatehouse.core.config.ConfigObject;
import io.gatehouse.core.config.EngineConfig;
import io.gatehouse.core.config.SourceConfig;
import io.gatehouse.core.config.SourceSettings;
import java.util.List;
import java.util.Set;

/**
 * A source type (PostgreSQL, MySQL...). Adapters register themselves in
 * {@code META-INF/services/io.gatehouse.core.spi.SourceAdapter}; the core never names a source type.
 *
 * <p>An adapter supplies what differs per source: its configuration keys and their validation, and a
 * {@link SourceConnector} that opens secure pooled connections, knows the SQL dialect, reads the
 * catalog and maps types.
 */
public interface SourceAdapter {
  /** The canonical type name used in {@code type:} ({@code postgresql}). Lower case. */
  String type();

  /** Other names accepted in {@code type:} ({@code postgres}, {@code mariadb}). Lower case. */
  default Set<String> aliases() {
    return Set.of();
  }

  /**
   * Reads and validates the adapter's own keys of one source mapping, recording problems on
   * {@code source} rather than throwing. Keys the adapter does not read are reported as unknown.
   *
   * @return the settings, or null when they are unusable (problems were recorded)
   */
  SourceSettings readSettings(ConfigObject source);

  /** The schemas exposed when the config lists none ({@code public}; MySQL: the database). */
  List<String> defaultSchemas(SourceSettings settings);

  /** Creates the run-time side of one source. Must not connect yet: pools are created lazily. */
  SourceConnector connector(SourceConfig source, EngineConfig engine);
}
