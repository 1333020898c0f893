package io.gatehouse.server.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gatehouse user COMMAND}: the users who log in to the JDBC endpoint. */
@Command(
    name = "user",
    separator = " ",
    description = "Manage the users who log in over JDBC: 'user add NAME' hashes a new user's password.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {UserAddCommand.class})
final class UserCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  /** Without a command: show the usage on stderr and fail as a usage error. */
  @Override
  public Integer call() {
    CommandLine cl = spec.commandLine();
    cl.getErr().println("Missing command.");
    cl.usage(cl.getErr());
    return GatehouseCommand.EXIT_USAGE;
  }
}
