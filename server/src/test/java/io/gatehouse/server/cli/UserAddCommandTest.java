package io.gatehouse.server.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.server.auth.PasswordHasher;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Without a terminal (as under Maven), the password is the first line of stdin. */
class UserAddCommandTest {
  private static final String PASSWORD = "Tr0ub4dor&3-horse";

  private static String lastLine(String s) {
    String[] lines = s.split("\\R");
    return lines[lines.length - 1];
  }

  private static void assertNoPassword(CliRun r, String password) {
    assertFalse(r.out().contains(password), r::toString);
    assertFalse(r.err().contains(password), r::toString);
  }

  @Test
  void printsAVerifiableArgon2idHashAsTheLastLineOfStdout() {
    CliRun r = CliRun.runWithStdin(PASSWORD + "\n", "user", "add", "alice");
    assertEquals(0, r.exitCode(), r::toString);
    String hash = lastLine(r.out());
    assertEquals(hash + System.lineSeparator(), r.out(), "stdout holds the hash only");
    assertTrue(hash.startsWith("$argon2id$v=19$m=65536,t=3,p=1$"), r::toString);
    assertTrue(new PasswordHasher().verify(PASSWORD.toCharArray(), hash));
    assertFalse(new PasswordHasher().verify((PASSWORD + "x").toCharArray(), hash));
    // the YAML to paste, on stderr
    assertTrue(r.err().contains("  - name: alice\n"), r::toString);
    assertTrue(r.err().contains("    passwordHash: \"" + hash + "\"\n"), r::toString);
    assertTrue(r.err().contains("    sources: ["), r::toString);
    assertNoPassword(r, PASSWORD);
  }

  @Test
  void onlyTheFirstLineIsThePasswordWithoutItsLineEnd() {
    CliRun r = CliRun.runWithStdin(PASSWORD + "\r\nsecond line\n", "user", "add", "bob");
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(new PasswordHasher().verify(PASSWORD.toCharArray(), lastLine(r.out())));

    r = CliRun.runWithStdin("  spaces are kept ", "user", "add", "bob");
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(new PasswordHasher().verify("  spaces are kept ".toCharArray(), lastLine(r.out())));
  }

  @Test
  void aShortPasswordIsRefused() {
    CliRun r = CliRun.runWithStdin("eleven-char\n", "user", "add", "alice");
    assertEquals(2, r.exitCode(), r::toString);
    assertEquals("", r.out(), r::toString);
    assertTrue(r.err().startsWith("ERROR INVALID_PARAMETER: the password is too short: use at least 12"
        + " characters"), r::toString);
    assertNoPassword(r, "eleven-char");
    // code points count, not UTF-16 chars: 11 emoji are 22 chars but 11 characters
    assertEquals(2, CliRun.runWithStdin("\uD83D\uDD11".repeat(11), "user", "add", "alice").exitCode());
  }

  @Test
  void aMissingOrOverlongPasswordIsRefused() {
    CliRun empty = CliRun.runWithStdin("", "user", "add", "alice");
    assertEquals(2, empty.exitCode(), empty::toString);
    assertTrue(empty.err().contains("no password: nothing on stdin"), empty::toString);

    CliRun blank = CliRun.runWithStdin("\n" + PASSWORD + "\n", "user", "add", "alice");
    assertEquals(2, blank.exitCode(), blank::toString);
    assertTrue(blank.err().contains("too short"), blank::toString);

    String longest = "y".repeat(PasswordHasher.MAX_PASSWORD_LENGTH + 1);
    CliRun tooLong = CliRun.runWithStdin(longest + "\n", "user", "add", "alice");
    assertEquals(2, tooLong.exitCode(), tooLong::toString);
    assertTrue(tooLong.err().contains("too long"), tooLong::toString);
    assertNoPassword(tooLong, "yyyyyyyyyyyy");
  }

  @Test
  void invalidNamesAreRefusedBeforeAnyPasswordIsRead() {
    for (String name : new String[] {"1alice", "al ice", "alice!", "-alice", "a".repeat(65), ""}) {
      CliRun r = CliRun.runWithStdin(PASSWORD + "\n", "user", "add", "--", name);
      assertEquals(2, r.exitCode(), r::toString);
      assertEquals("", r.out(), r::toString);
      assertTrue(r.err().startsWith("ERROR INVALID_PARAMETER: user name '"), r::toString);
      assertTrue(r.err().contains("must start with a letter"), r::toString);
      assertNoPassword(r, PASSWORD);
    }
    CliRun longest = CliRun.runWithStdin(PASSWORD + "\n", "user", "add", "a" + "b.c_d@e-f".repeat(7));
    assertEquals(0, longest.exitCode(), longest::toString);
  }

  @Test
  void namesYamlWouldMisreadAreQuoted() {
    assertEquals("alice", UserAddCommand.yamlName("alice"));
    assertEquals("\"yes\"", UserAddCommand.yamlName("yes"));
    assertEquals("\"Null\"", UserAddCommand.yamlName("Null"));
    assertEquals("\"off\"", UserAddCommand.yamlName("off"));
  }

  @Test
  void firstLineReadsCharsNotStrings() throws IOException {
    assertArrayEquals("pässwörd".toCharArray(), UserAddCommand.firstLine(
        new ByteArrayInputStream("pässwörd\nrest".getBytes(StandardCharsets.UTF_8))));
    assertArrayEquals(new char[0], UserAddCommand.firstLine(new ByteArrayInputStream(new byte[] {'\n'})));
    assertNull(UserAddCommand.firstLine(new ByteArrayInputStream(new byte[0])));
  }

  @Test
  void usageAndHelp() {
    CliRun help = CliRun.run("user", "add", "--help");
    assertEquals(0, help.exitCode(), help::toString);
    assertTrue(help.out().startsWith("Usage: gatehouse user add [-h] [--verbose] NAME"), help::toString);
    assertTrue(help.out().contains("at least 12 characters"), help::toString);

    CliRun noName = CliRun.run("user", "add");
    assertEquals(2, noName.exitCode(), noName::toString);
    assertTrue(noName.err().contains("Missing required parameter: 'NAME'"), noName::toString);

    CliRun noCommand = CliRun.run("user");
    assertEquals(2, noCommand.exitCode(), noCommand::toString);
    assertTrue(noCommand.err().contains("Usage: gatehouse user"), noCommand::toString);
    assertTrue(noCommand.err().contains("add"), noCommand::toString);
  }
}
