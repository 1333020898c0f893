package io.gatehouse.server.cli;

import io.gatehouse.core.Column;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Aligned text for people: a header, a rule, the rows, and a footer {@code N rows}, followed by
 * {@code (truncated at cap)} when the row cap cut the result. Numbers are right-aligned, NULL is
 * printed as {@code NULL}, binary as hex, control characters escaped so that a value never breaks a
 * line. Rows are held until the end to measure the columns (at most the row cap of them).
 */
final class TablePrinter implements ResultPrinter {
  static final String NULL = "NULL";
  private static final String SEPARATOR = " | ";

  private final PrintWriter out;
  private final List<String[]> rows = new ArrayList<>();
  private String[] header;
  private boolean[] rightAligned;
  private int[] widths;

  TablePrinter(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void start(List<Column> columns) {
    int n = columns.size();
    header = new String[n];
    rightAligned = new boolean[n];
    widths = new int[n];
    for (int i = 0; i < n; i++) {
      header[i] = cell(columns.get(i).name());
      rightAligned[i] = Number.class.isAssignableFrom(columns.get(i).javaClass());
      widths[i] = width(header[i]);
    }
  }

  @Override
  public void row(Object[] values) {
    String[] cells = new String[values.length];
    for (int i = 0; i < values.length; i++) {
      String text = Values.text(values[i], true);
      cells[i] = text == null ? NULL : cell(text);
      widths[i] = Math.max(widths[i], width(cells[i]));
    }
    rows.add(cells);
  }

  @Override
  public void end(long rowCount, boolean truncated) {
    out.println(line(header, false));
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      if (i > 0) {
        rule.append("-+-");
      }
      rule.append("-".repeat(widths[i]));
    }
    out.println(rule);
    for (String[] r : rows) {
      out.println(line(r, true));
    }
    out.println(rows(rowCount) + (truncated ? " (truncated at cap)" : ""));
    out.flush();
  }

  /** {@code 1 row}, {@code 2 rows}. */
  static String rows(long n) {
    return n + (n == 1 ? " row" : " rows");
  }

  private String line(String[] cells, boolean alignNumbers) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        sb.append(SEPARATOR);
      }
      String pad = " ".repeat(widths[i] - width(cells[i]));
      if (alignNumbers && rightAligned[i]) {
        sb.append(pad).append(cells[i]);
      } else {
        sb.append(cells[i]);
        if (i < cells.length - 1) {
          sb.append(pad);
        }
      }
    }
    return sb.toString();
  }

  /** Escapes control characters (line breaks, tabs, ...) so a cell stays on its line. */
  static String cell(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String esc = null;
      if (c == '\n') {
        esc = "\\n";
      } else if (c == '\r') {
        esc = "\\r";
      } else if (c == '\t') {
        esc = "\\t";
      } else if (Character.isISOControl(c)) {
        esc = String.format("\\u%04x", (int) c);
      }
      if (esc != null && sb == null) {
        sb = new StringBuilder(s.length() + 8).append(s, 0, i);
      }
      if (sb != null) {
        if (esc != null) {
          sb.append(esc);
        } else {
          sb.append(c);
        }
      }
    }
    return sb == null ? s : sb.toString();
  }

  private static int width(String s) {
    return s.codePointCount(0, s.length());
  }
}
