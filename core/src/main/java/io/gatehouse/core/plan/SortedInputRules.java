package io.gatehouse.core.plan;

import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRules;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.convert.ConverterRule;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.type.SqlTypeUtil;

/**
 * The engine's operators that rely on sorted inputs (merge join, sorted aggregate) are kept to keys
 * whose order is the same in every source and in Java: numbers, dates and times, booleans.
 *
 * <p>The planner would otherwise ask each source to sort its side ({@code ORDER BY name}) and merge
 * the two in the engine. Text sorts by the source's collation: MariaDB's default is
 * case-insensitive, PostgreSQL's may be {@code C} or a locale's; Java compares UTF-16 code units.
 * Merging two sides sorted three different ways misses matches: a cross-source join on a text key
 * returned 3 of 13 matching rows before this guard. Binary and floating-point keys (NaN, -0.0) are
 * kept out for the same reason. Joins and aggregates on those keys use hashing instead, which does
 * not depend on order. An aggregate without GROUP BY is never a sorted one.
 */
final class SortedInputRules {
  private SortedInputRules() {}

  /** Replaces Calcite's merge-join and sorted-aggregate rules in {@code planner} by guarded ones. */
  static void install(RelOptPlanner planner) {
    planner.removeRule(EnumerableRules.ENUMERABLE_MERGE_JOIN_RULE);
    planner.removeRule(EnumerableRules.ENUMERABLE_SORTED_AGGREGATE_RULE);
    planner.addRule(config(EnumerableRules.ENUMERABLE_MERGE_JOIN_RULE)
        .withConversion(LogicalJoin.class, SortedInputRules::keysSortAlike, Convention.NONE,
            EnumerableConvention.INSTANCE, "GatehouseMergeJoinRule")
        .toRule());
    planner.addRule(config(EnumerableRules.ENUMERABLE_SORTED_AGGREGATE_RULE)
        .withConversion(LogicalAggregate.class, SortedInputRules::keysSortAlike, Convention.NONE,
            EnumerableConvention.INSTANCE, "GatehouseSortedAggregateRule")
        .toRule());
  }

  private static ConverterRule.Config config(RelOptRule rule) {
    return (ConverterRule.Config) ((RelRule<?>) rule).config;
  }

  /** Whether every equi-join key of {@code join}, on both sides, sorts and compares alike. */
  static boolean keysSortAlike(Join join) {
    var keys = join.analyzeCondition();
    return allSortAlike(join.getLeft(), keys.leftKeys) && allSortAlike(join.getRight(), keys.rightKeys);
  }

  /** Whether the columns {@code keys} of {@code rel} all sort and compare alike. */
  static boolean allSortAlike(org.apache.calcite.rel.RelNode rel, List<Integer> keys) {
    List<org.apache.calcite.rel.type.RelDataTypeField> fields = rel.getRowType().getFieldList();
    return keys.stream().allMatch(k -> sortsAlike(fields.get(k).getType()));
  }

  static boolean keysSortAlike(LogicalAggregate aggregate) {
    // Without keys there is nothing to sort by; Calcite's sorted aggregate then compared a bare
    // value as a key list (ClassCastException on TPC-H Q19 across sources). The hash aggregate
    // handles it.
    return !aggregate.getGroupSet().isEmpty()
        && allSortAlike(aggregate.getInput(), aggregate.getGroupSet().asList());
  }

  /** Whether every source and Java order values of {@code type} the same way. */
  static boolean sortsAlike(RelDataType type) {
    return SqlTypeUtil.isExactNumeric(type) || SqlTypeUtil.isDatetime(type)
        || SqlTypeUtil.isBoolean(type) || SqlTypeUtil.isInterval(type);
  }
}
