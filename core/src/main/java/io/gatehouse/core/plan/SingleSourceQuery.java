package io.gatehouse.core.plan;

import java.util.HashSet;
import java.util.Set;
import org.apache.calcite.adapter.jdbc.GatehouseJdbcBridge;
import org.apache.calcite.adapter.jdbc.JdbcTable;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalIntersect;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.logical.LogicalMinus;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.logical.LogicalSort;
import org.apache.calcite.rel.logical.LogicalUnion;
import org.apache.calcite.rel.logical.LogicalValues;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.SqlFunction;

/**
 * Recognises a query that reads one source only and that the source can run as written, so the
 * planner can hand the whole statement to it without cost-based planning.
 *
 * <p>Why: when every table is in one database, that database's own optimiser (with its indexes,
 * statistics and join algorithms) is the right one to order joins and run subqueries, and Calcite's
 * exhaustive join enumeration for a 6-table TPC-H query took up to a minute while finding a plan
 * that the source runs worse (Calcite's JDBC rules stop at semi-joins, correlated subqueries and
 * anti-joins, and fetch those inputs whole). The query is re-generated from the validated
 * relational tree in the source's dialect, so nothing the client typed reaches the source as text.
 *
 * <p>The checks are those of Calcite's JDBC rules, applied to the whole tree including the trees of
 * subqueries: only relational operators the SQL generator writes (scan, project, filter, join,
 * aggregate, sort, set operations, values), no user-defined functions, window functions only where
 * the dialect has them, aggregates the dialect declares, no grouping sets, no INTERSECT/EXCEPT ALL.
 * Anything else falls back to the cost-based planner, which pushes down what it can and runs the
 * rest in the engine.
 */
final class SingleSourceQuery {
  private SingleSourceQuery() {}

  /** The one source that can run {@code root} whole, or null. */
  static SourceConvention sourceOf(RelNode root) {
    Set<SourceConvention> sources = new HashSet<>();
    if (!structureSupported(root, sources) || sources.size() != 1) {
      return null;
    }
    SourceConvention source = sources.iterator().next();
    return dialectSupports(root, source.dialect) ? source : null;
  }

  /** Whether any expression in the tree holds a subquery. */
  static boolean hasSubQuery(RelNode rel) {
    return findSubQuery(rel, false);
  }

  /** Whether a projection anywhere in the tree (or in its subqueries) holds a subquery. */
  static boolean hasSubQueryInProjection(RelNode rel) {
    return findSubQuery(rel, true);
  }

  private static boolean findSubQuery(RelNode rel, boolean inProjectionsOnly) {
    boolean[] found = {false};
    new org.apache.calcite.rel.RelVisitor() {
      @Override
      public void visit(RelNode node, int ordinal, RelNode parent) {
        boolean counts = !inProjectionsOnly || node instanceof LogicalProject;
        node.accept(new RexShuttle() {
          @Override
          public RexNode visitSubQuery(RexSubQuery subQuery) {
            if (counts || findSubQuery(subQuery.rel, true)) {
              found[0] = true;
            }
            return subQuery;
          }
        });
        super.visit(node, ordinal, parent);
      }
    }.go(rel);
    return found[0];
  }

  /** Operators the SQL generator writes, tables of sources, no user-defined functions. */
  private static boolean structureSupported(RelNode rel, Set<SourceConvention> sources) {
    if (!operatorSupported(rel, sources)) {
      return false;
    }
    boolean[] ok = {true};
    rel.accept(new RexShuttle() {
      @Override
      public RexNode visitCall(RexCall call) {
        if (call.getOperator() instanceof SqlFunction f && f.getFunctionType().isUserDefined()) {
          ok[0] = false;
        }
        return super.visitCall(call);
      }

      @Override
      public RexNode visitSubQuery(RexSubQuery subQuery) {
        if (!structureSupported(subQuery.rel, sources)) {
          ok[0] = false;
        }
        return super.visitSubQuery(subQuery);
      }
    });
    if (!ok[0]) {
      return false;
    }
    for (RelNode input : rel.getInputs()) {
      if (!structureSupported(input, sources)) {
        return false;
      }
    }
    return true;
  }

  private static boolean operatorSupported(RelNode rel, Set<SourceConvention> sources) {
    if (rel instanceof TableScan scan) { // a source table converts itself to a JdbcTableScan
      JdbcTable table = scan.getTable().unwrap(JdbcTable.class);
      if (table == null || !(GatehouseJdbcBridge.convention(table) instanceof SourceConvention s)) {
        return false; // an engine-side table (the metadata schema)
      }
      sources.add(s);
      return sources.size() == 1;
    }
    if (rel instanceof LogicalProject || rel instanceof LogicalFilter || rel instanceof LogicalSort
        || rel instanceof LogicalUnion || rel instanceof LogicalValues) {
      return true;
    }
    if (rel instanceof LogicalIntersect i) {
      return !i.all;
    }
    if (rel instanceof LogicalMinus m) {
      return !m.all;
    }
    if (rel instanceof LogicalJoin) {
      return true; // semi- and anti-joins (from decorrelation) are written as EXISTS / NOT EXISTS
    }
    if (rel instanceof LogicalAggregate a) {
      return a.getGroupType() == Aggregate.Group.SIMPLE;
    }
    return false; // correlate (LATERAL), unnest, table functions, match_recognize...
  }

  /**
   * What the source's dialect must have: window functions where used, each aggregate function,
   * FILTER clauses on aggregates, each join type.
   */
  private static boolean dialectSupports(RelNode rel, SqlDialect dialect) {
    if (rel instanceof LogicalProject p && p.containsOver() && !dialect.supportsWindowFunctions()) {
      return false;
    }
    if (rel instanceof LogicalAggregate a) {
      for (AggregateCall call : a.getAggCallList()) {
        if (!dialect.supportsAggregateFunction(call.getAggregation().getKind())
            || call.distinctKeys != null
            || call.hasFilter() && !dialect.supportsAggregateFunctionFilter()) {
          return false;
        }
      }
    }
    if (rel instanceof LogicalJoin j && !dialect.supportsJoinType(j.getJoinType())) {
      return false;
    }
    boolean[] ok = {true};
    rel.accept(new RexShuttle() {
      @Override
      public RexNode visitSubQuery(RexSubQuery subQuery) {
        if (!dialectSupports(subQuery.rel, dialect)) {
          ok[0] = false;
        }
        return super.visitSubQuery(subQuery);
      }
    });
    if (!ok[0]) {
      return false;
    }
    for (RelNode input : rel.getInputs()) {
      if (!dialectSupports(input, dialect)) {
        return false;
      }
    }
    return true;
  }
}
