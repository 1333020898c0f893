package io.gatehouse.core.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A validated configuration: engine defaults, sources and the server section. Obtain one from
 * {@link ConfigLoader} (a YAML file or text, or a map built in code); every instance has passed
 * validation.
 */
public record GatehouseConfig(EngineConfig engine, List<SourceConfig> sources, ServerConfig server,
    AuditConfig audit) {
  public GatehouseConfig {
    sources = List.copyOf(sources);
    audit = audit == null ? AuditConfig.defaults() : audit;
  }

  /** A configuration with the default audit log (the {@code gatehouse.audit} logger). */
  public GatehouseConfig(EngineConfig engine, List<SourceConfig> sources, ServerConfig server) {
    this(engine, sources, server, AuditConfig.defaults());
  }

  /** The source with this id (ids match case-insensitively, like the SQL that names them). */
  public Optional<SourceConfig> source(String id) {
    return sources.stream().filter(s -> s.id().toLowerCase(Locale.ROOT).equals(id.toLowerCase(Locale.ROOT)))
        .findFirst();
  }
}
