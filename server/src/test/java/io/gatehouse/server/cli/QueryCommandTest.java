package io.gatehouse.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without a database: the source of the configuration is on a closed port, so only queries the
 * engine answers itself (VALUES) succeed. Queries over real sources are tested with the shared
 * database fixtures.
 */
class QueryCommandTest {
  /** Two rows of most value types, computed by the engine without touching a source. */
  private static final String VALUES = "SELECT * FROM (VALUES"
      + " (1, 'a,b', DATE '2024-01-02', TIMESTAMP '2024-01-02 10:00:00', TRUE, CAST(NULL AS INTEGER),"
      + "  X'0102ff', 1.50, 'say \"hi\"', 'two\nlines', ''),"
      + " (22, 'z', DATE '2024-01-03', TIMESTAMP '2024-01-02 10:00:00.5', FALSE, 7,"
      + "  X'', 100.25, 'q', 'w', 'e'))"
      + " AS t(id, name, d, ts, b, n, bin, amount, q, ml, e)";

  @TempDir
  Path dir;

  private String config;

  @BeforeEach
  void config() throws Exception {
    config = CliRun.unreachableConfig(dir, "plain-secret-42").toString();
  }

  @Test
  void writeStatementIsRejected() {
    CliRun r = CliRun.run("query", "--config", config, "DELETE FROM x");
    assertEquals(1, r.exitCode(), r::toString);
    assertEquals("", r.out(), r::toString);
    assertTrue(r.err().startsWith("ERROR QUERY_REJECTED: "), r::toString);
    assertEquals(1, r.err().split("\\R").length, r::toString);
  }

  @Test
  void syntaxErrorCarriesItsPosition() {
    CliRun r = CliRun.run("query", "-c", config, "SELECT a FROM t WHERE");
    assertEquals(1, r.exitCode(), r::toString);
    assertTrue(r.err().startsWith("ERROR SQL_SYNTAX: "), r::toString);
    assertTrue(r.err().contains("line 1"), r::toString);
  }

  @Test
  void unreachableSourceIsReportedWithItsCode() {
    CliRun r = CliRun.run("query", "-c", config, "SELECT * FROM shop.public.customers");
    assertEquals(1, r.exitCode(), r::toString);
    assertTrue(r.err().startsWith("ERROR SOURCE_UNAVAILABLE: "), r::toString);
    assertFalse(r.err().contains("plain-secret-42"), r::toString);
    assertFalse(r.err().contains("\tat "), r::toString);
  }

  @Test
  void invalidConfigExitsTwo() throws Exception {
    Path bad = CliRun.write(dir, "bad.yaml", "sources: 3\n");
    CliRun r = CliRun.run("query", "-c", bad.toString(), "VALUES 1");
    assertEquals(2, r.exitCode(), r::toString);
    assertTrue(r.err().startsWith("ERROR CONFIG_INVALID: "), r::toString);
    assertTrue(r.err().contains("\n  sources"), r::toString);
  }

  @Test
  void invalidOptionsAreUsageErrors() {
    assertEquals(2, CliRun.run("query", "-c", config, "--max-rows", "0", "VALUES 1").exitCode());
    assertEquals(2, CliRun.run("query", "-c", config, "--timeout", "soon", "VALUES 1").exitCode());
    assertEquals(2, CliRun.run("query", "-c", config, "--timeout", "0s", "VALUES 1").exitCode());
    assertEquals(2, CliRun.run("query", "-c", config, "--format", "xml", "VALUES 1").exitCode());
    assertEquals(2, CliRun.run("query", "-c", config).exitCode());
  }

  @Test
  void tableIsAlignedWithAFooter() {
    CliRun r = CliRun.run("query", "-c", config, "--timeout", "10s", VALUES);
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals("", r.err(), r::toString);
    String[] lines = r.out().split("\\R");
    assertEquals(5, lines.length, r::toString);
    assertEquals("id | name | d          | ts                    | b     | n    | bin      | amount"
        + " | q        | ml         | e", lines[0]);
    assertTrue(lines[1].startsWith("---+------+------------+"), r::toString);
    assertEquals(" 1 | a,b  | 2024-01-02 | 2024-01-02T10:00:00   | true  | NULL | \\x0102ff |   1.50"
        + " | say \"hi\" | two\\nlines | ", lines[2]);
    assertEquals("22 | z    | 2024-01-03 | 2024-01-02T10:00:00.5 | false |    7 | \\x       | 100.25"
        + " | q        | w          | e", lines[3]);
    assertEquals("2 rows", lines[4]);
  }

  @Test
  void tableFooterTellsWhenTheCapCutTheResult() {
    CliRun r = CliRun.run("query", "-c", config, "--max-rows", "1", VALUES);
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.out().endsWith("\n1 row (truncated at cap)\n") || r.out().endsWith("\n1 row (truncated at cap)\r\n"),
        r::toString);
    assertEquals(4, r.out().split("\\R").length, r::toString);
  }

  @Test
  void csvFollowsRfc4180() {
    CliRun r = CliRun.run("query", "-c", config, "--format", "csv", VALUES);
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(""
        + "id,name,d,ts,b,n,bin,amount,q,ml,e\r\n"
        + "1,\"a,b\",2024-01-02,2024-01-02T10:00:00,true,,AQL/,1.50,\"say \"\"hi\"\"\",\"two\nlines\",\"\"\r\n"
        + "22,z,2024-01-03,2024-01-02T10:00:00.5,false,7,\"\",100.25,q,w,e\r\n", r.out());
    assertEquals("", r.err(), r::toString);
  }

  @Test
  void csvWarnsOnStderrWhenTruncated() {
    CliRun r = CliRun.run("query", "-c", config, "-f", "csv", "--max-rows", "1", VALUES);
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(2, r.out().split("\r\n").length, r::toString);
    assertTrue(r.err().startsWith("WARNING: the result was truncated at the row cap (1 row returned)"),
        r::toString);
  }

  @Test
  void jsonIsAnArrayOfTypedObjects() throws Exception {
    CliRun r = CliRun.run("query", "-c", config, "-f", "json", VALUES);
    assertEquals(0, r.exitCode(), r::toString);
    JsonNode rows = new ObjectMapper().readTree(r.out());
    assertTrue(rows.isArray(), r::toString);
    assertEquals(2, rows.size());
    JsonNode first = rows.get(0);
    assertTrue(first.get("id").isIntegralNumber());
    assertEquals(1, first.get("id").asInt());
    assertEquals("a,b", first.get("name").asText());
    assertEquals("2024-01-02", first.get("d").asText());
    assertEquals("2024-01-02T10:00:00", first.get("ts").asText());
    assertTrue(first.get("b").isBoolean());
    assertTrue(first.get("b").asBoolean());
    assertTrue(first.get("n").isNull());
    assertEquals("AQL/", first.get("bin").asText());
    assertTrue(first.get("amount").isNumber());
    assertEquals("say \"hi\"", first.get("q").asText());
    assertEquals("two\nlines", first.get("ml").asText());
    assertEquals("", first.get("e").asText());
    assertEquals(7, rows.get(1).get("n").asInt());
    // exact decimals, one row per line
    assertTrue(r.out().contains("\"amount\":1.50,"), r::toString);
    assertEquals(4, r.out().split("\\R").length, r::toString);
  }

  @Test
  void jsonOfAnEmptyResultIsAnEmptyArray() throws Exception {
    CliRun r = CliRun.run("query", "-c", config, "-f", "json",
        "SELECT * FROM (VALUES (1)) AS t(x) WHERE x > 1");
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals("[]", r.out().strip());
  }

  @Test
  void sqlFromStdin() {
    java.io.InputStream stdin = System.in;
    try {
      System.setIn(new java.io.ByteArrayInputStream("VALUES (5)".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      CliRun r = CliRun.run("query", "-c", config, "-f", "csv", "-");
      assertEquals(0, r.exitCode(), r::toString);
      assertTrue(r.out().endsWith("\r\n5\r\n"), r::toString);
    } finally {
      System.setIn(stdin);
    }
  }
}
