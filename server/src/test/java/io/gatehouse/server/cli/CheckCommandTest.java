package io.gatehouse.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {
  @TempDir
  Path dir;

  @Test
  void invalidConfigListsEveryProblemWithItsPathAndExitsTwo() throws Exception {
    Path config = CliRun.write(dir, "bad.yaml", String.join("\n",
        "engine:",
        "  maxRows: 0",
        "sources:",
        "  - id: shop",
        "    type: postgresql",
        "    host: 127.0.0.1",
        "    port: 70000",
        "    database: shop",
        "    user: reader",
        "  - id: crm",
        "    type: oracle",
        ""));
    CliRun r = CliRun.run("check", "--config", config.toString());
    assertEquals(2, r.exitCode(), r::toString);
    assertEquals("", r.out(), r::toString);
    String[] lines = r.err().split("\\R");
    assertEquals("ERROR CONFIG_INVALID: " + config + " has 3 problems", lines[0], r::toString);
    assertEquals(4, lines.length, r::toString);
    assertTrue(r.err().contains("\n  engine.maxRows: "), r::toString);
    assertTrue(r.err().contains("\n  sources[0].port: must be 1..65535, got 70000"), r::toString);
    assertTrue(r.err().contains("\n  sources[1].type: unknown source type 'oracle'"), r::toString);
  }

  @Test
  void missingFileIsAConfigError() {
    CliRun r = CliRun.run("check", "-c", dir.resolve("nope.yaml").toString());
    assertEquals(2, r.exitCode(), r::toString);
    assertTrue(r.err().startsWith("ERROR CONFIG_INVALID: "), r::toString);
    assertTrue(r.err().contains("file not found"), r::toString);
  }

  @Test
  void yamlSyntaxErrorDoesNotEchoTheFileContents() throws Exception {
    Path config = CliRun.write(dir, "broken.yaml",
        "sources:\n  - id: shop\n    password: \"plain-secret-42\n  x: [\n");
    CliRun r = CliRun.run("check", "-c", config.toString());
    assertEquals(2, r.exitCode(), r::toString);
    assertTrue(r.err().contains("is not valid YAML at line ") && r.err().contains("line 3"), r::toString);
    assertFalse(r.err().contains("plain-secret-42"), r::toString);
    assertEquals(2, r.err().split("\\R").length, r::toString);
  }

  @Test
  void unreachableSourceFailsWithSourceUnavailableAndExitsOne() throws Exception {
    Path config = CliRun.unreachableConfig(dir, "plain-secret-42");
    CliRun r = CliRun.run("check", "--config", config.toString());
    assertEquals(1, r.exitCode(), r::toString);
    String[] lines = r.out().split("\\R");
    assertEquals(1, lines.length, r::toString);
    assertTrue(lines[0].startsWith("FAIL  shop (postgresql) SOURCE_UNAVAILABLE: "), r::toString);
    // the code is not repeated inside the message
    assertFalse(lines[0].contains("SOURCE_UNAVAILABLE: SOURCE_UNAVAILABLE"), r::toString);
    String all = r.out() + r.err();
    assertFalse(all.contains("plain-secret-42"), r::toString);
    assertFalse(all.contains("Exception"), r::toString);
    assertFalse(all.contains("\tat "), r::toString);
  }

  @Test
  void describeFormatsOkLines() {
    var source = new io.gatehouse.core.config.SourceConfig("shop", "postgresql", java.util.List.of("public"),
        io.gatehouse.core.config.PoolConfig.defaults(), null, new io.gatehouse.core.config.SourceSettings() {});
    var check = new io.gatehouse.core.ConnectionCheck("shop", true, java.time.Duration.ofMillis(12), null, null);
    assertEquals("ok    shop (postgresql) 12 ms", CheckCommand.describe(source, check));
  }
}
