package io.gatehouse.core.plan;

import io.gatehouse.core.exec.LookupJoinSpec;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableHashJoin;
import org.apache.calcite.adapter.enumerable.EnumerableMergeJoin;
import org.apache.calcite.adapter.enumerable.EnumerableSort;
import org.apache.calcite.adapter.enumerable.EnumerableNestedLoopJoin;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelCollation;
import org.apache.calcite.rel.RelCollationTraitDef;
import org.apache.calcite.rel.RelCollations;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelShuttleImpl;
import org.apache.calcite.rel.RelVisitor;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinInfo;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.Calc;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.metadata.RelColumnOrigin;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexProgram;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rex.RexCorrelVariable;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.ImmutableBitSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns engine joins into {@link LookupJoin}s where that is estimated to be much cheaper: after
 * cost-based planning, over the chosen physical plan, so the choice is this class's own cost model
 * rather than a rule's guess inside the planner's search (Calcite's batch nested-loop rule, tried
 * before, was chosen for joins of two big sides and sent thousands of statements).
 *
 * <p>A join qualifies when one input is a subtree that runs in one source (the big side), the
 * other (the small side) is estimated at most {@link #MAX_SMALL_ROWS} rows, the condition has
 * equality keys of types compared alike in the engine and the sources, and the join type lets the
 * big side's unmatched rows be dropped (inner, semi, anti and outer joins preserving the small side).
 *
 * <p>Cost, in rows read through the engine:
 * <pre>
 *   statement = {@link #STATEMENT_ROWS} + {@link #SOURCE_SCAN_FACTOR} * rows the big side's tables hold
 *   full      = statement + rows of the big side
 *   lookups   = statements * statement + rows of the big side that match
 *   statements = ceil(distinct keys of the small side / keys per statement)
 *   matching  = rows of the big side * min(1, distinct small keys / distinct big keys)
 * </pre>
 * Each statement is charged a full pass over the big side's tables at the source (no index is
 * assumed). Lookups are used when {@code 2 * lookups < full}: estimates are rough, and a lookup
 * join cannot start the big side before the small side has finished.
 */
final class LookupJoinRule {
  private static final Logger LOG = LoggerFactory.getLogger(LookupJoinRule.class);

  /** A small side estimated larger than this is never considered. */
  static final double MAX_SMALL_ROWS = 20_000;
  /** The cost of one statement's round trip and start, in rows read. */
  static final double STATEMENT_ROWS = 1_000;
  /** The cost of a row a source reads but does not send, relative to one sent to the engine. */
  static final double SOURCE_SCAN_FACTOR = 0.05;
  /** Without a distinct count from the source, a big side's key is taken to repeat this often. */
  static final double ROWS_PER_KEY_GUESS = 10;
  /** The run-time guard never allows more keys than this, whatever the estimates. */
  static final int MAX_KEYS = 50_000;

  private static final Set<SqlTypeName> INTEGERS = EnumSet.of(SqlTypeName.TINYINT,
      SqlTypeName.SMALLINT, SqlTypeName.INTEGER, SqlTypeName.BIGINT);
  private static final Set<SqlTypeName> EXACT = EnumSet.of(SqlTypeName.DECIMAL,
      SqlTypeName.VARCHAR, SqlTypeName.DATE);

  private LookupJoinRule() {}

  /** The plan with qualifying joins replaced; the same tree when none qualifies. */
  static RelNode apply(RelNode root) {
    return root.accept(new RelShuttleImpl() {
      @Override
      public RelNode visit(RelNode other) {
        RelNode rel = super.visit(other);
        if (rel instanceof EnumerableSort outer && outer.fetch == null && outer.offset == null
            && outer.getInput() instanceof EnumerableSort inner && inner.fetch == null
            && inner.offset == null) {
          // A sort directly below another one is undone by it (one the rewrite may have added).
          return outer.copy(outer.getTraitSet(), inner.getInput(), outer.getCollation());
        }
        if (rel instanceof EnumerableHashJoin || rel instanceof EnumerableNestedLoopJoin
            || rel instanceof EnumerableMergeJoin) {
          RelNode lookup = lookupJoin((Join) rel);
          if (lookup != null) {
            return lookup;
          }
        }
        return rel;
      }
    });
  }

  /** The join as a lookup join (with its non-equality conditions above it), or null. */
  private static RelNode lookupJoin(Join original) {
    if (!original.getVariablesSet().isEmpty()) {
      return null;
    }
    Join join = original;
    List<RelCollation> orders = join.getTraitSet().getTraits(RelCollationTraitDef.INSTANCE);
    List<RelCollation> promised = orders == null ? List.of()
        : orders.stream().filter(c -> !c.getFieldCollations().isEmpty()).toList();
    // A merge join promises its output sorted by either side's keys; on an inner join they are
    // equal, so one sort keeps both promises. Elsewhere two promises are not kept by one sort.
    if (promised.size() > 1 && join.getJoinType() != JoinRelType.INNER) {
      return null;
    }
    RelCollation order = promised.isEmpty() ? null : promised.get(0);
    // A merge join's inputs are sorted for it, often by the sources: a lookup join needs no order.
    List<RelNode> inputs = List.of(withoutOrder(join.getLeft()), withoutOrder(join.getRight()));
    JoinInfo info = JoinInfo.createWithStrictEquality(join.getLeft(), join.getRight(),
        join.getCondition()); // IS NOT DISTINCT FROM stays a condition checked row by row
    if (info.leftKeys.isEmpty() || !typesQualify(join, info)) {
      return null;
    }
    if (RexUtil.containsCorrelation(join.getCondition())) {
      return null;
    }
    Candidate best = null;
    for (int bigInput = 0; bigInput < 2; bigInput++) {
      Candidate c = candidate(join, info, inputs, bigInput);
      if (c != null && (best == null || c.lookupCost < best.lookupCost)) {
        best = c;
      }
    }
    if (best == null) {
      return null;
    }
    LOG.debug("lookup join: {}", best);
    RelTraitSet traits = join.getCluster().traitSetOf(EnumerableConvention.INSTANCE);
    LookupJoin lookup = new LookupJoin(join.getCluster(), traits, inputs.get(0), inputs.get(1),
        join.getCondition(), join.getJoinType(), best.bigInput, best.mode, best.maxKeys);
    try {
      lookup.spec();
    } catch (RuntimeException | AssertionError e) {
      LOG.debug("the SQL generator cannot write the lookup statements; keeping the join", e);
      return null;
    }
    RelNode result = lookup;
    if (order != null) {
      // The plan above may rely on the order the replaced join promised (a merge join's).
      result = EnumerableSort.create(result, order, null, null);
    }
    return result;
  }

  /**
   * The input without a sort that only orders it (no limit or offset): an engine sort, or a sort
   * at the top of a source's statement.
   */
  private static RelNode withoutOrder(RelNode input) {
    if (input instanceof EnumerableSort sort && sort.fetch == null && sort.offset == null) {
      return withoutOrder(sort.getInput());
    }
    if (input instanceof SourceToEnumerableConverter converter
        && converter.getInput() instanceof Sort sort && sort.fetch == null && sort.offset == null) {
      return new SourceToEnumerableConverter(converter.getCluster(),
          converter.getTraitSet().replace(RelCollations.EMPTY), sort.getInput());
    }
    return input;
  }

  private record Candidate(int bigInput, LookupJoinSpec.Mode mode, double smallRows,
      double smallKeys, double bigRows, double matching, double statements, double lookupCost,
      double fullCost, int maxKeys) {}

  private static Candidate candidate(Join join, JoinInfo info, List<RelNode> inputs,
      int bigInput) {
    RelNode big = inputs.get(bigInput);
    RelNode small = inputs.get(1 - bigInput);
    if (!(big instanceof SourceToEnumerableConverter converter) || !selfContained(converter)) {
      return null;
    }
    LookupJoinSpec.Mode mode = mode(join.getJoinType(), bigInput);
    if (mode == null) {
      return null;
    }
    RelMetadataQuery mq = join.getCluster().getMetadataQuery();
    Double smallRows = mq.getRowCount(small);
    Double bigRows = mq.getRowCount(big);
    if (smallRows == null || bigRows == null || smallRows > MAX_SMALL_ROWS) {
      return null;
    }
    ImmutableBitSet smallKeySet = ImmutableBitSet.of(bigInput == 0 ? info.rightKeys : info.leftKeys);
    ImmutableBitSet bigKeySet = ImmutableBitSet.of(bigInput == 0 ? info.leftKeys : info.rightKeys);
    Double smallDistinct = mq.getDistinctRowCount(small, smallKeySet, null);
    double smallKeys = Math.max(1, Math.min(smallRows,
        smallDistinct == null ? smallRows : smallDistinct));
    double matching = bigRows * matchingFraction(mq, small, smallKeySet, smallKeys, smallRows, big,
        bigKeySet, bigRows);
    double statement = STATEMENT_ROWS + SOURCE_SCAN_FACTOR * tableRows(converter.getInput(), mq);
    double statements = Math.ceil(smallKeys / LookupJoin.KEYS_PER_STATEMENT);
    double lookupCost = statements * statement + matching;
    double fullCost = statement + bigRows;
    if (2 * lookupCost >= fullCost) {
      LOG.debug("no lookup join (input {} big): lookups cost {}, reading it whole {}", bigInput,
          lookupCost, fullCost);
      return null;
    }
    // At run time the keys are counted: past half the number of statements that cost as much as
    // reading the big side whole (the same margin), it is read whole.
    long breakEven = (long) (fullCost / statement / 2) * LookupJoin.KEYS_PER_STATEMENT;
    int maxKeys = (int) Math.max(LookupJoin.KEYS_PER_STATEMENT, Math.min(MAX_KEYS, breakEven));
    return new Candidate(bigInput, mode, smallRows, smallKeys, bigRows, matching, statements,
        lookupCost, fullCost, maxKeys);
  }

  /**
   * The share of the big side's rows whose key is among the small side's keys. Two estimates,
   * the larger (more careful) one taken: the small side's distinct keys over the big side's
   * distinct keys, where the metadata knows them (a unique key); and, for each key column that
   * comes unchanged from a table, the small side's distinct values over that table's rows (its
   * domain: a small side that keeps all 1,000 suppliers asks for all of them, one that keeps 100
   * of 20,000 parts for 0.5% of the rows keyed by part). Without either, a big side's key is
   * taken to repeat {@link #ROWS_PER_KEY_GUESS} times.
   */
  private static double matchingFraction(RelMetadataQuery mq, RelNode small,
      ImmutableBitSet smallKeySet, double smallKeys, double smallRows, RelNode big,
      ImmutableBitSet bigKeySet, double bigRows) {
    Double estimate = null;
    Double bigDistinct = mq.getDistinctRowCount(big, bigKeySet, null);
    if (bigDistinct != null && bigDistinct >= 1) {
      estimate = smallKeys / bigDistinct;
    }
    Double byDomain = null;
    for (int column : smallKeySet) {
      Double domain = domain(mq, small, column);
      if (domain == null) {
        continue;
      }
      Double distinct = mq.getDistinctRowCount(small, ImmutableBitSet.of(column), null);
      double values = Math.max(1, Math.min(smallRows, distinct == null ? smallRows : distinct));
      double share = values / domain;
      // A row must match every key column: the least covered column bounds the share.
      byDomain = byDomain == null ? share : Math.min(byDomain, share);
    }
    if (byDomain != null) {
      estimate = estimate == null ? byDomain : Math.max(estimate, byDomain);
    }
    if (estimate == null) {
      estimate = smallKeys / Math.max(1, bigRows / ROWS_PER_KEY_GUESS);
    }
    return Math.min(1, estimate);
  }

  /** The rows of the table a column comes from unchanged, or null when it is computed. */
  private static Double domain(RelMetadataQuery mq, RelNode rel, int column) {
    RelOptTable table = originTable(mq, rel, column);
    if (table == null) {
      return null;
    }
    double rows = table.getRowCount();
    return rows >= 1 ? rows : null;
  }

  /**
   * The table a column's values come from unchanged, through the nodes a plan has between a
   * table and a join here (Calcite's own column-origin metadata stops at a source's converter).
   */
  private static RelOptTable originTable(RelMetadataQuery mq, RelNode rel, int column) {
    if (rel instanceof SourceToEnumerableConverter || rel instanceof Sort
        || rel instanceof Filter) {
      return originTable(mq, rel.getInput(0), column);
    }
    if (rel instanceof Join join && join.getJoinType().projectsRight()) {
      int left = join.getLeft().getRowType().getFieldCount();
      return column < left ? originTable(mq, join.getLeft(), column)
          : originTable(mq, join.getRight(), column - left);
    }
    if (rel instanceof Project project) {
      return project.getProjects().get(column) instanceof RexInputRef ref
          ? originTable(mq, project.getInput(), ref.getIndex()) : null;
    }
    if (rel instanceof Calc calc) {
      RexProgram program = calc.getProgram();
      RexNode e = program.expandLocalRef(program.getProjectList().get(column));
      return e instanceof RexInputRef ref ? originTable(mq, calc.getInput(), ref.getIndex()) : null;
    }
    Set<RelColumnOrigin> origins = mq.getColumnOrigins(rel, column);
    if (origins == null || origins.size() != 1) {
      return null;
    }
    RelColumnOrigin origin = origins.iterator().next();
    return origin.isDerived() ? null : origin.getOriginTable();
  }

  /** What a join of this type returns when the big side is input {@code bigInput}; null if unsafe. */
  private static LookupJoinSpec.Mode mode(JoinRelType type, int bigInput) {
    boolean bigRight = bigInput == 1;
    switch (type) {
      case INNER:
        return LookupJoinSpec.Mode.INNER;
      case SEMI:
        return bigRight ? LookupJoinSpec.Mode.SEMI_SMALL : LookupJoinSpec.Mode.SEMI_BIG;
      case ANTI:
        return bigRight ? LookupJoinSpec.Mode.ANTI_SMALL : null;
      case LEFT:
        return bigRight ? LookupJoinSpec.Mode.OUTER_SMALL : null;
      case RIGHT:
        return bigRight ? null : LookupJoinSpec.Mode.OUTER_SMALL;
      default:
        return null;
    }
  }

  /**
   * Keys whose values the engine compares as the sources do (up to a source's looser string
   * comparison, which the engine's exact one then narrows): integers of any width, and decimals,
   * strings and dates of the same type on both sides. Not CHAR (padding), floating point,
   * times or binary.
   */
  private static boolean typesQualify(Join join, JoinInfo info) {
    for (int i = 0; i < info.leftKeys.size(); i++) {
      SqlTypeName l = join.getLeft().getRowType().getFieldList().get(info.leftKeys.get(i))
          .getType().getSqlTypeName();
      SqlTypeName r = join.getRight().getRowType().getFieldList().get(info.rightKeys.get(i))
          .getType().getSqlTypeName();
      boolean ok = INTEGERS.contains(l) && INTEGERS.contains(r) || EXACT.contains(l) && l == r;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** No correlation variable and no parameter index in the range lookups use for their keys. */
  private static boolean selfContained(SourceToEnumerableConverter converter) {
    boolean[] ok = {true};
    RexShuttle check = new RexShuttle() {
      @Override
      public RexNode visitCorrelVariable(RexCorrelVariable v) {
        ok[0] = false;
        return v;
      }

      @Override
      public RexNode visitDynamicParam(RexDynamicParam p) {
        if (p.getIndex() >= LookupJoinSpec.KEY_PARAMETER_BASE) {
          ok[0] = false;
        }
        return p;
      }
    };
    new RelVisitor() {
      @Override
      public void visit(RelNode node, int ordinal, RelNode parent) {
        node.accept(check);
        super.visit(node, ordinal, parent);
      }
    }.go(converter.getInput());
    return ok[0];
  }

  /** The rows of the tables a source subtree reads: what the source scans at most per statement. */
  private static double tableRows(RelNode rel, RelMetadataQuery mq) {
    List<Double> rows = new ArrayList<>();
    new RelVisitor() {
      @Override
      public void visit(RelNode node, int ordinal, RelNode parent) {
        if (node instanceof TableScan scan) {
          Double r = mq.getRowCount(scan);
          rows.add(r == null ? 0 : r);
        }
        super.visit(node, ordinal, parent);
      }
    }.go(rel);
    return rows.stream().mapToDouble(Double::doubleValue).sum();
  }
}
