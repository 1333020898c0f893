package io.gatehouse.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class GatehouseCommandTest {
  @Test
  void helpListsTheCommandsAndExitsZero() {
    CliRun r = CliRun.run("--help");
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.out().startsWith("Usage: gatehouse "), r::toString);
    assertTrue(r.out().contains("check"), r::toString);
    assertTrue(r.out().contains("query"), r::toString);
    assertTrue(r.out().contains("user"), r::toString);
    assertTrue(r.out().contains("gatehouse user add alice"), r::toString);
    assertTrue(r.out().contains("serve"), r::toString);
    assertEquals("", r.err());
  }

  @Test
  void versionExitsZero() {
    CliRun r = CliRun.run("--version");
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.out().matches("(?s)gatehouse \\d+\\.\\d+\\.\\d+\\S*\\R.*"), r::toString);
  }

  @Test
  void subcommandHelpExitsZero() {
    CliRun serve = CliRun.run("serve", "--help");
    assertEquals(0, serve.exitCode(), serve::toString);
    assertTrue(serve.out().contains("--insecure"), serve::toString);
    for (String command : new String[] {"check", "query"}) {
      CliRun r = CliRun.run(command, "--help");
      assertEquals(0, r.exitCode(), r::toString);
      assertTrue(r.out().startsWith("Usage: gatehouse " + command), r::toString);
      assertTrue(r.out().contains("--config FILE"), r::toString);
    }
    CliRun r = CliRun.run("help", "query");
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.out().contains("--format FORMAT"), r::toString);
  }

  @Test
  void missingOrUnknownCommandIsAUsageError() {
    CliRun none = CliRun.run();
    assertEquals(2, none.exitCode(), none::toString);
    assertTrue(none.err().contains("Usage: gatehouse"), none::toString);
    assertEquals("", none.out());

    CliRun unknown = CliRun.run("frobnicate");
    assertEquals(2, unknown.exitCode(), unknown::toString);
    assertTrue(unknown.err().contains("'frobnicate'"), unknown::toString);
  }

  @Test
  void missingConfigOptionIsAUsageError() {
    CliRun r = CliRun.run("check");
    assertEquals(2, r.exitCode(), r::toString);
    assertTrue(r.err().contains("Missing required option: '--config FILE'"), r::toString);
  }

  @Test
  void verboseRaisesGatehouseLoggingToDebugBeforeOrAfterTheCommand() {
    Logger gatehouse = (Logger) LoggerFactory.getLogger("io.gatehouse");
    Level before = gatehouse.getLevel();
    try {
      for (String[] args : new String[][] {{"--verbose", "check", "--help"}, {"check", "--help", "--verbose"}}) {
        gatehouse.setLevel(Level.WARN);
        CliRun r = CliRun.run(args);
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(Level.DEBUG, gatehouse.getLevel());
      }
    } finally {
      gatehouse.setLevel(before);
    }
  }
}
