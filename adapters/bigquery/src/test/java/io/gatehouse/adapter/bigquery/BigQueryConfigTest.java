package io.gatehouse.adapter.bigquery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.adapter.bigquery.fake.ServiceAccountKey;
import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.config.ConfigProblem;
import io.gatehouse.core.config.GatehouseConfig;
import io.gatehouse.core.config.SourceConfig;
import io.gatehouse.core.spi.AdapterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Validation of a BigQuery source's keys: each problem names its field and the fix. */
class BigQueryConfigTest {
  private static final String MARKER = "key-marker-" + System.nanoTime();
  private static final String KEY = ServiceAccountKey.create("my-proj-1", "reader",
      "https://oauth2.googleapis.com/token", MARKER).json();

  private static Map<String, Object> valid() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", "bq");
    m.put("type", "bigquery");
    m.put("project", "my-proj-1");
    m.put("datasets", List.of("sales", "marketing"));
    m.put("serviceAccountKey", KEY);
    return m;
  }

  private static GatehouseConfig load(Map<String, Object> source) {
    Map<String, Object> root = new HashMap<>();
    root.put("sources", List.of(source));
    return new ConfigLoader(AdapterRegistry.discover(), Map.of("BQ_KEY", KEY)).fromMap(root);
  }

  private static Map<String, String> problems(Map<String, Object> source) {
    ConfigException e = assertThrows(ConfigException.class, () -> load(source));
    assertFalse(e.getMessage().contains(MARKER), "the key never appears in a problem");
    assertFalse(e.getMessage().contains("PRIVATE KEY"), "the key never appears in a problem");
    return e.problems().stream().collect(Collectors.toMap(ConfigProblem::path,
        ConfigProblem::message, (a, b) -> a + " | " + b, LinkedHashMap::new));
  }

  @Test
  void aValidSourceHasDatasetsAsSchemasDefaultsAndAMaskedKey() {
    Map<String, Object> s = valid();
    s.put("location", "EU");
    s.put("maximumBytesBilled", "50GB");
    s.put("jobTimeout", "2m");
    s.put("labels", Map.of("team", "data", "env", "prod"));
    SourceConfig c = load(s).sources().get(0);
    BigQuerySettings b = (BigQuerySettings) c.settings();
    assertEquals(List.of("sales", "marketing"), c.schemas());
    assertEquals("my-proj-1", b.project());
    assertEquals("EU", b.location());
    assertEquals(50L << 30, b.maximumBytesBilled());
    assertEquals(Duration.ofMinutes(2), b.jobTimeout());
    assertEquals(Map.of("team", "data", "env", "prod"), b.labels());
    assertEquals("https://bigquery.googleapis.com", b.endpoint().toString());
    assertFalse(b.toString().contains(MARKER));
    assertTrue(b.toString().contains("serviceAccountKey=****"));
    BigQuerySettings d = (BigQuerySettings) load(valid()).sources().get(0).settings();
    assertEquals(10L << 30, d.maximumBytesBilled(), "a cap is always in force: 10 GiB by default");
  }

  @Test
  void schemasMayNameTheDatasetsInstead() {
    Map<String, Object> s = valid();
    s.remove("datasets");
    s.put("schemas", List.of("sales"));
    assertEquals(List.of("sales"), load(s).sources().get(0).schemas());
    s.put("datasets", List.of("sales"));
    assertTrue(problems(s).get("sources[0].datasets").contains("keep one of them"));
  }

  @Test
  void domainScopedAndHyphenatedProjectIdsAreAccepted() {
    for (String id : List.of("my-proj-1", "example.com:my-proj", "abcdef")) {
      Map<String, Object> s = valid();
      s.put("project", id);
      assertEquals(id, ((BigQuerySettings) load(s).sources().get(0).settings()).project());
    }
  }

  @Test
  void eachBadKeyIsReportedWithItsPathAndTheFix() {
    Map<String, Object> s = valid();
    s.put("project", "My Project");
    s.put("datasets", List.of("sales-eu"));
    s.put("location", "eu west");
    s.put("maximumBytesBilled", "1MB");
    s.put("jobTimeout", "10h");
    s.put("labels", Map.of("Team", "x", "env", "Prod!"));
    s.put("endpoint", "http://bigquery.example.com");
    Map<String, String> p = problems(s);
    assertTrue(p.get("sources[0].project").contains("not a project id"), p.toString());
    assertTrue(p.get("sources[0].datasets").contains("letters, digits and '_'"), p.toString());
    assertTrue(p.get("sources[0].location").contains("US, EU or europe-west1"), p.toString());
    assertTrue(p.get("sources[0].maximumBytesBilled").contains("at least 10MB"), p.toString());
    assertTrue(p.get("sources[0].jobTimeout").contains("between"), p.toString());
    assertTrue(p.get("sources[0].labels.Team").contains("not a label name"), p.toString());
    assertTrue(p.get("sources[0].labels.env").contains("not a label value"), p.toString());
    assertTrue(p.get("sources[0].endpoint").contains("http only for localhost"), p.toString());
  }

  @Test
  void missingKeysAreRequired() {
    Map<String, Object> s = valid();
    s.remove("project");
    s.remove("datasets");
    s.remove("serviceAccountKey");
    Map<String, String> p = problems(s);
    assertTrue(p.get("sources[0].project").contains("is required"), p.toString());
    assertTrue(p.get("sources[0].datasets").contains("is required"), p.toString());
    assertTrue(p.get("sources[0].serviceAccountKey").contains("${file:"), p.toString());
  }

  @Test
  void aKeyThatIsNotAServiceAccountKeyIsRefusedWithoutShowingIt() {
    Map<String, Object> s = valid();
    s.put("serviceAccountKey", "not json " + MARKER);
    assertTrue(problems(s).get("sources[0].serviceAccountKey").contains("does not parse"));
    s.put("serviceAccountKey", "{\"type\":\"authorized_user\",\"refresh_token\":\"" + MARKER + "\"}");
    assertTrue(problems(s).get("sources[0].serviceAccountKey").contains("\"type\" must be"));
    s.put("serviceAccountKey", KEY.replace("\"client_email\"", "\"other\""));
    assertTrue(problems(s).get("sources[0].serviceAccountKey").contains("\"client_email\" is missing"));
  }

  @Test
  void theKeyIsReadFromTheEnvironmentLikeEverySecret() {
    Map<String, Object> s = valid();
    s.put("serviceAccountKey", "${env:BQ_KEY}");
    BigQuerySettings b = (BigQuerySettings) load(s).sources().get(0).settings();
    assertEquals(KEY, b.serviceAccountKey().revealAsString());
  }

  @Test
  void unknownKeysAreRefused() {
    Map<String, Object> s = valid();
    s.put("maxBytesBilled", "1GB");
    assertTrue(problems(s).get("sources[0].maxBytesBilled").contains("maximumBytesBilled"));
  }
}
