package io.gatehouse.server.cli;

import io.gatehouse.core.ConnectionCheck;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.config.GatehouseConfig;
import io.gatehouse.core.config.SourceConfig;
import io.gatehouse.core.error.GatehouseException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code gatehouse check --config FILE}: validates the configuration, then connects to every source.
 * One line per source on stdout; exit 0 only when every source answered.
 */
@Command(
    name = "check",
    separator = " ",
    sortOptions = false,
    description = {
        "Validate a configuration and test the connection to every source.",
        "Prints one line per source: 'ok    ID (TYPE) N ms' or 'FAIL  ID (TYPE) CODE: message'."},
    footerHeading = "%n",
    footer = "Exit codes: 0 every source is reachable, 1 a source failed, 2 invalid configuration "
        + "(every problem is listed on stderr).")
final class CheckCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ConfigOption config;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    GatehouseConfig cfg = config.load(err);
    if (cfg == null) {
      return GatehouseCommand.EXIT_USAGE;
    }
    if (cfg.sources().isEmpty()) {
      err.println("ERROR CONFIG_INVALID: " + config.file + " configures no source");
      return GatehouseCommand.EXIT_USAGE;
    }
    boolean allOk = true;
    try (Gatehouse gh = Gatehouse.open(cfg, config.adapters)) {
      for (SourceConfig source : cfg.sources()) {
        ConnectionCheck check = gh.testConnection(source.id());
        out.println(describe(source, check));
        out.flush();
        allOk &= check.ok();
      }
    } catch (GatehouseException e) {
      out.flush();
      err.println(Errors.line(e));
      return GatehouseCommand.EXIT_FAILURE;
    }
    return allOk ? GatehouseCommand.EXIT_OK : GatehouseCommand.EXIT_FAILURE;
  }

  static String describe(SourceConfig source, ConnectionCheck check) {
    String head = source.id() + " (" + source.type() + ")";
    if (check.ok()) {
      return "ok    " + head + " " + check.latency().toMillis() + " ms";
    }
    String code = check.code() == null ? "SOURCE_UNAVAILABLE" : check.code().name();
    return "FAIL  " + head + " " + code + ": " + message(code, check.message());
  }

  /** The check's message without the code: depending on the failure, it may already start with it. */
  private static String message(String code, String message) {
    String m = Errors.oneLine(message);
    return m.startsWith(code + ": ") ? m.substring(code.length() + 2) : m;
  }
}
