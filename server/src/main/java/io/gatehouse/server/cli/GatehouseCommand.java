package io.gatehouse.server.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code gatehouse} command line: {@code java -jar gatehouse.jar <command> ...}.
 *
 * <p>Exit codes are part of the contract: 0 success, 1 the command ran and failed (a source is
 * down, the query failed), 2 the command could not run as asked (usage error, invalid
 * configuration, invalid input such as a too short password). Results go to stdout, everything
 * else (errors, warnings, logs) to stderr, so stdout can be piped.
 */
@Command(
    name = "gatehouse",
    mixinStandardHelpOptions = true,
    separator = " ",
    versionProvider = VersionProvider.class,
    description = "Gatehouse: one guarded SQL entry point to many databases.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {
        ServeCommand.class, CheckCommand.class, QueryCommand.class, IntrospectCommand.class,
        RefreshCommand.class, UserCommand.class, SecretCommand.class,
        CommandLine.HelpCommand.class},
    footerHeading = "%n",
    footer = {
        "Examples:",
        "  gatehouse check -c gatehouse.yaml",
        "  gatehouse query -c gatehouse.yaml \"SELECT * FROM shop.public.orders\"",
        "  gatehouse introspect -c gatehouse.yaml --source shop --profile",
        "  gatehouse user add alice",
        "  gatehouse secret encrypt < password.txt",
        "",
        "Exit codes: 0 success, 1 failure (source unavailable, query error), "
            + "2 usage error, invalid configuration or invalid input.",
        "Logs go to stderr, WARN and above unless --verbose."})
public final class GatehouseCommand implements Callable<Integer> {
  /** The command ran and succeeded. */
  public static final int EXIT_OK = 0;
  /** The command ran and failed: a source is unavailable, the query failed. */
  public static final int EXIT_FAILURE = 1;
  /** The command could not run as asked: bad options, an invalid configuration or input. */
  public static final int EXIT_USAGE = 2;

  @Spec
  CommandSpec spec;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Log Gatehouse's own debug messages to stderr "
          + "(as does GATEHOUSE_LOG_LEVEL=DEBUG).")
  void setVerbose(boolean verbose) {
    if (verbose) {
      Logging.enableVerbose();
    }
  }

  /** Without a command: show the usage on stderr and fail as a usage error. */
  @Override
  public Integer call() {
    CommandLine cl = spec.commandLine();
    cl.getErr().println("Missing command.");
    cl.usage(cl.getErr());
    return EXIT_USAGE;
  }

  /** The command line as {@code main} runs it; tests may use it too. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new GatehouseCommand());
    // Commands report their own failures; this only catches what escapes them (a bug), without a
    // stack trace on the user's terminal.
    cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      Logging.debug("unexpected failure", e);
      commandLine.getErr().println(Errors.unexpected(e));
      return EXIT_FAILURE;
    });
    return cl;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
