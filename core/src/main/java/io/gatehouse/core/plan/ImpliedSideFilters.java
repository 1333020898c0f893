package io.gatehouse.core.plan;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * Filters implied for one side of a join by an OR that names both sides: from
 * {@code (a1 AND b1) OR (a2 AND b2)}, where the {@code a}s name only the left input and the
 * {@code b}s only the right, the left side may apply {@code a1 OR a2} and the right side
 * {@code b1 OR b2} before the join. The OR itself stays, and is checked on the joined rows.
 *
 * <p>Why: an OR across two sources can only be checked after the join, so without these each
 * source sent every row the OR might need. TPC-H Q19 over two sources read all parts of size 1 or
 * more and every lineitem shipped by air in person, then joined them; with the implied filters
 * part returns only the few parts of the three brand/container/size branches, which is small
 * enough for their keys to be looked up in lineitem ({@link LookupJoinRule}).
 *
 * <p>Valid where a row is kept only if the condition is true (a WHERE filter, an inner join's
 * condition): a true OR has a true branch, whose conjuncts are all true, so the filter derived for
 * each side is true too. A side gets a filter only when every branch has a conjunct that names
 * that side alone; one branch without would let any row of that side through.
 */
final class ImpliedSideFilters {
  private ImpliedSideFilters() {}

  /**
   * {@code condition} with, for each OR among its conjuncts, the filters it implies for the
   * fields {@code [0, leftCount)} and {@code [leftCount, fieldCount)} added as further conjuncts.
   */
  static RexNode added(RexBuilder rex, RexNode condition, int leftCount, int fieldCount) {
    List<RexNode> conjuncts = RelOptUtil.conjunctions(condition);
    List<RexNode> implied = new ArrayList<>();
    ImmutableBitSet left = ImmutableBitSet.range(0, leftCount);
    ImmutableBitSet right = ImmutableBitSet.range(leftCount, fieldCount);
    for (RexNode conjunct : conjuncts) {
      if (conjunct.getKind() != SqlKind.OR) {
        continue;
      }
      ImmutableBitSet used = RelOptUtil.InputFinder.bits(conjunct);
      if (left.contains(used) || right.contains(used)) {
        continue; // one side already: Calcite pushes it down as it is
      }
      for (ImmutableBitSet side : List.of(left, right)) {
        RexNode filter = impliedFor(rex, RelOptUtil.disjunctions(conjunct), side);
        if (filter != null && !conjuncts.contains(filter) && !implied.contains(filter)) {
          implied.add(filter);
        }
      }
    }
    if (implied.isEmpty()) {
      return condition;
    }
    List<RexNode> all = new ArrayList<>(conjuncts);
    all.addAll(implied);
    return RexUtil.composeConjunction(rex, all);
  }

  /** OR over the branches of each branch's conjuncts on {@code side} only; null if one has none. */
  private static RexNode impliedFor(RexBuilder rex, List<RexNode> branches, ImmutableBitSet side) {
    List<RexNode> perBranch = new ArrayList<>();
    for (RexNode branch : branches) {
      List<RexNode> own = new ArrayList<>();
      for (RexNode c : RelOptUtil.conjunctions(branch)) {
        ImmutableBitSet used = RelOptUtil.InputFinder.bits(c);
        if (!used.isEmpty() && side.contains(used) && RexUtil.isDeterministic(c)) {
          own.add(c);
        }
      }
      if (own.isEmpty()) {
        return null;
      }
      perBranch.add(RexUtil.composeConjunction(rex, own));
    }
    return RexUtil.composeDisjunction(rex, perBranch);
  }
}
