package io.gatehouse.server.cli;

import io.gatehouse.core.Column;
import java.io.PrintWriter;
import java.util.List;

/**
 * RFC 4180: a header row of column names, CRLF line ends, fields quoted when they hold a comma, a
 * quote or a line break (quotes doubled). NULL is an empty field and the empty string a quoted empty
 * field ({@code ""}), so the two stay distinct. Binary is base64, dates and times ISO-8601.
 */
final class CsvPrinter implements ResultPrinter {
  private static final String EOL = "\r\n";

  private final PrintWriter out;

  CsvPrinter(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void start(List<Column> columns) {
    Object[] names = columns.stream().map(Column::name).toArray();
    row(names);
  }

  @Override
  public void row(Object[] values) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        line.append(',');
      }
      String s = Values.text(values[i], false);
      if (s != null) {
        line.append(field(s));
      }
    }
    out.print(line.append(EOL));
  }

  @Override
  public void end(long rowCount, boolean truncated) {
    out.flush();
  }

  static String field(String s) {
    if (s.isEmpty()) {
      return "\"\"";
    }
    boolean quote = false;
    for (int i = 0; i < s.length() && !quote; i++) {
      char c = s.charAt(i);
      quote = c == ',' || c == '"' || c == '\r' || c == '\n';
    }
    return quote ? '"' + s.replace("\"", "\"\"") + '"' : s;
  }
}
