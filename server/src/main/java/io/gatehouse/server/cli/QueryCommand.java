package io.gatehouse.server.cli;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.QueryOptions;
import io.gatehouse.core.QueryResult;
import io.gatehouse.core.Session;
import io.gatehouse.core.config.Durations;
import io.gatehouse.core.config.GatehouseConfig;
import io.gatehouse.core.error.GatehouseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code gatehouse query --config FILE SQL}: runs one query through the engine and prints its result
 * on stdout. Rows are streamed for csv and json; the table format reads them all first to align them.
 */
@Command(
    name = "query",
    separator = " ",
    sortOptions = false,
    description = "Run one read-only SQL query over the configured sources and print the result.",
    footerHeading = "%n",
    footer = {
        "Examples:",
        "  gatehouse query -c gatehouse.yaml \"SELECT id, name FROM shop.public.customers\"",
        "  gatehouse query -c gatehouse.yaml -s shop.public -f csv \"SELECT * FROM orders\"",
        "",
        "Errors are printed on stderr as 'ERROR <CODE>: message'.",
        "Exit codes: 0 success, 1 the query failed, 2 usage error or invalid configuration."})
final class QueryCommand implements Callable<Integer> {
  /** Output formats of {@code --format}. */
  enum Format { table, csv, json }

  @Spec
  CommandSpec spec;

  @Mixin
  ConfigOption config;

  @Option(
      names = {"-s", "--schema"},
      paramLabel = "SCHEMA",
      description = "Default schema for unqualified table names: SOURCE or SOURCE.SCHEMA, "
          + "e.g. shop.public.")
  String schema;

  @Option(
      names = "--max-rows",
      paramLabel = "N",
      description = "Return at most N rows (can only lower the configured engine.maxRows).")
  Long maxRows;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Stop the query after this long, e.g. 500ms, 30s, 5m "
          + "(can only shorten the configured timeout).")
  Duration timeout;

  @Option(
      names = {"-f", "--format"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format;

  @Parameters(
      index = "0",
      paramLabel = "SQL",
      description = "The query; '-' reads it from stdin.")
  String sql;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (maxRows != null && maxRows < 1) {
      throw new ParameterException(spec.commandLine(),
          "--max-rows must be at least 1, got " + maxRows);
    }
    String text = sql;
    if ("-".equals(sql)) {
      try {
        text = readStdin();
      } catch (IOException e) {
        err.println("ERROR INVALID_PARAMETER: cannot read the query from stdin ("
            + e.getClass().getSimpleName() + ")");
        return GatehouseCommand.EXIT_USAGE;
      }
    }
    GatehouseConfig cfg = config.load(err);
    if (cfg == null) {
      return GatehouseCommand.EXIT_USAGE;
    }
    QueryOptions options = QueryOptions.defaults();
    try (Gatehouse gh = Gatehouse.open(cfg, config.adapters)) {
      if (maxRows != null) {
        options = options.withMaxRows(maxRows);
      }
      if (timeout != null) {
        options = options.withTimeout(timeout);
      }
      Session session = gh.session();
      if (schema != null) {
        session.setDefaultSchema(schema);
      }
      try (QueryResult result = session.query(text, List.of(), options);
          CancelOnExit cancel = new CancelOnExit(result)) {
        ResultPrinter printer = printer(out);
        printer.start(result.columns());
        int n = result.columns().size();
        Object[] row = new Object[n];
        while (result.next()) {
          for (int i = 0; i < n; i++) {
            row[i] = result.get(i);
          }
          printer.row(row);
        }
        printer.end(result.rowCount(), result.truncated());
        out.flush();
        if (result.truncated() && format != Format.table) {
          err.println("WARNING: the result was truncated at the row cap ("
              + TablePrinter.rows(result.rowCount()) + " returned)");
        }
      }
      return GatehouseCommand.EXIT_OK;
    } catch (GatehouseException e) {
      out.flush();
      err.println(Errors.line(e));
      return GatehouseCommand.EXIT_FAILURE;
    } catch (RuntimeException e) {
      out.flush();
      Logging.debug("query failed unexpectedly", e);
      err.println(Errors.unexpected(e));
      return GatehouseCommand.EXIT_FAILURE;
    }
  }

  private ResultPrinter printer(PrintWriter out) {
    switch (format) {
      case csv:
        return new CsvPrinter(out);
      case json:
        return new JsonPrinter(out);
      default:
        return new TablePrinter(out);
    }
  }

  private static String readStdin() throws IOException {
    InputStream in = System.in;
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  /**
   * While the result is read, Ctrl-C (JVM shutdown) cancels the query, so it does not go on running
   * at the sources after the command is gone.
   */
  private static final class CancelOnExit implements AutoCloseable {
    private final Thread hook;

    CancelOnExit(QueryResult result) {
      hook = new Thread(result::cancel, "gatehouse-cancel-query");
      Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public void close() {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook runs (or ran) and cancels the query
      }
    }
  }

  /** Durations as the configuration writes them: {@code 500ms}, {@code 30s}, {@code 5m}, ISO-8601. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration d = Durations.parse(value);
      if (d == null || d.isZero() || d.isNegative()) {
        throw new TypeConversionException(
            "'" + value + "' is not a positive duration; write it like 500ms, 30s or 5m");
      }
      return d;
    }
  }
}
