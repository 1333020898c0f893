package io.gatehouse.core.catalog;

import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.calcite.schema.lookup.LikePattern;
import org.apache.calcite.schema.lookup.Lookup;
import org.apache.calcite.schema.lookup.Named;

/**
 * Finds schemas and tables by name the way PostgreSQL and MySQL users expect: an exact match wins,
 * otherwise the one name that matches ignoring case. Two names that differ only in case
 * ({@code Orders} and {@code orders}) cannot be told apart by a case-insensitive lookup, so naming
 * either without its exact case is an error that says so, rather than a silent pick.
 */
final class NameLookup<T> implements Lookup<T> {
  private final Supplier<Map<String, T>> entries;
  private final String container;

  NameLookup(Supplier<Map<String, T>> entries, String container) {
    this.entries = entries;
    this.container = container;
  }

  @Override
  public T get(String name) {
    return entries.get().get(name);
  }

  @Override
  public Named<T> getIgnoreCase(String name) {
    Map<String, T> map = entries.get();
    T exact = map.get(name);
    if (exact != null) {
      return new Named<>(name, exact);
    }
    List<String> matches = new ArrayList<>();
    for (String k : map.keySet()) {
      if (k.equalsIgnoreCase(name)) {
        matches.add(k);
      }
    }
    if (matches.isEmpty()) {
      return null;
    }
    if (matches.size() > 1) {
      matches.sort(null);
      throw new GatehouseException(ErrorCode.SQL_VALIDATION, "'" + name + "' is ambiguous in "
          + container + ": it matches " + String.join(", ", matches)
          + " which differ only in case; write the name with its exact case");
    }
    return new Named<>(matches.get(0), map.get(matches.get(0)));
  }

  @Override
  public Set<String> getNames(LikePattern pattern) {
    Set<String> out = new TreeSet<>();
    var matcher = pattern.matcher();
    for (String k : entries.get().keySet()) {
      if (matcher.apply(k)) {
        out.add(k);
      }
    }
    return out;
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
