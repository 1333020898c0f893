package io.gatehouse.core.plan;

import io.gatehouse.core.exec.HeldRows;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableAggregate;
import org.apache.calcite.adapter.enumerable.EnumerableBatchNestedLoopJoin;
import org.apache.calcite.adapter.enumerable.EnumerableCalc;
import org.apache.calcite.adapter.enumerable.EnumerableCorrelate;
import org.apache.calcite.adapter.enumerable.EnumerableFilter;
import org.apache.calcite.adapter.enumerable.EnumerableHashJoin;
import org.apache.calcite.adapter.enumerable.EnumerableLimit;
import org.apache.calcite.adapter.enumerable.EnumerableLimitSort;
import org.apache.calcite.adapter.enumerable.EnumerableMergeJoin;
import org.apache.calcite.adapter.enumerable.EnumerableNestedLoopJoin;
import org.apache.calcite.adapter.enumerable.EnumerableProject;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.EnumerableSortedAggregate;
import org.apache.calcite.adapter.enumerable.EnumerableUncollect;
import org.apache.calcite.adapter.enumerable.EnumerableUnion;
import org.apache.calcite.adapter.enumerable.EnumerableValues;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.SingleRel;

/**
 * Where the engine's own operators keep rows in memory, counts them against the query's memory
 * account ({@code engine.memoryBudget}, see {@link io.gatehouse.core.exec.EngineMemory}).
 *
 * <p>{@link #placeIn} runs once on a finished physical plan (the planner never sees these nodes, so
 * they cannot change its choices) and puts a meter on each input an operator holds:
 * <ul>
 *   <li>the build (right) side of a hash join, the small side of a lookup join, and a sort's, a window's, a distinct union's,
 *       an INTERSECT's and an EXCEPT's inputs: charged row by row as they pass;
 *   <li>a hash aggregate's output: its groups are held until the last one is read;
 *   <li>the inner side of a nested-loop join: read once, kept and charged, and replayed for each
 *       outer row. Calcite's nested-loop join enumerates its inner input again for every outer row,
 *       which for a source meant sending the inner statement once per outer row.
 * </ul>
 * Operators known to stream (calc, filter, project, limit, top-N sort, merge join, sorted aggregate,
 * UNION ALL) get none; an operator not known here is assumed to hold all its inputs, so a new
 * Calcite operator is over- rather than under-counted. The inner side of a correlate (run again with
 * new variables for each outer row, one row set at a time) is left as it is.
 */
public final class HeldRowsMeter extends SingleRel implements EnumerableRel {
  private final boolean readOnce;

  private HeldRowsMeter(RelNode input, boolean readOnce) {
    super(input.getCluster(), input.getTraitSet(), input);
    this.readOnce = readOnce;
  }

  /** {@code physical} with meters on the inputs its operators hold. */
  public static RelNode placeIn(RelNode physical) {
    return place(physical);
  }

  private enum Held { NONE, CHARGED, READ_ONCE }

  private static RelNode place(RelNode rel) {
    if (rel instanceof SourceToEnumerableConverter || rel.getInputs().isEmpty()) {
      return rel; // below a converter is the source's SQL, not engine work
    }
    boolean rerunRight = rel instanceof EnumerableCorrelate
        || rel instanceof EnumerableBatchNestedLoopJoin;
    List<RelNode> inputs = new ArrayList<>();
    boolean changed = false;
    for (int i = 0; i < rel.getInputs().size(); i++) {
      RelNode in = rel.getInput(i);
      RelNode placed = rerunRight && i == 1 ? in : place(in);
      Held held = rerunRight ? Held.NONE : held(rel, i);
      if (placed instanceof HeldRowsMeter m) {
        if (held == Held.READ_ONCE && !m.readOnce) {
          placed = new HeldRowsMeter(m.getInput(), true); // an aggregate's groups, read once
        }
      } else if (held != Held.NONE) {
        placed = new HeldRowsMeter(placed, held == Held.READ_ONCE);
      }
      changed |= placed != in;
      inputs.add(placed);
    }
    RelNode out = changed ? rel.copy(rel.getTraitSet(), inputs) : rel;
    if (out instanceof EnumerableAggregate a && !a.getGroupSet().isEmpty()) {
      out = new HeldRowsMeter(out, false);
    }
    return out;
  }

  private static Held held(RelNode rel, int input) {
    if (rel instanceof EnumerableHashJoin) {
      return input == 1 ? Held.CHARGED : Held.NONE;
    }
    if (rel instanceof LookupJoin l) {
      // the small side is held; the big side is its source's statements, streamed
      return input == l.bigInput() ? Held.NONE : Held.CHARGED;
    }
    if (rel instanceof EnumerableNestedLoopJoin) {
      return input == 1 ? Held.READ_ONCE : Held.NONE;
    }
    if (rel instanceof EnumerableUnion u) {
      return u.all ? Held.NONE : Held.CHARGED;
    }
    if (rel instanceof EnumerableCalc || rel instanceof EnumerableProject
        || rel instanceof EnumerableFilter || rel instanceof EnumerableLimit
        || rel instanceof EnumerableLimitSort || rel instanceof EnumerableMergeJoin
        || rel instanceof EnumerableSortedAggregate || rel instanceof EnumerableAggregate
        || rel instanceof EnumerableValues || rel instanceof EnumerableUncollect
        || rel instanceof HeldRowsMeter) {
      return Held.NONE;
    }
    // EnumerableSort, EnumerableWindow, EnumerableIntersect, EnumerableMinus, and any operator
    // not listed above.
    return Held.CHARGED;
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new HeldRowsMeter(sole(inputs), readOnce);
  }

  @Override
  public RelWriter explainTerms(RelWriter pw) {
    return super.explainTerms(pw).itemIf("readOnce", true, readOnce);
  }

  @Override
  public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    BlockBuilder builder = new BlockBuilder();
    Result input = implementor.visitChild(this, 0, (EnumerableRel) getInput(), pref);
    Expression rows = builder.append("held", input.block);
    builder.add(Expressions.return_(null, Expressions.call(HeldRows.class,
        readOnce ? "readOnce" : "charged", rows, DataContext.ROOT,
        Expressions.constant(getRowType().getFieldCount()))));
    return implementor.result(input.physType, builder.toBlock());
  }
}
