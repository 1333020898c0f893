package io.gatehouse.server.cli;

import io.gatehouse.server.auth.PasswordHasher;
import io.gatehouse.server.auth.UserNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gatehouse user add NAME}: reads a new user's password and prints its argon2id hash, the
 * value of {@code passwordHash} in {@code server.users}. The hash is the only thing on stdout (so
 * {@code $(gatehouse user add alice < pw.txt)} captures it); prompts and the YAML to paste go to
 * stderr. The password is never printed, and its buffers are cleared once hashed.
 */
@Command(
    name = "add",
    separator = " ",
    sortOptions = false,
    description = {
        "Hash a new user's password for the server.users list of the configuration.",
        "On a terminal, asks for the password twice without echo; otherwise reads the first line of"
            + " stdin. The password must have at least " + UserAddCommand.MIN_PASSWORD_LENGTH
            + " characters.",
        "Prints the argon2id hash as the last line of stdout, and on stderr the YAML entry to paste"
            + " under server.users."},
    footerHeading = "%n",
    footer = {
        "Examples:",
        "  gatehouse user add alice",
        "  printf '%%s\\n' \"$ALICE_PASSWORD\" | gatehouse user add alice",
        "",
        "Exit codes: 0 the hash was printed, 2 invalid name or password (or none could be read)."})
final class UserAddCommand implements Callable<Integer> {
  /** Fewest characters (code points) of a password. */
  static final int MIN_PASSWORD_LENGTH = 12;

  @Spec
  CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "NAME",
      description = "The login name: a letter, then letters, digits, '_', '.', '@' or '-'; at most 64.")
  String name;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!UserNames.isValid(name)) {
      err.println("ERROR INVALID_PARAMETER: user name " + shown(name) + " " + UserNames.RULE);
      return GatehouseCommand.EXIT_USAGE;
    }
    char[] password = null;
    try {
      password = SecretInput.read("Password for " + name + " (at least " + MIN_PASSWORD_LENGTH
          + " characters)", err, in -> firstLine(in));
      int length = Character.codePointCount(password, 0, password.length);
      if (length < MIN_PASSWORD_LENGTH) {
        err.println("ERROR INVALID_PARAMETER: the password is too short: use at least "
            + MIN_PASSWORD_LENGTH + " characters");
        return GatehouseCommand.EXIT_USAGE;
      }
      if (password.length > PasswordHasher.MAX_PASSWORD_LENGTH) {
        err.println("ERROR INVALID_PARAMETER: the password is too long: use at most "
            + PasswordHasher.MAX_PASSWORD_LENGTH + " characters");
        return GatehouseCommand.EXIT_USAGE;
      }
      String hash = new PasswordHasher().hash(password);
      err.println("Add the user under server.users in the configuration, with the ids of the"
          + " sources it may query:");
      err.println("  - name: " + yamlName(name));
      err.println("    passwordHash: \"" + hash + "\"");
      err.println("    sources: [SOURCE_ID]");
      err.flush();
      out.println(hash);
      out.flush();
      return GatehouseCommand.EXIT_OK;
    } catch (SecretInput.NoSecret e) {
      err.println("ERROR INVALID_PARAMETER: no password: " + e.getMessage()
          + " (on stdin, the first line is read)");
      return GatehouseCommand.EXIT_USAGE;
    } catch (IOException e) {
      err.println("ERROR INVALID_PARAMETER: cannot read the password from stdin ("
          + e.getClass().getSimpleName() + ")");
      return GatehouseCommand.EXIT_USAGE;
    } finally {
      if (password != null) {
        Arrays.fill(password, '\0');
      }
    }
  }

  /** The first line of the stream as UTF-8, without its line end; null when it is empty. */
  static char[] firstLine(InputStream in) throws IOException {
    return SecretInput.firstLine(in, PasswordHasher.MAX_PASSWORD_LENGTH);
  }

  /** The name as a YAML value: quoted where YAML would read it as a boolean or null. */
  static String yamlName(String name) {
    return name.toLowerCase(Locale.ROOT).matches("y|n|yes|no|true|false|on|off|null")
        ? "\"" + name + "\"" : name;
  }

  /** A rejected name as the error shows it: quoted, on one line, not endless. */
  private static String shown(String name) {
    String s = name.replaceAll("\\p{Cntrl}", "?");
    return "'" + (s.length() > 80 ? s.substring(0, 80) + "..." : s) + "'";
  }
}
