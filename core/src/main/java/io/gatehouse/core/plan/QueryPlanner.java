package io.gatehouse.core.plan;

import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import io.gatehouse.core.exec.SourceQuery;
import io.gatehouse.core.guard.GuardedQuery;
import io.gatehouse.core.guard.SqlSyntax;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableInterpretable;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.plan.Contexts;
import org.apache.calcite.plan.ConventionTraitDef;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.plan.volcano.VolcanoPlanner;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.RelShuttleImpl;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.rules.ProjectToWindowRule;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.logical.LogicalSort;
import org.apache.calcite.rel.RelCollationTraitDef;
import org.apache.calcite.rel.RelCollations;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexExecutorImpl;
import org.apache.calcite.runtime.Bindable;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.SqlExplainLevel;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorUtil;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.apache.calcite.sql2rel.StandardConvertletTable;
import org.apache.calcite.tools.Program;
import org.apache.calcite.tools.Programs;
import org.apache.calcite.DataContexts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a guarded query tree into a {@link PlannedQuery}: validation against the caller's schemas,
 * conversion to relational algebra, cost-based optimisation with every source's pushdown rules, and
 * either the one statement for the source (when the whole query runs there) or compiled engine code.
 *
 * <p>Differences from Calcite's stock preparation, and why:
 * <ul>
 *   <li>The rule that splits window functions out of a projection only matches projections not yet
 *       assigned to a source ({@link LogicalProject}); the stock rule also fires inside a source's
 *       subtree and produces a node the SQL generator cannot handle, so window functions never pushed
 *       down and failed with an AssertionError.</li>
 *   <li>Identifiers match case-insensitively ({@link SqlSyntax}).</li>
 *   <li>Tables carry the row counts the source reports, so join order and pushdown are cost-based on
 *       real sizes.</li>
 *   <li>Any {@link Throwable} from Calcite (including AssertionError) becomes a coded error; it never
 *       escapes to kill the caller's connection.</li>
 * </ul>
 */
public final class QueryPlanner {
  private static final Logger LOG = LoggerFactory.getLogger(QueryPlanner.class);

  /** Aggregates also offered as SUM/COUNT forms: the engine cannot run them as they are. */
  private static final java.util.EnumSet<org.apache.calcite.sql.SqlKind> REDUCED_AGGREGATES =
      java.util.EnumSet.of(org.apache.calcite.sql.SqlKind.AVG, org.apache.calcite.sql.SqlKind.STDDEV_POP,
          org.apache.calcite.sql.SqlKind.STDDEV_SAMP, org.apache.calcite.sql.SqlKind.VAR_POP,
          org.apache.calcite.sql.SqlKind.VAR_SAMP, org.apache.calcite.sql.SqlKind.COVAR_POP,
          org.apache.calcite.sql.SqlKind.COVAR_SAMP, org.apache.calcite.sql.SqlKind.REGR_SXX,
          org.apache.calcite.sql.SqlKind.REGR_SYY);

  private final JavaTypeFactory typeFactory = new JavaTypeFactoryImpl(GatehouseTypeSystem.INSTANCE);
  private final SqlOperatorTable operatorTable = SqlStdOperatorTable.instance();
  private final CalciteConnectionConfig connectionConfig;
  /**
   * From this many joins on (counting those subqueries become), joins are ordered by a heuristic
   * on the sources' row estimates instead of Calcite's exhaustive search.
   */
  static final int HEURISTIC_JOIN_ORDER_FROM = 3;
  private static final List<org.apache.calcite.plan.RelOptRule> EXHAUSTIVE_JOIN_RULES = List.of(
      CoreRules.JOIN_COMMUTE, CoreRules.JOIN_ASSOCIATE,
      org.apache.calcite.rel.rules.JoinPushThroughJoinRule.LEFT,
      org.apache.calcite.rel.rules.JoinPushThroughJoinRule.RIGHT);

  /** Whether engine joins with a small side may become {@link LookupJoin}s. */
  private final boolean lookupJoins;

  public QueryPlanner() {
    this(true);
  }

  /** @param lookupJoins whether joins with a small side may read the other side by its keys */
  public QueryPlanner(boolean lookupJoins) {
    this.lookupJoins = lookupJoins;
    Properties p = new Properties();
    p.setProperty(CalciteConnectionProperty.CASE_SENSITIVE.camelName(), "false");
    p.setProperty(CalciteConnectionProperty.UNQUOTED_CASING.camelName(), "UNCHANGED");
    p.setProperty(CalciteConnectionProperty.QUOTED_CASING.camelName(), "UNCHANGED");
    p.setProperty(CalciteConnectionProperty.CONFORMANCE.camelName(), "LENIENT");
    this.connectionConfig = new CalciteConnectionConfigImpl(p);
  }

  public JavaTypeFactory typeFactory() {
    return typeFactory;
  }

  /**
   * Plans a query.
   *
   * @param guarded the guarded (capped) query; its tree is validated in place. For EXPLAIN the
   *     printed plan also holds the SQL each source would receive.
   * @param rootSchema the schemas the caller may see
   * @param defaultSchema the path unqualified names resolve against (e.g. [pg, public]), may be empty
   */
  public PlannedQuery plan(GuardedQuery guarded, CalciteSchema rootSchema, List<String> defaultSchema) {
    try {
      return doPlan(guarded.query(), rootSchema, defaultSchema, guarded.isExplain(),
          guarded.planFetch().orElse(-1), guarded.capFetch().orElse(-1));
    } catch (GatehouseException e) {
      throw e;
    } catch (CalciteContextException e) {
      GatehouseException inner = findGatehouse(e);
      if (inner != null) {
        throw inner;
      }
      throw new GatehouseException(ErrorCode.SQL_VALIDATION, validationMessage(e),
          e.getPosLine(), e.getPosColumn());
    } catch (RelOptPlanner.CannotPlanException e) {
      LOG.debug("cannot plan", e);
      throw new GatehouseException(ErrorCode.UNSUPPORTED,
          "this query uses a combination of features Gatehouse cannot plan");
    } catch (Throwable t) { // NOPMD: Calcite signals bugs with AssertionError; never let one escape.
      GatehouseException inner = findGatehouse(t);
      if (inner != null) {
        throw inner;
      }
      if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
        throw (VirtualMachineError) t;
      }
      if (t instanceof StackOverflowError) {
        throw new GatehouseException(ErrorCode.RESOURCE_LIMIT,
            "the query is nested too deeply to plan; simplify it");
      }
      String incident = UUID.randomUUID().toString().substring(0, 8);
      LOG.error("planner failure (incident {})", incident, t);
      throw new GatehouseException(ErrorCode.INTERNAL,
          "the query could not be planned because of an internal error (incident " + incident
              + "); the server log has the details");
    }
  }

  /**
   * @param planFetch a row limit to put on top of the plan (the guard's cap for shapes it cannot
   *     write into the tree), or -1
   * @param capFetch the top-level fetch when the row cap set it, or -1
   */
  private PlannedQuery doPlan(SqlNode query, CalciteSchema rootSchema, List<String> defaultSchema,
      boolean explain, long planFetch, long capFetch) {
    CalciteCatalogReader catalogReader =
        new CalciteCatalogReader(rootSchema, defaultSchema, typeFactory, connectionConfig);
    SqlValidator validator = SqlValidatorUtil.newValidator(operatorTable, catalogReader, typeFactory,
        SqlValidator.Config.DEFAULT
            .withConformance(SqlSyntax.CONFORMANCE)
            .withIdentifierExpansion(true));
    SqlNode validated = validator.validate(query);
    RelDataType parameterRowType = validator.getParameterRowType(validated);

    VolcanoPlanner planner = new VolcanoPlanner(null, Contexts.of(connectionConfig));
    planner.addRelTraitDef(ConventionTraitDef.INSTANCE);
    planner.addRelTraitDef(RelCollationTraitDef.INSTANCE);
    RelOptUtil.registerDefaultRules(planner, false, false);
    planner.removeRule(CoreRules.PROJECT_TO_LOGICAL_PROJECT_AND_WINDOW);
    // The merge union reads its inputs in the row format it prefers for itself (a bare value for
    // one column) rather than the one each input declares; a source's rows are always arrays, so
    // a sorted union of two sources failed with a ClassCastException. Union then sort instead.
    planner.removeRule(org.apache.calcite.adapter.enumerable.EnumerableRules.ENUMERABLE_MERGE_UNION_RULE);
    SortedInputRules.install(planner);
    planner.addRule(PartialAggregateRule.INSTANCE);
    // SUM stays SUM. AVG and the variance family are also offered rewritten into SUM and COUNT,
    // which the engine needs for work it does itself; a source whose dialect computes them gets
    // the original, cheaper form and answers with its own arithmetic.
    planner.removeRule(CoreRules.AGGREGATE_REDUCE_FUNCTIONS);
    planner.addRule(CoreRules.AGGREGATE_REDUCE_FUNCTIONS.config
        .withFunctionsToReduce(REDUCED_AGGREGATES).toRule());
    planner.addRule(ProjectToWindowRule.ProjectToLogicalProjectAndWindowRule
        .ProjectToLogicalProjectAndWindowRuleConfig.DEFAULT
        .withOperandSupplier(b -> b.operand(LogicalProject.class)
            .predicate(LogicalProject::containsOver).anyInputs())
        .withDescription("ProjectToWindowRule:logicalProject")
        .toRule());
    planner.setExecutor(new RexExecutorImpl(DataContexts.EMPTY));
    RelOptCluster cluster = RelOptCluster.create(planner, new RexBuilder(typeFactory));

    SqlToRelConverter converter = new SqlToRelConverter(
        (rowType, queryString, schemaPath, viewPath) -> {
          throw new GatehouseException(ErrorCode.UNSUPPORTED, "views defined in Gatehouse are not supported");
        },
        validator, catalogReader, cluster, StandardConvertletTable.INSTANCE,
        SqlToRelConverter.config().withTrimUnusedFields(true).withExpand(false));
    RelRoot root = converter.convertQuery(validated, false, true);
    RelNode logical = root.project();
    if (planFetch >= 0) {
      logical = LogicalSort.create(logical, RelCollations.EMPTY, null,
          cluster.getRexBuilder().makeExactLiteral(BigDecimal.valueOf(planFetch)));
    }
    RelDataType validatedType = root.validatedRowType;
    List<RelDataType> parameterTypes = new ArrayList<>();
    parameterRowType.getFieldList().forEach(f -> parameterTypes.add(f.getType()));

    PlannedQuery whole = wholeQueryAtOneSource(logical, validatedType, parameterTypes, explain,
        planner, capFetch);
    if (whole != null) {
      return whole;
    }

    logical = commonFactorsPulledOut(logical);
    boolean heuristicJoins = joinsAfterSubQueryRemoval(logical) >= HEURISTIC_JOIN_ORDER_FROM;
    if (heuristicJoins) {
      EXHAUSTIVE_JOIN_RULES.forEach(planner::removeRule);
    }
    RelTraitSet desired = logical.getTraitSet().replace(EnumerableConvention.INSTANCE).simplify();
    RelNode physical = program(heuristicJoins, lookupJoins).run(planner, logical, desired, List.of(), List.of());

    List<PlannedQuery.OutputColumn> columns = outputColumns(physical.getRowType(), validatedType);
    Set<String> sources = sourcesOf(physical);
    String planText = RelOptUtil.toString(physical, SqlExplainLevel.EXPPLAN_ATTRIBUTES);
    if (explain) {
      planText = planText + sourceStatements(physical);
    }

    if (physical instanceof SourceToEnumerableConverter c) {
      return new PlannedQuery(columns, parameterTypes, sources, c.sourceQuery(), null, Map.of(), planText);
    }
    Map<String, Object> internal = new HashMap<>();
    @SuppressWarnings("unchecked")
    Bindable<Object> bindable = EnumerableInterpretable.toBindable(internal, null,
        (EnumerableRel) HeldRowsMeter.placeIn(physical), EnumerableRel.Prefer.ARRAY);
    return new PlannedQuery(columns, parameterTypes, sources, null, bindable, internal, planText);
  }

  /**
   * A query that reads one source only and that the source can run as written goes to it whole,
   * re-generated from the validated tree in its dialect, without cost-based planning (see
   * {@link SingleSourceQuery} for why). Null when the query is not such a query, or when the SQL
   * generator cannot write it: the cost-based planner then decides.
   */
  private PlannedQuery wholeQueryAtOneSource(RelNode validatedTree, RelDataType validatedType,
      List<RelDataType> parameterTypes, boolean explain, RelOptPlanner planner, long capFetch) {
    RelNode logical = validatedTree;
    if (SingleSourceQuery.hasSubQueryInProjection(logical)) {
      // Calcite's SQL generator mis-qualifies a correlated reference when one SELECT has
      // subqueries both in its select list and its WHERE clause (it renames the table afterwards):
      // such trees are decorrelated into joins first, which it writes correctly.
      org.apache.calcite.rel.metadata.RelMetadataProvider metadata =
          org.apache.calcite.rel.metadata.DefaultRelMetadataProvider.INSTANCE;
      logical = Programs.sequence(Programs.subQuery(metadata), Programs.decorrelate())
          .run(planner, logical, logical.getTraitSet(), List.of(), List.of());
    }
    SourceConvention source = SingleSourceQuery.sourceOf(logical);
    if (source == null) {
      return null;
    }
    logical = simplified(logical);
    SourceQuery query;
    try {
      query = SourceQuery.generateWhole(source, logical, typeFactory, capFetch);
      if (query.parameters().stream().anyMatch(i -> i < 0 || i >= parameterTypes.size())) {
        throw new IllegalStateException("a parameter of the generated SQL has no value");
      }
      query = query.withRowBound(rowBound(logical));
    } catch (RuntimeException | AssertionError e) {
      LOG.debug("the SQL generator cannot write this query for '{}'; planning it instead",
          source.sourceId(), e);
      return null;
    }
    List<PlannedQuery.OutputColumn> columns = outputColumns(logical.getRowType(), validatedType);
    String planText = "WholeQueryAtSource(source=[" + source.sourceId() + "])\n"
        + RelOptUtil.toString(logical, SqlExplainLevel.EXPPLAN_ATTRIBUTES);
    if (explain) {
      planText = planText + "\nsource " + source.sourceId() + ": " + query.sql().replaceAll("\\s+", " ");
    }
    return new PlannedQuery(columns, parameterTypes, Set.of(source.sourceId()), query, null, Map.of(),
        planText);
  }

  /**
   * The most rows a tree can return, when its top says so: a LIMIT with a literal count (the guard
   * puts the row cap there), or an aggregate without GROUP BY (one row); else unbounded.
   */
  static long rowBound(RelNode rel) {
    if (rel instanceof org.apache.calcite.rel.core.Sort sort && sort.fetch != null
        && sort.fetch instanceof org.apache.calcite.rex.RexLiteral literal) {
      BigDecimal n = literal.getValueAs(BigDecimal.class);
      long below = rowBound(sort.getInput());
      long fetch = n == null ? SourceQuery.UNBOUNDED : n.longValue();
      return below < 0 ? fetch : Math.min(fetch, below);
    }
    if (rel instanceof org.apache.calcite.rel.core.Aggregate agg && agg.getGroupSet().isEmpty()
        && agg.getGroupType() == org.apache.calcite.rel.core.Aggregate.Group.SIMPLE) {
      return 1;
    }
    if (rel instanceof org.apache.calcite.rel.core.Project
        || rel instanceof org.apache.calcite.rel.core.Sort) {
      return rowBound(rel.getInput(0));
    }
    return SourceQuery.UNBOUNDED;
  }

  /**
   * Constant folding and simplification before the SQL is written, as the cost-based planner would
   * do: {@code x = 'a' OR x = 'b'} becomes {@code x IN ('a', 'b')}, {@code TIMESTAMP '...' -
   * INTERVAL '1' DAY} a literal. The tree keeps its shape otherwise. A failure keeps it as it was.
   */
  private static RelNode simplified(RelNode logical) {
    if (SingleSourceQuery.hasSubQuery(logical)) {
      // The reduction rules rebuild filters without the correlation variables they define, after
      // which a correlated subquery's reference to the outer row has nothing to bind to.
      return logical;
    }
    try {
      org.apache.calcite.plan.hep.HepPlanner hep = new org.apache.calcite.plan.hep.HepPlanner(
          new org.apache.calcite.plan.hep.HepProgramBuilder()
              .addRuleInstance(CoreRules.FILTER_REDUCE_EXPRESSIONS)
              .addRuleInstance(CoreRules.PROJECT_REDUCE_EXPRESSIONS)
              .addRuleInstance(CoreRules.JOIN_REDUCE_EXPRESSIONS)
              .build());
      hep.setExecutor(new RexExecutorImpl(DataContexts.EMPTY));
      hep.setRoot(logical);
      return hep.findBestExp();
    } catch (RuntimeException | AssertionError e) {
      LOG.debug("simplification skipped", e);
      return logical;
    }
  }

  /**
   * Calcite's standard program, with one change for queries with many joins: Calcite searches join
   * orders exhaustively below six joins, which took 14 to 60 seconds for 5- and 6-way TPC-H joins.
   * Instead the joins are gathered into one multi-join and ordered greedily by the estimated sizes
   * (which come from the sources' own statistics), as Calcite itself does from six joins on; the
   * cost-based planner then only chooses where each part runs. After it, engine joins with a small
   * side may become lookup joins ({@link LookupJoinRule}).
   */
  private static Program program(boolean heuristicJoins, boolean lookupJoins) {
    org.apache.calcite.rel.metadata.RelMetadataProvider metadata =
        org.apache.calcite.rel.metadata.DefaultRelMetadataProvider.INSTANCE;
    Program volcano = (planner, rel, traits, materializations, lattices) -> {
      planner.setRoot(rel);
      RelNode root = rel.getTraitSet().equals(traits) ? rel : planner.changeTraits(rel, traits);
      planner.setRoot(root);
      return planner.chooseDelegate().findBestExp();
    };
    List<Program> steps = new ArrayList<>(List.of(Programs.subQuery(metadata),
        Programs.decorrelate(), Programs.trim()));
    if (heuristicJoins) {
      steps.add(Programs.of(new org.apache.calcite.plan.hep.HepProgramBuilder()
          .addRuleInstance(CoreRules.FILTER_INTO_JOIN)
          .addMatchOrder(org.apache.calcite.plan.hep.HepMatchOrder.BOTTOM_UP)
          .addRuleInstance(CoreRules.JOIN_TO_MULTI_JOIN)
          .build(), false, metadata));
      // Inner joins over several sources: each source's tables joined together first. The rest
      // (outer joins, one source) in Calcite's heuristic order.
      steps.add((planner, rel, traits, materializations, lattices) -> SourceJoinOrder.apply(rel));
      steps.add(Programs.of(new org.apache.calcite.plan.hep.HepProgramBuilder()
          .addRuleInstance(CoreRules.MULTI_JOIN_OPTIMIZE)
          .build(), false, metadata));
    }
    steps.add(volcano);
    if (lookupJoins) {
      steps.add((planner, rel, traits, materializations, lattices) -> LookupJoinRule.apply(rel));
    }
    steps.add(Programs.calc(metadata));
    return Programs.sequence(steps.toArray(new Program[0]));
  }

  /**
   * Conditions of the form {@code (k = k2 AND a) OR (k = k2 AND b)} rewritten as
   * {@code k = k2 AND (a OR b)} (Calcite's {@code RexUtil.pullFactors}), in filters and joins,
   * and the filters each side of a join can apply on its own derived from what remains
   * ({@link ImpliedSideFilters}).
   * Without it the join key of such a condition (TPC-H Q19 joins part and lineitem only inside
   * each OR branch) is invisible to the planner, a join across sources became a nested loop over
   * every pair of rows, and Q19 on the split layout ran for over ten minutes.
   */
  private static RelNode commonFactorsPulledOut(RelNode logical) {
    return logical.accept(new RelShuttleImpl() {
      @Override
      public RelNode visit(org.apache.calcite.rel.logical.LogicalFilter filter) {
        RelNode visited = super.visit(filter);
        if (visited instanceof org.apache.calcite.rel.logical.LogicalFilter f) {
          org.apache.calcite.rex.RexNode pulled = org.apache.calcite.rex.RexUtil.pullFactors(
              f.getCluster().getRexBuilder(), f.getCondition());
          if (f.getInput() instanceof org.apache.calcite.rel.core.Join below) {
            pulled = ImpliedSideFilters.added(f.getCluster().getRexBuilder(), pulled,
                below.getLeft().getRowType().getFieldCount(), below.getRowType().getFieldCount());
          }
          if (!pulled.equals(f.getCondition())) {
            return f.copy(f.getTraitSet(), f.getInput(), pulled);
          }
        }
        return visited;
      }

      @Override
      public RelNode visit(org.apache.calcite.rel.logical.LogicalJoin join) {
        RelNode visited = super.visit(join);
        if (visited instanceof org.apache.calcite.rel.logical.LogicalJoin j) {
          org.apache.calcite.rex.RexNode pulled = org.apache.calcite.rex.RexUtil.pullFactors(
              j.getCluster().getRexBuilder(), j.getCondition());
          if (j.getJoinType() == org.apache.calcite.rel.core.JoinRelType.INNER) {
            pulled = ImpliedSideFilters.added(j.getCluster().getRexBuilder(), pulled,
                j.getLeft().getRowType().getFieldCount(), j.getRowType().getFieldCount());
          }
          if (!pulled.equals(j.getCondition())) {
            return j.copy(j.getTraitSet(), pulled, j.getLeft(), j.getRight(), j.getJoinType(),
                j.isSemiJoinDone());
          }
        }
        return visited;
      }
    });
  }

  /** Joins in the tree, plus one for each subquery (sub-query removal turns each into a join). */
  private static int joinsAfterSubQueryRemoval(RelNode rel) {
    int[] count = {0};
    new org.apache.calcite.rel.RelVisitor() {
      @Override
      public void visit(RelNode node, int ordinal, RelNode parent) {
        if (node instanceof org.apache.calcite.rel.core.Join) {
          count[0]++;
        }
        node.accept(new org.apache.calcite.rex.RexShuttle() {
          @Override
          public org.apache.calcite.rex.RexNode visitSubQuery(org.apache.calcite.rex.RexSubQuery sub) {
            count[0] += 1 + joinsAfterSubQueryRemoval(sub.rel);
            return sub;
          }
        });
        super.visit(node, ordinal, parent);
      }
    }.go(rel);
    return count[0];
  }

  /** The result's columns: the names the client wrote (validation keeps them), the plan's types. */
  private static List<PlannedQuery.OutputColumn> outputColumns(RelDataType planned,
      RelDataType validated) {
    List<PlannedQuery.OutputColumn> columns = new ArrayList<>();
    List<RelDataTypeField> fields = planned.getFieldList();
    List<RelDataTypeField> names = validated.getFieldList();
    for (int i = 0; i < fields.size(); i++) {
      String name = i < names.size() ? names.get(i).getName() : fields.get(i).getName();
      columns.add(new PlannedQuery.OutputColumn(name, fields.get(i).getType()));
    }
    return columns;
  }

  /** For EXPLAIN: the statement each source would receive. */
  private static String sourceStatements(RelNode rel) {
    StringBuilder sb = new StringBuilder();
    rel.accept(new RelShuttleImpl() {
      @Override
      public RelNode visit(RelNode other) {
        if (other instanceof SourceToEnumerableConverter c) {
          String sql;
          try {
            sql = c.sourceQuery().sql();
          } catch (RuntimeException e) {
            sql = "(generated at run time: correlated)";
          }
          sb.append("\nsource ").append(c.sourceConvention().sourceId()).append(": ")
              .append(sql.replaceAll("\\s+", " "));
          return other;
        }
        return super.visit(other);
      }
    });
    return sb.toString();
  }

  /** The ids of the sources a physical plan reads. */
  private static Set<String> sourcesOf(RelNode rel) {
    Set<String> out = new LinkedHashSet<>();
    rel.accept(new RelShuttleImpl() {
      @Override
      public RelNode visit(RelNode other) {
        if (other instanceof SourceToEnumerableConverter c) {
          out.add(c.sourceConvention().sourceId());
        }
        return super.visit(other);
      }

      @Override
      public RelNode visit(TableScan scan) {
        if (scan.getConvention() instanceof SourceConvention s) {
          out.add(s.sourceId());
        }
        return scan;
      }
    });
    return out;
  }

  private static GatehouseException findGatehouse(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof GatehouseException g) {
        return g;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }

  private static String validationMessage(CalciteContextException e) {
    String m = e.getMessage() == null ? "invalid query" : e.getMessage();
    // Calcite prefixes the position; keep it, it is about the user's own text.
    return m.replace("org.apache.calcite.runtime.CalciteContextException: ", "");
  }

}
