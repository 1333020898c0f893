package io.gatehouse.server.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** A command that only groups subcommands ({@code user}, {@code secret}): alone, it shows its usage. */
abstract class CommandGroup implements Callable<Integer> {
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
