package io.gatehouse.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ConfigObject#stringMap}: a mapping of names to text values, problems by path. */
class ConfigObjectStringMapTest {
  private static ConfigObject object(Map<String, ?> map, ConfigProblems problems) {
    return new ConfigObject("sources[0]", new ObjectMapper().valueToTree(map), problems,
        new SecretResolver(Map.of(), false));
  }

  @Test
  void readsTextValuesInOrderAndCountsTheKeyAsKnown() {
    ConfigProblems problems = new ConfigProblems();
    ConfigObject o = object(Map.of("labels", new java.util.LinkedHashMap<>(
        Map.of("team", "data"))), problems);
    assertEquals(Map.of("team", "data"), o.stringMap("labels"));
    o.finish();
    assertEquals(0, problems.size());
  }

  @Test
  void absentIsEmptyAndBadShapesAreProblemsWithTheirPath() {
    ConfigProblems problems = new ConfigProblems();
    ConfigObject o = object(Map.of("labels", List.of("a"), "tags", Map.of("x", List.of(1))), problems);
    assertEquals(Map.of(), o.stringMap("missing"));
    assertEquals(Map.of(), o.stringMap("labels"));
    assertEquals(Map.of(), o.stringMap("tags"));
    List<ConfigProblem> list = problems.list();
    assertEquals(2, list.size(), list::toString);
    assertEquals("sources[0].labels", list.get(0).path());
    assertTrue(list.get(0).message().contains("mapping of names to text values"));
    assertEquals("sources[0].tags.x", list.get(1).path());
  }
}
