package io.gatehouse.core.audit;

import java.util.Locale;
import java.util.Set;

/**
 * Replaces every literal in a SQL text by {@code ?}, for the audit log: string literals (also
 * {@code E'..'}, {@code N'..'}, {@code X'..'}, {@code B'..'}, {@code U&'..'} and PostgreSQL's
 * {@code $tag$..$tag$}), numbers, and the values of typed literals ({@code DATE '2024-01-31'} becomes
 * {@code DATE ?}). Comments, which can hold anything, become one space. Quoted identifiers
 * ({@code "..."}, {@code `...`}) and bind markers stay as they are.
 *
 * <p>A hand-written scanner rather than Calcite's parser: the audit log also records SQL that does
 * not parse (a rejected statement is audited too) and the SQL sent to sources, which is in their
 * dialects (backquoted identifiers, backslash escapes). The scanner errs towards masking: an
 * unterminated literal or comment masks everything after it, and a backslash inside a string is
 * treated as an escape (as MySQL does), which at worst masks more than the literal.
 */
public final class SqlMasker {
  /** Words that, written right before a quote, make a prefixed string literal. */
  private static final Set<String> PREFIXES = Set.of("e", "n", "x", "b", "u&", "_utf8mb4", "_binary");

  private SqlMasker() {}

  public static String mask(String sql) {
    if (sql == null) {
      return null;
    }
    StringBuilder out = new StringBuilder(sql.length());
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        i = lineEnd(sql, i);
        space(out);
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        i = commentEnd(sql, i);
        space(out);
      } else if (c == '\'') {
        dropPrefix(out);
        i = quotedEnd(sql, i, '\'', true);
        out.append('?');
      } else if (c == '"' || c == '`') {
        int end = quotedEnd(sql, i, c, false);
        out.append(sql, i, end);
        i = end;
      } else if (c == '$' && dollarTag(sql, i) != null) {
        String tag = dollarTag(sql, i);
        int close = sql.indexOf(tag, i + tag.length());
        i = close < 0 ? n : close + tag.length();
        out.append('?');
      } else if (isDigit(c) || (c == '.' && i + 1 < n && isDigit(sql.charAt(i + 1))
          && !endsWithWordChar(out))) {
        if (endsWithWordChar(out)) {
          // a digit inside a name such as t1 or col_2
          out.append(c);
          i++;
        } else {
          i = numberEnd(sql, i);
          out.append('?');
        }
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$';
  }

  private static boolean endsWithWordChar(StringBuilder out) {
    return out.length() > 0 && isWordChar(out.charAt(out.length() - 1));
  }

  private static void space(StringBuilder out) {
    if (out.length() > 0 && out.charAt(out.length() - 1) != ' ') {
      out.append(' ');
    }
  }

  /** Removes a literal prefix (E, N, X, U&, ...) written right before the quote. */
  private static void dropPrefix(StringBuilder out) {
    int end = out.length();
    int start = end;
    while (start > 0 && (isWordChar(out.charAt(start - 1)) || out.charAt(start - 1) == '&')) {
      start--;
    }
    if (start < end && PREFIXES.contains(out.substring(start, end).toLowerCase(Locale.ROOT))) {
      out.setLength(start);
    }
  }

  private static int lineEnd(String sql, int i) {
    int nl = sql.indexOf('\n', i);
    return nl < 0 ? sql.length() : nl;
  }

  /** The end of a comment starting at i, counting nested comments (PostgreSQL nests them). */
  private static int commentEnd(String sql, int i) {
    int depth = 0;
    int n = sql.length();
    while (i < n) {
      if (sql.startsWith("/*", i)) {
        depth++;
        i += 2;
      } else if (sql.startsWith("*/", i)) {
        depth--;
        i += 2;
        if (depth == 0) {
          return i;
        }
      } else {
        i++;
      }
    }
    return n;
  }

  /**
   * The end of text quoted with {@code q} starting at i: a doubled quote stands for itself and,
   * in string literals, a backslash escapes the next character. Unterminated: the end of the SQL.
   */
  private static int quotedEnd(String sql, int i, char q, boolean backslashEscapes) {
    int n = sql.length();
    int j = i + 1;
    while (j < n) {
      char c = sql.charAt(j);
      if (c == '\\' && backslashEscapes) {
        j += 2;
      } else if (c == q) {
        if (j + 1 < n && sql.charAt(j + 1) == q) {
          j += 2;
        } else {
          return j + 1;
        }
      } else {
        j++;
      }
    }
    return n;
  }

  /** {@code $tag$} or {@code $$} at i, or null ({@code $1} is a parameter, not a quote). */
  private static String dollarTag(String sql, int i) {
    int n = sql.length();
    int j = i + 1;
    if (j < n && isDigit(sql.charAt(j))) {
      return null;
    }
    while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
      j++;
    }
    return j < n && sql.charAt(j) == '$' ? sql.substring(i, j + 1) : null;
  }

  /** The end of a number: digits, a fraction, an exponent, or a 0x/0b literal. */
  private static int numberEnd(String sql, int i) {
    int n = sql.length();
    int j = i;
    if (sql.startsWith("0x", i) || sql.startsWith("0X", i) || sql.startsWith("0b", i)
        || sql.startsWith("0B", i)) {
      j = i + 2;
      while (j < n && Character.isLetterOrDigit(sql.charAt(j))) {
        j++;
      }
      return j;
    }
    while (j < n && isDigit(sql.charAt(j))) {
      j++;
    }
    if (j < n && sql.charAt(j) == '.') {
      j++;
      while (j < n && isDigit(sql.charAt(j))) {
        j++;
      }
    }
    if (j < n && (sql.charAt(j) == 'e' || sql.charAt(j) == 'E')) {
      int k = j + 1;
      if (k < n && (sql.charAt(k) == '+' || sql.charAt(k) == '-')) {
        k++;
      }
      if (k < n && isDigit(sql.charAt(k))) {
        j = k;
        while (j < n && isDigit(sql.charAt(j))) {
          j++;
        }
      }
    }
    // a suffix glued to the number (1L, 2.5f) is part of the literal
    while (j < n && Character.isLetter(sql.charAt(j))) {
      j++;
    }
    return j;
  }
}
