package io.gatehouse.core.exec;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Map;

/**
 * Estimates of the heap a row held by an engine operator takes: the row array, its values, and the
 * entry of the structure holding it (a hash table node, a list slot). Close to what a 64-bit JVM with
 * compressed pointers uses; exactness is not the point, proportion is: a budget of 64 MB should stop
 * a query at roughly 64 MB of rows, not at 16 or 256.
 */
final class RowSizes {
  /** A hash node or list slot, plus the key object some operators keep beside the row. */
  static final long ENTRY = 48;
  private static final long OBJECT = 16;

  private RowSizes() {}

  /**
   * @param row a row as Calcite's operators pass it: an array, a bare value for one column, or a
   *     generated record class
   * @param columns the row type's column count, for rows of a shape not known here
   */
  static long of(Object row, int columns) {
    if (row instanceof Object[] a) {
      return ENTRY + array(a);
    }
    if (row == null || isValue(row)) {
      return ENTRY + value(row);
    }
    if (row instanceof Collection<?> || row instanceof Map<?, ?>) {
      return ENTRY + value(row);
    }
    // A generated class with one field per column: a header, a slot and a boxed value each.
    return ENTRY + OBJECT + columns * (8L + 24);
  }

  private static long array(Object[] a) {
    long size = OBJECT + 8L * a.length;
    for (Object v : a) {
      size += value(v);
    }
    return size;
  }

  private static boolean isValue(Object o) {
    return o instanceof String || o instanceof Number || o instanceof Boolean
        || o instanceof byte[] || o instanceof java.util.Date || o instanceof Character;
  }

  static long value(Object v) {
    if (v == null || v instanceof Boolean) {
      return 0; // shared instances
    }
    if (v instanceof String s) {
      // header and hash + the backing array; Latin-1 strings use a byte per character
      return 40 + s.length();
    }
    if (v instanceof BigDecimal d) {
      // a BigDecimal; beyond 18 digits it also holds a BigInteger and its int array
      return 40 + (d.precision() > 18 ? 40 + d.precision() / 2 : 0);
    }
    if (v instanceof Long || v instanceof Integer || v instanceof Double || v instanceof Float
        || v instanceof Short || v instanceof Byte || v instanceof Character) {
      return 16;
    }
    if (v instanceof byte[] b) {
      return OBJECT + b.length;
    }
    if (v instanceof Object[] a) {
      return array(a);
    }
    if (v instanceof Collection<?> c) {
      long size = 40;
      for (Object e : c) {
        size += 8 + value(e);
      }
      return size;
    }
    if (v instanceof Map<?, ?> m) {
      long size = 64;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        size += 32 + value(e.getKey()) + value(e.getValue());
      }
      return size;
    }
    return 32;
  }
}
