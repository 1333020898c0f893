package io.gatehouse.server.cli;

import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigProblem;
import io.gatehouse.core.error.GatehouseException;
import java.io.PrintWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How the command line reports failures on stderr: one {@code ERROR <CODE>: message} line. */
final class Errors {
  /** SnakeYAML's position line; with a trailing colon, the quoted file line and a caret follow. */
  private static final Pattern YAML_MARK =
      Pattern.compile("\\s*in '[^']*', (line \\d+, column \\d+)(:)?\\s*");

  private Errors() {}

  /** {@code ERROR SQL_SYNTAX: ...}, with the position in the SQL when the message lacks it. */
  static String line(GatehouseException e) {
    String detail = oneLine(e.detail());
    if (e.line() > 0 && !detail.contains("line " + e.line())) {
      detail += " (line " + e.line() + ", column " + e.column() + ")";
    }
    return "ERROR " + e.code().name() + ": " + detail;
  }

  /** A header line and then every problem of an invalid configuration, one per line. */
  static void printConfigProblems(ConfigException e, String file, PrintWriter err) {
    int n = e.problems().size();
    err.println("ERROR " + e.code().name() + ": " + file + " has " + n + (n == 1 ? " problem" : " problems"));
    for (ConfigProblem p : e.problems()) {
      String message = oneLine(withoutYamlSnippets(p.message()));
      err.println("  " + (p.path().isEmpty() ? message : p.path() + ": " + message));
    }
  }

  /**
   * The YAML parser quotes the offending line of the file under a position, with a caret line below
   * it ({@code in 'reader', line 3, column 15:}). That line may hold a password written in plain
   * text, so the quoted lines are dropped and only the positions kept.
   */
  static String withoutYamlSnippets(String message) {
    if (message == null || message.indexOf('\n') < 0) {
      return message;
    }
    StringBuilder sb = new StringBuilder();
    int skip = 0;
    for (String line : message.split("\n", -1)) {
      if (skip > 0) {
        skip--;
        continue;
      }
      Matcher mark = YAML_MARK.matcher(line);
      if (mark.matches()) {
        sb.append(" (").append(mark.group(1)).append(')');
        skip = mark.group(2) == null ? 0 : 2;
      } else if (!line.isBlank()) {
        sb.append(sb.length() == 0 ? "" : "; ").append(line.trim());
      }
    }
    return sb.toString();
  }

  /** For a failure that is not a GatehouseException: a bug, reported without its stack trace. */
  static String unexpected(Throwable t) {
    return "ERROR INTERNAL: unexpected " + t.getClass().getSimpleName()
        + "; run with --verbose for details";
  }

  /** Messages are printed one per line; a line break inside one would split it. */
  static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
  }
}
