package io.gatehouse.core.spi;

import org.apache.calcite.sql.SqlKind;

/**
 * Aggregates every SQL database Gatehouse supports computes itself, which Calcite's dialects do not
 * declare (they stop at COUNT, SUM, MIN and MAX). A dialect that declares them gets queries with AVG
 * pushed down whole, answered with the source's own arithmetic; otherwise Calcite rewrites AVG as a
 * cast of SUM / COUNT to the argument's type, which truncates the average.
 */
public final class Aggregates {
  private Aggregates() {}

  /** AVG and the variance family. */
  public static boolean computedBySqlSources(SqlKind kind) {
    switch (kind) {
      case AVG:
      case STDDEV_POP:
      case STDDEV_SAMP:
      case VAR_POP:
      case VAR_SAMP:
        return true;
      default:
        return false;
    }
  }
}
