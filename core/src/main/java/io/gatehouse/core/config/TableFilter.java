package io.gatehouse.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which tables of a source are visible: {@code include} and {@code exclude} glob patterns written
 * {@code schema.table} ({@code sales.*}, {@code *.tmp_*}) or just {@code table} (any schema), with
 * {@code *} for any run of characters and {@code ?} for one, matched ignoring case. A table is
 * visible when it matches an include pattern (or none are given) and no exclude pattern. A table
 * that is not visible is invisible everywhere: queries, JDBC metadata, introspection.
 */
public final class TableFilter {
  /** Everything visible. */
  public static final TableFilter ALL = new TableFilter(List.of(), List.of());

  private final List<String> include;
  private final List<String> exclude;
  private final List<Pattern> includePatterns;
  private final List<Pattern> excludePatterns;
  private final TableFilter also; // a further filter that must agree, or null

  public TableFilter(List<String> include, List<String> exclude) {
    this(include, exclude, null);
  }

  private TableFilter(List<String> include, List<String> exclude, TableFilter also) {
    this.include = List.copyOf(include);
    this.exclude = List.copyOf(exclude);
    this.includePatterns = compile(include);
    this.excludePatterns = compile(exclude);
    this.also = also;
  }

  public List<String> include() {
    return include;
  }

  public List<String> exclude() {
    return exclude;
  }

  public boolean isAll() {
    return include.isEmpty() && exclude.isEmpty() && (also == null || also.isAll());
  }

  /** Whether the table is visible. */
  public boolean test(String schema, String table) {
    String qualified = (schema + "." + table).toLowerCase(Locale.ROOT);
    String bare = table.toLowerCase(Locale.ROOT);
    if (!includePatterns.isEmpty() && !anyMatches(includePatterns, qualified, bare)) {
      return false;
    }
    return !anyMatches(excludePatterns, qualified, bare) && (also == null || also.test(schema, table));
  }

  /** Both filters at once: visible only where both say so. */
  public TableFilter and(TableFilter other) {
    if (other == null || other.isAll()) {
      return this;
    }
    if (isAll()) {
      return other;
    }
    return new TableFilter(include, exclude, also == null ? other : also.and(other));
  }

  private static boolean anyMatches(List<Pattern> patterns, String qualified, String bare) {
    for (Pattern p : patterns) {
      boolean forQualifiedNames = p.pattern().contains("\\.");
      if (p.matcher(forQualifiedNames ? qualified : bare).matches()) {
        return true;
      }
    }
    return false;
  }

  private static List<Pattern> compile(List<String> globs) {
    List<Pattern> out = new ArrayList<>();
    for (String g : globs) {
      out.add(glob(g));
    }
    return out;
  }

  /**
   * A glob as a regex over lower-case names. A pattern with a dot is matched against
   * {@code schema.table} (its {@code *} stays within one part), one without against the table name.
   */
  static Pattern glob(String glob) {
    boolean qualified = glob.indexOf('.') >= 0;
    StringBuilder b = new StringBuilder();
    for (char c : glob.toLowerCase(Locale.ROOT).toCharArray()) {
      if (c == '*') {
        b.append(qualified ? "[^.]*" : ".*");
      } else if (c == '?') {
        b.append('.');
      } else if (c == '.') {
        b.append("\\.");
      } else {
        b.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(b.toString());
  }

  @Override
  public String toString() {
    return "TableFilter[include=" + include + ", exclude=" + exclude + "]";
  }
}
