package io.gatehouse.core.plan;

import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.rules.AggregateJoinTransposeRule;

/**
 * Partial aggregates before a join: Calcite's {@link AggregateJoinTransposeRule} (extended form:
 * SUM, COUNT, MIN, MAX split across the join), which for a join across sources lets each source
 * pre-aggregate its side by its join keys.
 *
 * <p>Only where the grouping cannot change the answer: every group key and join key must be of a
 * type every source compares like Java ({@link SortedInputRules#sortsAlike}: numbers, dates and
 * times, booleans). A source grouping text groups by its collation, and MariaDB's default is
 * case-insensitive: 'purchase' and 'PURCHASE' became one group there, which the engine's exact
 * join then failed to match (a count of 10,000 came back as 0 in {@code LookupJoinTest}).
 */
final class PartialAggregateRule extends AggregateJoinTransposeRule {
  static final PartialAggregateRule INSTANCE = new PartialAggregateRule();

  private PartialAggregateRule() {
    super(AggregateJoinTransposeRule.Config.EXTENDED);
  }

  @Override
  public boolean matches(RelOptRuleCall call) {
    Aggregate aggregate = call.rel(0);
    Join join = call.rel(1);
    return SortedInputRules.allSortAlike(join, aggregate.getGroupSet().asList())
        && SortedInputRules.keysSortAlike(join) && super.matches(call);
  }
}
