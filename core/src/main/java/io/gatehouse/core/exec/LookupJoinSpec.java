package io.gatehouse.core.exec;

import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * What a lookup join needs at run time: the statements for the big side (whole, and with its join
 * keys filtered by {@code IN} lists of several lengths), and where the keys are in the rows of
 * either side. Built at planning, immutable, shared by every run of a cached plan.
 *
 * @param full the big side's statement without the key filter: run instead of the lookups when the
 *     small side turns out to have more distinct keys than {@code maxKeys}
 * @param byListLength statements with the key filter, by the length of each key column's
 *     {@code IN} list; list value {@code j} of key column {@code c} is parameter
 *     {@link #parameterIndex(int, int)}
 * @param smallKeys the key columns in the small side's rows
 * @param bigKeys the key columns in the big side's rows, in the same order
 * @param keyTypes the small side's type of each key (how its values are bound)
 * @param mode what the join returns
 * @param smallFirst whether the small side's columns come first in a joined row
 * @param bigFields the number of columns of the big side (for null padding)
 * @param keysPerStatement the most distinct keys one statement carries
 * @param maxKeys above this many distinct keys the big side is read whole, once
 */
public record LookupJoinSpec(SourceQuery full, NavigableMap<Integer, SourceQuery> byListLength,
    int[] smallKeys, int[] bigKeys, List<SqlTypeName> keyTypes, Mode mode, boolean smallFirst,
    int bigFields, int keysPerStatement, int maxKeys) {

  /** Parameter indexes from here on are key values; below are the query's own parameters. */
  public static final int KEY_PARAMETER_BASE = 1 << 24;

  public LookupJoinSpec {
    byListLength = new TreeMap<>(byListLength);
    keyTypes = List.copyOf(keyTypes);
    smallKeys = smallKeys.clone();
    bigKeys = bigKeys.clone();
  }

  /** The parameter index of value {@code j} of the IN list of key column {@code column}. */
  public static int parameterIndex(int column, int j, int keysPerStatement) {
    return KEY_PARAMETER_BASE + column * keysPerStatement + j;
  }

  /** What a lookup join returns. */
  public enum Mode {
    /** Pairs of matching rows. */
    INNER,
    /** Small rows with at least one match, each once. */
    SEMI_SMALL,
    /** Big rows whose key is among the small side's keys, each once. */
    SEMI_BIG,
    /** Small rows without a match (including those with a null key). */
    ANTI_SMALL,
    /** Pairs of matching rows, and small rows without a match padded with nulls. */
    OUTER_SMALL
  }
}
