package io.gatehouse.core.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelShuttleImpl;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.rules.MultiJoin;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * Join order for an inner multi-way join over several sources: the tables of one source that are
 * joined to each other are joined first, so each such group reaches its source as one statement,
 * and the engine then joins the groups, the largest first.
 *
 * <p>Why: Calcite's heuristic join order ({@code LoptOptimizeJoinRule}) orders tables by size and
 * selectivity without knowing where they live. On TPC-H Q5 over two sources it joined a PostgreSQL
 * table to the MariaDB group before the other PostgreSQL tables, so the engine read all of lineitem
 * (600,000 rows) instead of one join of customer, orders and lineitem done by PostgreSQL. A source
 * orders the joins inside its group with its own statistics and indexes, better than the engine
 * could.
 *
 * <p>A group is a set of inputs of one source connected by join conditions among themselves (two
 * tables of one source linked only through a table of another source are two groups: joining them
 * directly would be a cross product). Groups are joined largest first, then each time the group
 * connected to what is joined so far that keeps the smallest share of its key table (see
 * {@link #keptShare}; the smaller group on a tie): the engine's hash join reads its left input as
 * a stream and holds the right one, and a small, selective right side is what a lookup join
 * ({@link LookupJoinRule}) turns into keys for the big side's statement.
 *
 * <p>Only all-inner joins are reordered here; outer joins, and joins over one source only, are left
 * to Calcite's rule. The result's columns are in the multi-join's order (a projection on top puts
 * them back).
 */
final class SourceJoinOrder {
  private SourceJoinOrder() {}

  /** The tree with each eligible {@link MultiJoin} replaced by a join tree in source order. */
  static RelNode apply(RelNode root) {
    return root.accept(new RelShuttleImpl() {
      @Override
      public RelNode visit(RelNode other) {
        RelNode visited = super.visit(other);
        if (visited instanceof MultiJoin multiJoin) {
          RelNode ordered = order(multiJoin);
          return ordered == null ? visited : ordered;
        }
        return visited;
      }
    });
  }

  /** The join tree for {@code join}, or null when it is not an all-inner join over two sources. */
  static RelNode order(MultiJoin join) {
    int n = join.getInputs().size();
    if (join.isFullOuterJoin() || join.getPostJoinFilter() != null) {
      return null;
    }
    for (int i = 0; i < n; i++) {
      if (join.getJoinTypes().get(i) != JoinRelType.INNER || join.getOuterJoinConditions().get(i) != null
          || join.getProjFields().get(i) != null) {
        return null;
      }
    }
    List<SourceConvention> sources = new ArrayList<>();
    for (RelNode input : join.getInputs()) {
      sources.add(SingleSourceQuery.sourceOf(input));
    }
    if (sources.stream().filter(s -> s != null).distinct().count() < 2) {
      return null;
    }
    int[] offsets = new int[n + 1];
    for (int i = 0; i < n; i++) {
      offsets[i + 1] = offsets[i] + join.getInputs().get(i).getRowType().getFieldCount();
    }
    List<Conjunct> conjuncts = new ArrayList<>();
    for (RexNode c : RelOptUtil.conjunctions(join.getJoinFilter())) {
      conjuncts.add(new Conjunct(c, inputsOf(c, offsets)));
    }
    if (conjuncts.stream().anyMatch(c -> c.inputs().cardinality() < 2)) {
      return null; // filters on one input were pushed down before; something unusual is going on
    }

    // Groups: inputs of one source connected by conditions among themselves (union-find).
    int[] parent = new int[n];
    for (int i = 0; i < n; i++) {
      parent[i] = i;
    }
    for (Conjunct c : conjuncts) {
      List<Integer> members = c.inputs().asList();
      SourceConvention first = sources.get(members.get(0));
      boolean sameSource = first != null
          && members.stream().allMatch(i -> sources.get(i) == first);
      if (sameSource) {
        for (int i : members) {
          parent[find(parent, i)] = find(parent, members.get(0));
        }
      }
    }
    Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      groups.computeIfAbsent(find(parent, i), k -> new ArrayList<>()).add(i);
    }

    RelBuilder builder = RelFactories.LOGICAL_BUILDER.create(join.getCluster(), null);
    RelMetadataQuery mq = join.getCluster().getMetadataQuery();
    List<Tree> blocks = new ArrayList<>();
    for (List<Integer> members : groups.values()) {
      List<Tree> single = new ArrayList<>();
      for (int i : members) {
        single.add(new Tree(join.getInputs().get(i), List.of(i), mq.getRowCount(join.getInputs().get(i))));
      }
      blocks.add(joinAll(single, conjuncts, offsets, join, builder, mq));
    }
    Tree all = joinAll(blocks, conjuncts, offsets, join, builder, mq);

    // Put the columns back in the multi-join's order.
    Map<Integer, Integer> startOf = new HashMap<>();
    int position = 0;
    for (int input : all.inputs()) {
      startOf.put(input, position);
      position += join.getInputs().get(input).getRowType().getFieldCount();
    }
    List<RexNode> columns = new ArrayList<>();
    RexBuilder rex = join.getCluster().getRexBuilder();
    for (int i = 0; i < n; i++) {
      for (int f = 0; f < offsets[i + 1] - offsets[i]; f++) {
        columns.add(rex.makeInputRef(all.rel(), startOf.get(i) + f));
      }
    }
    return builder.push(all.rel())
        .project(columns, join.getRowType().getFieldNames(), true)
        .build();
  }

  /**
   * Joins trees into one: the largest first, then each time the connected one with the smallest
   * kept share (or, when none is connected, the smallest left). Each condition is applied at the first
   * join where all the inputs it names are present.
   */
  private static Tree joinAll(List<Tree> trees, List<Conjunct> conjuncts, int[] offsets,
      MultiJoin join, RelBuilder builder, RelMetadataQuery mq) {
    List<Tree> left = new ArrayList<>(trees);
    left.sort(Comparator.comparingDouble(Tree::rows).reversed());
    Tree current = left.remove(0);
    while (!left.isEmpty()) {
      ImmutableBitSet joined = current.inputSet();
      Tree next = null;
      double nextShare = Double.MAX_VALUE;
      for (Tree candidate : left) {
        ImmutableBitSet both = joined.union(candidate.inputSet());
        List<Conjunct> linking = conjuncts.stream().filter(c -> both.contains(c.inputs())
            && !joined.contains(c.inputs()) && !candidate.inputSet().contains(c.inputs())).toList();
        if (linking.isEmpty()) {
          continue;
        }
        double share = keptShare(candidate, linking, offsets, mq);
        if (next == null || share < nextShare || (share == nextShare && candidate.rows() < next.rows())) {
          next = candidate;
          nextShare = share;
        }
      }
      if (next == null) {
        next = left.get(left.size() - 1); // no condition links them: the smallest
      }
      left.remove(next);
      current = join(current, next, conjuncts, offsets, join, builder, mq);
    }
    return current;
  }

  /**
   * How much of the table behind its join keys a candidate keeps: its estimated rows over the rows
   * of the table its key columns come from (at most 1; 1 when unknown). A part table filtered to a
   * few types keeps a small share of part keys, and joining it first keeps a small share of the
   * big side's rows, which is what makes the big side's statement cheap when its keys are looked
   * up. The smallest share goes first; an unfiltered dimension (a share of 1) last.
   */
  private static double keptShare(Tree candidate, List<Conjunct> linking, int[] offsets,
      RelMetadataQuery mq) {
    // the multi-join's columns that are in the candidate, by their position in the candidate
    Map<Integer, Integer> local = new HashMap<>();
    int at = 0;
    for (int input : candidate.inputs()) {
      for (int f = offsets[input]; f < offsets[input + 1]; f++) {
        local.put(f, at++);
      }
    }
    double tableRows = 0;
    for (Conjunct c : linking) {
      for (int field : RelOptUtil.InputFinder.bits(c.condition())) {
        Integer column = local.get(field);
        if (column == null) {
          continue;
        }
        org.apache.calcite.rel.metadata.RelColumnOrigin origin =
            mq.getColumnOrigin(candidate.rel(), column);
        if (origin != null && !origin.isDerived()) {
          tableRows = Math.max(tableRows, origin.getOriginTable().getRowCount());
        }
      }
    }
    return tableRows <= 0 ? 1 : Math.min(1, candidate.rows() / tableRows);
  }

  private static Tree join(Tree left, Tree right, List<Conjunct> conjuncts, int[] offsets,
      MultiJoin join, RelBuilder builder, RelMetadataQuery mq) {
    List<Integer> inputs = new ArrayList<>(left.inputs());
    inputs.addAll(right.inputs());
    ImmutableBitSet both = left.inputSet().union(right.inputSet());
    // where each of the multi-join's columns is in the joined row
    Map<Integer, Integer> position = new HashMap<>();
    int at = 0;
    for (int input : inputs) {
      for (int f = offsets[input]; f < offsets[input + 1]; f++) {
        position.put(f, at++);
      }
    }
    List<RexNode> condition = new ArrayList<>();
    for (Conjunct c : conjuncts) {
      if (both.contains(c.inputs()) && !left.inputSet().contains(c.inputs())
          && !right.inputSet().contains(c.inputs())) {
        condition.add(c.condition().accept(new RexShuttle() {
          @Override
          public RexNode visitInputRef(RexInputRef ref) {
            return new RexInputRef(position.get(ref.getIndex()), ref.getType());
          }
        }));
      }
    }
    RexBuilder rex = join.getCluster().getRexBuilder();
    RelNode rel = builder.push(left.rel()).push(right.rel())
        .join(JoinRelType.INNER, RexUtil.composeConjunction(rex, condition))
        .build();
    return new Tree(rel, inputs, mq.getRowCount(rel));
  }

  private static ImmutableBitSet inputsOf(RexNode condition, int[] offsets) {
    ImmutableBitSet.Builder inputs = ImmutableBitSet.builder();
    for (int field : RelOptUtil.InputFinder.bits(condition)) {
      int input = 0;
      while (offsets[input + 1] <= field) {
        input++;
      }
      inputs.set(input);
    }
    return inputs.build();
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  /** A condition of the multi-join and the inputs it names. */
  private record Conjunct(RexNode condition, ImmutableBitSet inputs) {}

  /** A joined tree, the multi-join inputs it holds in its column order, and its estimated rows. */
  private record Tree(RelNode rel, List<Integer> inputs, double rows) {
    ImmutableBitSet inputSet() {
      return ImmutableBitSet.of(inputs);
    }
  }
}
