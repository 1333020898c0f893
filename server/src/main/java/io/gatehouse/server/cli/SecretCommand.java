package io.gatehouse.server.cli;

import io.gatehouse.core.config.MasterKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gatehouse secret COMMAND}: encrypted configuration values. {@code generate-key} prints a
 * new master key; {@code encrypt} turns a secret read without echo into an {@code enc:v1:...} value
 * to paste into the configuration. See {@link MasterKey} for the format.
 */
@Command(
    name = "secret",
    separator = " ",
    description = "Encrypt secrets for the configuration: 'secret generate-key' makes a master key,"
        + " 'secret encrypt' prints an enc:v1: value.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {SecretCommand.Encrypt.class, SecretCommand.GenerateKey.class})
final class SecretCommand extends CommandGroup {
  /** Longest secret accepted (a PEM private key with a long chain fits easily). */
  static final int MAX_SECRET_CHARS = 65_536;

  @Command(
      name = "encrypt",
      separator = " ",
      sortOptions = false,
      description = {
          "Encrypt a secret (a password, a private key) with the master key and print the enc:v1:"
              + " value as the last line of stdout.",
          "On a terminal, asks for the secret twice without echo; otherwise reads all of stdin"
              + " (trailing line ends removed), so a PEM file can be piped in.",
          "The master key comes from --key-file, else " + MasterKey.ENV + " (base64 of 32 bytes),"
              + " else the file named by " + MasterKey.FILE_ENV + "."},
      footerHeading = "%n",
      footer = {
          "Examples:",
          "  export " + MasterKey.ENV + "=$(gatehouse secret generate-key)",
          "  gatehouse secret encrypt",
          "  gatehouse secret encrypt --key-file /etc/gatehouse/master.key < snowflake_key.p8",
          "",
          "Exit codes: 0 the value was printed, 2 no key or no secret could be read."})
  static final class Encrypt implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--key-file", paramLabel = "FILE",
        description = "File holding the master key as base64 (as the configuration's masterKeyFile).")
    Path keyFile;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      MasterKey key;
      try {
        key = masterKey();
      } catch (IllegalArgumentException e) {
        err.println("ERROR CONFIG_INVALID: " + e.getMessage());
        return GatehouseCommand.EXIT_USAGE;
      }
      char[] secret = null;
      try {
        secret = SecretInput.read("Secret to encrypt", err, in -> SecretInput.all(in, MAX_SECRET_CHARS));
        if (secret.length == 0) {
          err.println("ERROR INVALID_PARAMETER: the secret is empty");
          return GatehouseCommand.EXIT_USAGE;
        }
        if (secret.length > MAX_SECRET_CHARS) {
          err.println("ERROR INVALID_PARAMETER: the secret is too long: at most " + MAX_SECRET_CHARS
              + " characters");
          return GatehouseCommand.EXIT_USAGE;
        }
        String value = key.encrypt(secret);
        err.println("Paste this value in place of the secret in the configuration (quotes are not"
            + " needed); Gatehouse needs the same master key to read it.");
        err.flush();
        out.println(value);
        out.flush();
        return GatehouseCommand.EXIT_OK;
      } catch (SecretInput.NoSecret e) {
        err.println("ERROR INVALID_PARAMETER: no secret: " + e.getMessage());
        return GatehouseCommand.EXIT_USAGE;
      } catch (IOException e) {
        err.println("ERROR INVALID_PARAMETER: cannot read the secret from stdin ("
            + e.getClass().getSimpleName() + ")");
        return GatehouseCommand.EXIT_USAGE;
      } finally {
        if (secret != null) {
          Arrays.fill(secret, '\0');
        }
      }
    }

    /** The key the way the configuration loader finds it, with --key-file first. */
    private MasterKey masterKey() {
      if (keyFile != null) {
        return fromFile(keyFile, "--key-file " + keyFile);
      }
      String env = System.getenv(MasterKey.ENV);
      if (env != null) {
        return fromText(env, MasterKey.ENV);
      }
      String file = System.getenv(MasterKey.FILE_ENV);
      if (file != null) {
        return fromFile(Path.of(file), MasterKey.FILE_ENV + " (" + file + ")");
      }
      throw new IllegalArgumentException("no master key: export " + MasterKey.ENV + " or "
          + MasterKey.FILE_ENV + ", or pass --key-file; make a key with 'gatehouse secret generate-key'");
    }

    private static MasterKey fromFile(Path file, String origin) {
      String text;
      try {
        text = Files.readString(file, StandardCharsets.US_ASCII);
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException("the master key in " + origin + " cannot be read ("
            + e.getClass().getSimpleName() + "); check the path and its permissions");
      }
      return fromText(text, origin);
    }

    private static MasterKey fromText(String text, String origin) {
      try {
        return MasterKey.fromBase64(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("the master key in " + origin + " " + e.getMessage());
      }
    }
  }

  @Command(
      name = "generate-key",
      separator = " ",
      description = {
          "Print a new random master key (base64 of 32 bytes) on stdout.",
          "Keep it out of the configuration: give it to Gatehouse in " + MasterKey.ENV + " or in a"
              + " file readable only by Gatehouse (masterKeyFile or " + MasterKey.FILE_ENV + ")."},
      footerHeading = "%n",
      footer = {
          "Examples:",
          "  gatehouse secret generate-key > /etc/gatehouse/master.key && chmod 600 /etc/gatehouse/master.key"})
  static final class GenerateKey implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      out.println(MasterKey.generate().toBase64());
      out.flush();
      return GatehouseCommand.EXIT_OK;
    }
  }
}
