package io.gatehouse.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.gatehouse.core.spi.AdapterRegistry;
import io.gatehouse.core.spi.SourceAdapter;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads a configuration (YAML file, YAML text, or a map built in code) and validates all of it at
 * once. Source-type specific keys are read by the adapter registered for the type.
 */
public final class ConfigLoader {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);
  private static final Pattern SOURCE_ID = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,62}");
  private static final Pattern TABLE_PATTERN = Pattern.compile("[^.\\s]+(\\.[^.\\s]+)?");
  private static final Pattern DUPLICATE_KEY = Pattern.compile("Duplicate field '(.*)'");

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
      if (Files.isDirectory(file)) {
        throw new ConfigException(file.toString(), List.of(new ConfigProblem("",
            "is a directory; pass the path of a YAML configuration file")));
      }
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file.toString(), List.of(new ConfigProblem("",
          "file not found; pass the path of a YAML configuration file")));
    } catch (CharacterCodingException e) {
      throw new ConfigException(file.toString(), List.of(new ConfigProblem("",
          "is not UTF-8 text; save it with UTF-8 encoding")));
    } catch (IOException e) {
      throw new ConfigException(file.toString(), List.of(new ConfigProblem("",
          "cannot be read (" + e.getClass().getSimpleName() + "); check its permissions")));
    }
    return parse(text, file.toString());
  }

  /** Parses YAML text; {@code origin} names it in error messages (a file name). */
  public GatehouseConfig parse(String yaml, String origin) {
    JsonNode root;
    // The builder starts with no YAML parser features, unlike new YAMLFactory(): without
    // EMPTY_STRING_AS_NULL an empty value ('engine:' with its keys commented out) would be "".
    ObjectMapper mapper = new ObjectMapper(YAMLFactory.builder()
        .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
    try (JsonParser parser = mapper.getFactory().createParser(yaml)) {
      root = mapper.readTree(parser);
      // A second document ('---') would otherwise be dropped without a word.
      for (JsonToken t = parser.nextToken(); t != null; t = parser.nextToken()) {
        if (t != JsonToken.VALUE_NULL) {
          throw new ConfigException(origin, List.of(new ConfigProblem("",
              "holds more than one YAML document (a second one starts near line "
                  + parser.currentTokenLocation().getLineNr()
                  + "); put all keys in one document and remove the extra '---'")));
        }
      }
    } catch (JsonProcessingException e) {
      throw new ConfigException(origin, List.of(new ConfigProblem("", describeSyntaxError(e, yaml))));
    } catch (IOException e) {
      throw new ConfigException(origin, List.of(new ConfigProblem("",
          "cannot be read (" + e.getClass().getSimpleName() + ")")));
    }
    return fromTree(root, origin, true);
  }

  /**
   * Where and what, without SnakeYAML's excerpt of the offending line: that excerpt could show a
   * password written in the file.
   */
  private static String describeSyntaxError(JsonProcessingException e, String yaml) {
    if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) {
      Mark at = m.getProblemMark();
      int i = at.getIndex();
      if (i > 0 && i < yaml.length() && yaml.charAt(i) == '{' && yaml.charAt(i - 1) == '$') {
        // '{' cannot appear unquoted inside { } or [ ], so ${env:X} there must be quoted.
        return "is not valid YAML at line " + (at.getLine() + 1) + ", column " + at.getColumn()
            + ": a ${...} reference inside { } or [ ] must be quoted, e.g. password: \"${env:NAME}\"";
      }
      StringBuilder b = new StringBuilder("is not valid YAML at line ").append(at.getLine() + 1)
          .append(", column ").append(at.getColumn() + 1).append(": ").append(m.getProblem());
      if (m.getContext() != null) {
        b.append(" (").append(m.getContext());
        Mark from = m.getContextMark();
        if (from != null && (from.getLine() != at.getLine() || from.getColumn() != at.getColumn())) {
          b.append(" that starts at line ").append(from.getLine() + 1).append(", column ")
              .append(from.getColumn() + 1);
        }
        b.append(')');
      }
      return b.append("; check the indentation, quotes and brackets there").toString();
    }
    String where = e.getLocation() == null ? ""
        : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    Matcher dup = DUPLICATE_KEY.matcher(String.valueOf(e.getOriginalMessage()));
    if (dup.matches()) {
      return "key '" + dup.group(1) + "' appears twice in the same mapping" + where
          + "; keep only one of them";
    }
    return "is not valid YAML" + where + ": " + e.getOriginalMessage();
  }

  /**
   * Validates a configuration given as nested maps and lists, as a YAML document would be. Its
   * secrets may be plain text without {@code allowPlaintextSecrets}: they are values the program
   * already holds in memory, not text at rest (see {@link SecretResolver}).
   */
  public GatehouseConfig fromMap(Map<String, ?> map) {
    return fromTree(new ObjectMapper().valueToTree(map), "configuration", false);
  }

  GatehouseConfig fromTree(JsonNode root, String origin, boolean fromText) {
    ConfigProblems problems = new ConfigProblems();
    if (root == null || root.isMissingNode() || root.isNull()) {
      problems.add("", "is empty; it needs at least a 'sources:' list");
      problems.throwIfAny(origin);
    }
    if (!root.isObject()) {
      problems.add("", "must be a mapping with the keys engine, sources and server");
      problems.throwIfAny(origin);
    }
    SecretResolver secrets = new SecretResolver(environment, fromText);
    ConfigObject top = new ConfigObject("", root, problems, secrets);
    secrets.readSettings(top);
    EngineConfig engine = EngineConfig.read(top.object("engine"));
    // Every well-formed id, also of sources with other problems: a user naming such a source must
    // not get a second, misleading "unknown source" problem.
    Set<String> ids = new LinkedHashSet<>();
    List<SourceConfig> sources = readSources(top, problems, ids, engine.resultCache() != null);
    ServerConfig server = ServerConfig.read(top.object("server"), ids);
    AuditConfig audit = AuditConfig.read(top.object("audit"));
    top.finish();
    problems.throwIfAny(origin);
    for (String field : secrets.plaintextFields()) {
      LOG.warn("{}: {} holds a plain-text secret (allowed by allowPlaintextSecrets: true); outside"
          + " local development use ${env:NAME}, ${file:PATH} or 'gatehouse secret encrypt'",
          origin, field);
    }
    return new GatehouseConfig(engine, sources, server, audit);
  }

  private List<SourceConfig> readSources(ConfigObject top, ConfigProblems problems, Set<String> ids,
      boolean resultCacheOn) {
    List<SourceConfig> out = new ArrayList<>();
    if (!top.has("sources")) {
      top.problem("sources", "is required: list at least one source (id, type, host, ...)");
      return out;
    }
    int problemsBefore = problems.size();
    List<ConfigObject> entries = top.objectList("sources");
    if (entries.isEmpty() && problems.size() == problemsBefore) {
      top.problem("sources", "is an empty list: list at least one source (id, type, host, ...)");
    }
    Map<String, String> idToPath = new HashMap<>();
    for (ConfigObject s : entries) {
      String id = s.requiredString("id", "a short name; it becomes the schema name in SQL");
      if (id != null && !SOURCE_ID.matcher(id).matches()) {
        s.problem("id", "must start with a letter and hold only letters, digits and '_' (at most 63), got '" + id + "'");
        id = null;
      } else if (id != null && id.equalsIgnoreCase("gatehouse")) {
        s.problem("id", "'" + id + "' is reserved for Gatehouse's metadata schema"
            + " (SELECT * FROM gatehouse.metadata.columns); choose another id");
        id = null;
      } else if (id != null) {
        String previous = idToPath.putIfAbsent(id.toLowerCase(Locale.ROOT), s.path());
        if (previous != null) {
          s.problem("id", "duplicate source id '" + id + "' (also used by " + previous
              + "); ids must be unique, ignoring case");
        } else {
          ids.add(id);
        }
      }
      String type = s.requiredString("type", "one of: " + knownTypes());
      SourceAdapter adapter = null;
      if (type != null) {
        adapter = adapters.find(type).orElse(null);
        if (adapter == null) {
          s.problem("type", "unknown source type '" + type + "'; known types: " + knownTypes());
        }
      }
      boolean schemasGiven = s.has("schemas");
      int beforeSchemas = problems.size();
      List<String> schemas = s.stringList("schemas");
      if (schemasGiven && schemas.isEmpty() && problems.size() == beforeSchemas) {
        s.problem("schemas", "is an empty list: list at least one schema to expose, or remove the key"
            + " to expose the source type's default");
      }
      PoolConfig pool = PoolConfig.read(s.object("pool"));
      java.time.Duration timeout = s.duration("queryTimeout", java.time.Duration.ofMillis(1),
          java.time.Duration.ofDays(1), null);
      TableFilter tables = new TableFilter(patterns(s, "include"), patterns(s, "exclude"));
      SourceLimits limits = SourceLimits.read(s.object("limits"));
      ResultCacheConfig.Source resultCache = ResultCacheConfig.Source.read(s, "resultCache",
          resultCacheOn);
      SourceSettings settings = adapter == null ? null : adapter.readSettings(s);
      if (adapter != null) {
        s.finish();
      }
      if (id != null && adapter != null && settings != null) {
        if (schemas.isEmpty()) {
          schemas = adapter.defaultSchemas(settings);
        }
        out.add(new SourceConfig(id, adapter.type(), schemas, pool, timeout, settings, tables,
            limits, resultCache));
      }
    }
    return out;
  }

  /** Table patterns under {@code key}: {@code table} or {@code schema.table}, with * and ?. */
  private static List<String> patterns(ConfigObject s, String key) {
    List<String> list = s.stringList(key);
    for (int i = 0; i < list.size(); i++) {
      String p = list.get(i);
      if (!TABLE_PATTERN.matcher(p).matches()) {
        s.problem(key + "[" + s.indexInList(key, p) + "]", "'" + p + "' is not a table pattern;"
            + " write table or schema.table, with * for any characters and ? for one (e.g. sales.*"
            + " or *.tmp_*)");
      }
    }
    return list;
  }

  private String knownTypes() {
    List<String> names = adapters.typeNames();
    return names.isEmpty() ? "none (no source adapter is on the class path)" : String.join(", ", names);
  }
}
