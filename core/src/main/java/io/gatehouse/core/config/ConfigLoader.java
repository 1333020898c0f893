package io.gatehouse.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.gatehouse.core.spi.AdapterRegistry;
import io.gatehouse.core.spi.SourceAdapter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads a configuration (YAML file, YAML text, or a map built in code) and validates all of it at
 * once. Source-type specific keys are read by the adapter registered for the type.
 */
public final class ConfigLoader {
  private static final Pattern SOURCE_ID = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,62}");

  private final AdapterRegistry adapters;
  private final Map<String, String> environment;

  public ConfigLoader(AdapterRegistry adapters) {
    this(adapters, System.getenv());
  }

  /** With an explicit environment for {@code ${env:...}} references (tests). */
  public ConfigLoader(AdapterRegistry adapters, Map<String, String> environment) {
    this.adapters = adapters;
    this.environment = Map.copyOf(environment);
  }

  /** A loader with the adapters found on the class path. */
  public static ConfigLoader withDiscoveredAdapters() {
    return new ConfigLoader(AdapterRegistry.discover());
  }

  public GatehouseConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file.toString(), List.of(new ConfigProblem("",
          "file not found; pass the path of a YAML configuration file")));
    } catch (IOException e) {
      throw new ConfigException(file.toString(), List.of(new ConfigProblem("",
          "cannot be read (" + e.getClass().getSimpleName() + "); check its permissions")));
    }
    return parse(text, file.toString());
  }

  /** Parses YAML text; {@code origin} names it in error messages (a file name). */
  public GatehouseConfig parse(String yaml, String origin) {
    JsonNode root;
    try {
      ObjectMapper mapper = new ObjectMapper(YAMLFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
      mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      root = mapper.readTree(yaml);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new ConfigException(origin, List.of(new ConfigProblem("",
          "is not valid YAML" + where + ": " + e.getOriginalMessage())));
    }
    return fromTree(root, origin);
  }

  /** Validates a configuration given as nested maps and lists, as a YAML document would be. */
  public GatehouseConfig fromMap(Map<String, ?> map) {
    return fromTree(new ObjectMapper().valueToTree(map), "configuration");
  }

  GatehouseConfig fromTree(JsonNode root, String origin) {
    ConfigProblems problems = new ConfigProblems();
    if (root == null || root.isMissingNode() || root.isNull()) {
      problems.add("", "is empty; it needs at least a 'sources:' list");
      problems.throwIfAny(origin);
    }
    if (!root.isObject()) {
      problems.add("", "must be a mapping with the keys engine, sources and server");
      problems.throwIfAny(origin);
    }
    ConfigObject top = new ConfigObject("", root, problems, environment);
    EngineConfig engine = EngineConfig.read(top.object("engine"));
    List<SourceConfig> sources = readSources(top, problems);
    Set<String> ids = new TreeSet<>();
    sources.forEach(s -> ids.add(s.id().toLowerCase(Locale.ROOT)));
    ServerConfig server = ServerConfig.read(top.object("server"), ids);
    top.finish();
    problems.throwIfAny(origin);
    return new GatehouseConfig(engine, sources, server);
  }

  private List<SourceConfig> readSources(ConfigObject top, ConfigProblems problems) {
    List<SourceConfig> out = new ArrayList<>();
    if (!top.has("sources")) {
      top.problem("sources", "is required: list at least one source (id, type, host, ...)");
      return out;
    }
    Map<String, String> idToPath = new HashMap<>();
    for (ConfigObject s : top.objectList("sources")) {
      String id = s.requiredString("id", "a short name; it becomes the schema name in SQL");
      if (id != null && !SOURCE_ID.matcher(id).matches()) {
        s.problem("id", "must start with a letter and hold only letters, digits and '_' (at most 63), got '" + id + "'");
        id = null;
      } else if (id != null) {
        String previous = idToPath.putIfAbsent(id.toLowerCase(Locale.ROOT), s.path());
        if (previous != null) {
          s.problem("id", "duplicate source id '" + id + "' (also used by " + previous
              + "); ids must be unique, ignoring case");
        }
      }
      String type = s.requiredString("type", "one of: " + String.join(", ", adapters.typeNames()));
      SourceAdapter adapter = null;
      if (type != null) {
        adapter = adapters.find(type).orElse(null);
        if (adapter == null) {
          s.problem("type", "unknown source type '" + type + "'; known types: "
              + String.join(", ", adapters.typeNames()));
        }
      }
      List<String> schemas = s.stringList("schemas");
      PoolConfig pool = PoolConfig.read(s.object("pool"));
      java.time.Duration timeout = s.duration("queryTimeout", java.time.Duration.ofMillis(1),
          java.time.Duration.ofDays(1), null);
      SourceSettings settings = adapter == null ? null : adapter.readSettings(s);
      if (adapter != null) {
        s.finish();
      }
      if (id != null && adapter != null && settings != null) {
        if (schemas.isEmpty()) {
          schemas = adapter.defaultSchemas(settings);
        }
        out.add(new SourceConfig(id, adapter.type(), schemas, pool, timeout, settings));
      }
    }
    return out;
  }
}
