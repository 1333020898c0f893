package io.gatehouse.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.spi.AdapterRegistry;
import io.gatehouse.core.spi.SourceAdapter;
import io.gatehouse.core.spi.SourceConnector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Shared pieces of the configuration tests: a fake source type (so the core's tests do not depend on
 * an adapter module), a minimal valid configuration to vary one key at a time, and assertions on the
 * problems of a {@link ConfigException}.
 */
final class ConfigTestSupport {
  static final String ORIGIN = "test.yaml";

  /** Environment seen by {@code ${env:...}} references in these tests. */
  static final Map<String, String> ENV = Map.of(
      "TEST_PASSWORD", "env-secret-Zq81",
      "SHOP_PG_PASSWORD", "shop-secret-Wp27",
      "CRM_PASSWORD", "crm-secret-Hk55",
      "KEYSTORE_PASSWORD", "keystore-secret-Rt90");

  private ConfigTestSupport() {}

  /**
   * A network source type that reads the shared keys the way the real adapters do.
   *
   * @param defaults the schemas exposed when the config lists none
   */
  record FakeNetworkAdapter(String type, Set<String> aliases, int defaultPort, boolean databaseRequired,
      Function<NetworkSourceSettings, List<String>> defaults) implements SourceAdapter {

    @Override
    public SourceSettings readSettings(ConfigObject source) {
      return NetworkSourceSettings.read(source, defaultPort, databaseRequired);
    }

    @Override
    public List<String> defaultSchemas(SourceSettings settings) {
      return defaults.apply((NetworkSourceSettings) settings);
    }

    @Override
    public SourceConnector connector(SourceConfig source, EngineConfig engine) {
      throw new UnsupportedOperationException("configuration tests never connect");
    }
  }

  /** Type {@code testdb} (alias {@code test}), default port 7000, database required, default schema main. */
  static SourceAdapter testDb() {
    return new FakeNetworkAdapter("testdb", Set.of("test"), 7000, true, s -> List.of("main"));
  }

  /** Stand-ins named like the real adapters, for the shipped example (which uses both types). */
  static AdapterRegistry exampleRegistry() {
    return new AdapterRegistry(List.of(
        new FakeNetworkAdapter("postgresql", Set.of("postgres"), 5432, true, s -> List.of("public")),
        new FakeNetworkAdapter("mysql", Set.of("mariadb"), 3306, false, s -> List.of(s.database())),
        testDb()));
  }

  static ConfigLoader loader() {
    return new ConfigLoader(new AdapterRegistry(List.of(testDb())), ENV);
  }

  static GatehouseConfig parse(String yaml) {
    return loader().parse(yaml, ORIGIN);
  }

  static ConfigException invalid(String yaml) {
    return assertThrows(ConfigException.class, () -> parse(yaml), "expected the configuration to be refused");
  }

  /** One valid source of type testdb; each entry of {@code keys} sets (or, with a null value, removes) a key. */
  static String sourceYaml(Map<String, String> keys) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("id", "shop");
    m.put("type", "testdb");
    m.put("host", "db.example");
    m.put("database", "shop");
    m.put("user", "reader");
    keys.forEach((k, v) -> {
      if (v == null) {
        m.remove(k);
      } else {
        m.put(k, v);
      }
    });
    StringBuilder b = new StringBuilder("sources:\n");
    String dash = "  - ";
    for (Map.Entry<String, String> e : m.entrySet()) {
      b.append(dash).append(e.getKey()).append(": ").append(e.getValue()).append('\n');
      dash = "    ";
    }
    return b.toString();
  }

  /** {@link #sourceYaml} with one key set to a raw YAML value, or removed when {@code value} is null. */
  static String sourceWith(String key, String value) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(key, value);
    return sourceYaml(m);
  }

  /** The minimal valid configuration: one testdb source. */
  static String minimal() {
    return sourceYaml(Map.of());
  }

  /**
   * Asserts that the configuration is refused with exactly one problem, at {@code path}, whose message
   * contains every fragment, and that the exception's message shows it as {@code path: message}.
   */
  static ConfigProblem onlyProblem(String yaml, String path, String... fragments) {
    ConfigException e = invalid(yaml);
    assertEquals(1, e.problems().size(), () -> "expected one problem, got:\n" + e.getMessage());
    return problemAt(e, path, fragments);
  }

  /** Asserts a problem at exactly {@code path} whose message contains every fragment. */
  static ConfigProblem problemAt(ConfigException e, String path, String... fragments) {
    assertEquals(ErrorCode.CONFIG_INVALID, e.code());
    List<ConfigProblem> at = e.problems().stream().filter(p -> p.path().equals(path)).toList();
    if (at.isEmpty()) {
      fail("no problem at '" + path + "'; problems:\n" + e.getMessage());
    }
    ConfigProblem p = at.get(0);
    for (String f : fragments) {
      assertTrue(p.message().contains(f),
          () -> "message at " + path + " should contain '" + f + "' but is: " + p.message());
    }
    String shown = path.isEmpty() ? p.message() : path + ": " + p.message();
    assertTrue(e.getMessage().contains("  - " + shown), () -> "getMessage() should list '" + shown
        + "' but is:\n" + e.getMessage());
    return p;
  }

  static String paths(ConfigException e) {
    return e.problems().stream().map(ConfigProblem::path).collect(Collectors.joining(", "));
  }
}
