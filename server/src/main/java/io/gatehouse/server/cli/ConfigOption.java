package io.gatehouse.server.cli;

import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.config.GatehouseConfig;
import io.gatehouse.core.spi.AdapterRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option of the commands that read a configuration. */
final class ConfigOption {
  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "FILE",
      description = "The Gatehouse configuration (YAML).")
  Path file;

  /** The adapters on the class path; the same registry validates the config and opens the engine. */
  AdapterRegistry adapters;

  /**
   * Loads and validates the configuration. On problems, prints every one of them to {@code err} and
   * returns null: the caller exits with {@link GatehouseCommand#EXIT_USAGE}.
   */
  GatehouseConfig load(PrintWriter err) {
    adapters = AdapterRegistry.discover();
    try {
      return new ConfigLoader(adapters).load(file);
    } catch (ConfigException e) {
      Errors.printConfigProblems(e, file.toString(), err);
      return null;
    }
  }
}
