package io.gatehouse.adapter.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.QueryResult;
import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.error.GatehouseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The audit log over real queries on the H2 demo database: one JSON line per query with the client
 * SQL and the SQL sent to the source both masked, never a literal or a result value.
 */
class AuditLogTest {
  private static final String CANARY = "Zebra-Canary-7731";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static DemoDatabase demo;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    demo = DemoDatabase.start("audit_test");
  }

  @AfterAll
  static void stop() {
    demo.close();
  }

  private Gatehouse open(Map<String, Object> audit) {
    return Gatehouse.open(ConfigLoader.withDiscoveredAdapters().fromMap(Map.of(
        "sources", List.of(demo.sourceConfig("demo")), "audit", audit)));
  }

  private static List<JsonNode> lines(Path file) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(file)) {
      out.add(JSON.readTree(l));
    }
    return out;
  }

  @Test
  void eachQueryIsOneMaskedJsonLine() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    List<String> names = new ArrayList<>();
    try (Gatehouse g = open(Map.of("destination", "file", "path", file.toString()))) {
      try (QueryResult r = g.session("alice", List.of("demo")).query(
          "select \"name\" from demo.PUBLIC.\"customers\" where \"name\" <> '" + CANARY
              + "' and \"id\" < 987654321 order by \"id\" limit 3")) {
        while (r.next()) {
          names.add((String) r.get(0));
        }
      }
      assertThrows(GatehouseException.class, () -> g.query("select 'x' from where"));
      assertThrows(GatehouseException.class,
          () -> g.query("delete from demo.PUBLIC.\"customers\" where \"name\" = '" + CANARY + "'"));
    }
    String text = Files.readString(file);
    assertFalse(text.contains(CANARY), text);
    assertFalse(text.contains("987654321"), text);
    assertEquals(3, names.size());
    for (String n : names) {
      assertFalse(text.contains(n), "a result value is in the audit log: " + n);
    }
    List<JsonNode> lines = lines(file);
    assertEquals(3, lines.size(), text);

    JsonNode ok = lines.get(0);
    assertEquals("alice", ok.get("user").asText());
    assertEquals("OK", ok.get("outcome").asText());
    assertEquals(3, ok.get("rows").asInt());
    assertFalse(ok.get("truncated").asBoolean());
    assertEquals("[\"demo\"]", ok.get("sources").toString());
    assertEquals("select \"name\" from demo.PUBLIC.\"customers\" where \"name\" <> ? and \"id\" < ?"
        + " order by \"id\" limit ?", ok.get("sql").asText());
    assertTrue(ok.get("time").asText().endsWith("Z"), ok.toString());
    assertTrue(ok.get("durationMs").asLong() >= 0);
    JsonNode sent = ok.get("sourceStatements").get(0);
    assertEquals("demo", sent.get("source").asText());
    assertTrue(sent.get("sql").asText().contains("customers"), sent.toString());
    assertFalse(sent.get("sql").asText().matches(".*\\d.*"), "no number survives in " + sent);

    assertEquals("SQL_SYNTAX", lines.get(1).get("outcome").asText(), lines.get(1).toString());
    assertTrue(lines.get(1).get("user").isNull());
    assertEquals("select ? from where", lines.get(1).get("sql").asText());
    assertEquals("QUERY_REJECTED", lines.get(2).get("outcome").asText());
    assertEquals(0, lines.get(2).get("sourceStatements").size(), "nothing reached the source");
  }

  @Test
  void theFileIsAppendedAcrossRestarts() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    for (int i = 0; i < 2; i++) {
      try (Gatehouse g = open(Map.of("destination", "file", "path", file.toString()));
          QueryResult r = g.query("select count(*) from demo.PUBLIC.\"regions\"")) {
        assertTrue(r.next());
      }
    }
    assertEquals(2, lines(file).size());
  }

  @Test
  void theLoggerDestinationWritesTheSameLineAtInfo() {
    Logger logger = (Logger) LoggerFactory.getLogger("audit.test");
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try (Gatehouse g = open(Map.of("destination", "logger", "logger", "audit.test"));
        QueryResult r = g.query("select count(*) from demo.PUBLIC.\"regions\" where \"id\" > 1")) {
      assertTrue(r.next());
    } finally {
      logger.detachAppender(appender);
    }
    assertEquals(1, appender.list.size());
    assertEquals(ch.qos.logback.classic.Level.INFO, appender.list.get(0).getLevel());
    assertTrue(appender.list.get(0).getFormattedMessage().contains(
        "\"sql\":\"select count(*) from demo.PUBLIC.\\\"regions\\\" where \\\"id\\\" > ?\""),
        appender.list.get(0).getFormattedMessage());
  }

  @Test
  void noneWritesNothingAndTheDefaultIsTheAuditLogger() {
    assertEquals("gatehouse.audit", ConfigLoader.withDiscoveredAdapters().fromMap(Map.of(
        "sources", List.of(demo.sourceConfig("demo")))).audit().logger());
    Logger logger = (Logger) LoggerFactory.getLogger("gatehouse.audit");
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try (Gatehouse g = open(Map.of("destination", "none"));
        QueryResult r = g.query("select 1 from demo.PUBLIC.\"regions\"")) {
      assertTrue(r.next());
    } finally {
      logger.detachAppender(appender);
    }
    assertTrue(appender.list.isEmpty());
  }

  @Test
  void theEmbeddedDriverAuditsItsUser() throws Exception {
    Path file = dir.resolve("jdbc.jsonl");
    Path config = Files.writeString(dir.resolve("g.yaml"), "allowPlaintextSecrets: true\n"
        + "audit: { destination: file, path: " + file + " }\n"
        + "sources:\n  - id: demo\n    type: h2\n    memory: audit_test\n    user: "
        + demo.readerUser() + "\n    password: \"" + demo.readerPassword() + "\"\n");
    try (Connection c = DriverManager.getConnection("jdbc:gatehouse:config=" + config, "carol", null);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from demo.PUBLIC.\"regions\"")) {
      assertTrue(rs.next());
    }
    assertEquals("carol", lines(file).get(0).get("user").asText());
  }

  @Test
  void badAuditSettingsAreConfigurationProblems() {
    ConfigLoader loader = ConfigLoader.withDiscoveredAdapters();
    Map<String, Object> source = demo.sourceConfig("demo");
    ConfigException noPath = assertThrows(ConfigException.class, () -> loader.fromMap(Map.of(
        "sources", List.of(source), "audit", Map.of("destination", "file"))));
    assertTrue(noPath.getMessage().contains("audit.path: is required when destination is 'file'"),
        noPath.getMessage());
    ConfigException noDir = assertThrows(ConfigException.class, () -> loader.fromMap(Map.of(
        "sources", List.of(source), "audit", Map.of("destination", "file", "path",
            dir.resolve("missing/audit.jsonl").toString()))));
    assertTrue(noDir.getMessage().contains("does not exist or is not writable"), noDir.getMessage());
    ConfigException wrongKey = assertThrows(ConfigException.class, () -> loader.fromMap(Map.of(
        "sources", List.of(source), "audit", Map.of("destination", "logger", "path", "/tmp/x"))));
    assertTrue(wrongKey.getMessage().contains("audit.path: applies only to destination 'file'"),
        wrongKey.getMessage());
    ConfigException badWord = assertThrows(ConfigException.class, () -> loader.fromMap(Map.of(
        "sources", List.of(source), "audit", Map.of("destination", "syslog"))));
    assertTrue(badWord.getMessage().contains("audit.destination"), badWord.getMessage());
  }
}
