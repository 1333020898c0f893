package io.gatehouse.server.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.config.GatehouseConfig;
import io.gatehouse.core.config.TableFilter;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import io.gatehouse.core.introspect.IntrospectOptions;
import io.gatehouse.core.introspect.SourceModel;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code gatehouse introspect --config FILE --source ID}: the model of one source (schemas, tables,
 * views, columns, keys, comments, row estimates; with {@code --profile}, column statistics from a
 * bounded sample) as JSON on stdout, or as an indented outline with {@code --format text}.
 */
@Command(
    name = "introspect",
    separator = " ",
    sortOptions = false,
    description = "Describe one source: schemas, tables and views, columns, keys, comments, row"
        + " estimates and, with --profile, column statistics from a bounded sample.",
    footerHeading = "%n",
    footer = {
        "Examples:",
        "  gatehouse introspect -c gatehouse.yaml --source shop",
        "  gatehouse introspect -c gatehouse.yaml --source shop --profile --include 'sales.*'",
        "  gatehouse introspect -c gatehouse.yaml --source crm --format text",
        "",
        "Exit codes: 0 success, 1 the source could not be read, 2 usage error, unknown source or"
            + " invalid configuration."})
final class IntrospectCommand implements Callable<Integer> {
  /** Output formats of {@code --format}. */
  enum Format { json, text }

  @Spec
  CommandSpec spec;

  @Mixin
  ConfigOption config;

  @Option(names = "--source", required = true, paramLabel = "ID", description = "The source to describe.")
  String source;

  @Option(names = "--profile", description = "Add column statistics (null fraction, distinct"
      + " estimate, min/max, sample values) from a bounded sample of each table.")
  boolean profile;

  @Option(names = "--include", paramLabel = "PATTERN", description = "Only tables matching: table or"
      + " schema.table, with * and ? (repeatable).")
  List<String> include = new ArrayList<>();

  @Option(names = "--exclude", paramLabel = "PATTERN", description = "Leave out tables matching"
      + " (repeatable).")
  List<String> exclude = new ArrayList<>();

  @Option(names = "--sample-rows", paramLabel = "N", defaultValue = "10000",
      description = "Most rows read per table when profiling (default: ${DEFAULT-VALUE}; never more"
          + " than engine.maxRows).")
  int sampleRows;

  @Option(names = "--sample-values", paramLabel = "N", defaultValue = "5",
      description = "Most sample values per column when profiling (default: ${DEFAULT-VALUE}).")
  int sampleValues;

  @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "json",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (sampleRows < 1 || sampleValues < 0) {
      throw new ParameterException(spec.commandLine(),
          "--sample-rows must be at least 1 and --sample-values at least 0");
    }
    GatehouseConfig cfg = config.load(err);
    if (cfg == null) {
      return GatehouseCommand.EXIT_USAGE;
    }
    if (cfg.source(source).isEmpty()) {
      err.println("ERROR INVALID_PARAMETER: no source '" + source + "' in " + config.file
          + "; sources: " + cfg.sources().stream().map(s -> s.id()).collect(Collectors.joining(", ")));
      return GatehouseCommand.EXIT_USAGE;
    }
    IntrospectOptions options = new IntrospectOptions(new TableFilter(include, exclude), profile,
        sampleRows, sampleValues);
    try (Gatehouse gh = Gatehouse.open(cfg, config.adapters)) {
      SourceModel model = gh.introspect(source, options);
      out.println(format == Format.json ? json(model) : text(model));
      out.flush();
      return GatehouseCommand.EXIT_OK;
    } catch (GatehouseException e) {
      err.println(Errors.line(e));
      return e.code() == ErrorCode.INVALID_PARAMETER ? GatehouseCommand.EXIT_USAGE
          : GatehouseCommand.EXIT_FAILURE;
    } catch (RuntimeException e) {
      Logging.debug("introspection failed unexpectedly", e);
      err.println(Errors.unexpected(e));
      return GatehouseCommand.EXIT_FAILURE;
    }
  }

  /** The model as indented JSON; absent values (no comment, no profile) are left out. */
  static String json(SourceModel model) {
    try {
      return new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL)
          .enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(model);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the model cannot be written as JSON", e);
    }
  }

  /** An outline for people: one line per table and per column. */
  static String text(SourceModel model) {
    StringBuilder b = new StringBuilder(model.source()).append(" (").append(model.type()).append(")\n");
    for (SourceModel.Schema s : model.schemas()) {
      b.append("  schema ").append(s.name()).append(" (").append(s.tables().size()).append(" tables)\n");
      for (SourceModel.Table t : s.tables()) {
        b.append("    ").append(t.kind().toLowerCase()).append(' ').append(t.name());
        if (t.rowEstimate() != null) {
          b.append("  ~").append(t.rowEstimate()).append(" rows");
        }
        if (t.sizeBytes() != null) {
          b.append(", ").append(t.sizeBytes() / 1024).append(" KiB");
        }
        if (t.comment() != null) {
          b.append("  -- ").append(t.comment());
        }
        b.append('\n');
        for (SourceModel.Column c : t.columns()) {
          b.append("      ").append(c.name()).append("  ").append(c.sqlType())
              .append(c.nullable() ? "" : " NOT NULL").append("  [").append(c.sourceType()).append(']');
          if (c.defaultValue() != null) {
            b.append("  default ").append(c.defaultValue());
          }
          if (c.comment() != null) {
            b.append("  -- ").append(c.comment());
          }
          if (c.profile() != null) {
            b.append(String.format(java.util.Locale.ROOT, "  nulls %.1f%%, ~%d distinct",
                100 * c.profile().nullFraction(), c.profile().distinctEstimate()));
            if (c.profile().min() != null) {
              b.append(", ").append(c.profile().min()).append(" .. ").append(c.profile().max());
            }
          }
          b.append('\n');
        }
        if (t.primaryKey() != null) {
          b.append("      primary key (").append(String.join(", ", t.primaryKey().columns())).append(")\n");
        }
        for (SourceModel.Key k : t.uniqueKeys()) {
          b.append("      unique (").append(String.join(", ", k.columns())).append(")\n");
        }
        for (SourceModel.ForeignKey k : t.foreignKeys()) {
          b.append("      foreign key (").append(String.join(", ", k.columns())).append(") references ")
              .append(k.refSchema()).append('.').append(k.refTable()).append(" (")
              .append(String.join(", ", k.refColumns())).append(")\n");
        }
      }
    }
    return b.toString().stripTrailing();
  }
}
