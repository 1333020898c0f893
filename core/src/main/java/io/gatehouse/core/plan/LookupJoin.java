package io.gatehouse.core.plan;

import io.gatehouse.core.exec.LookupJoinSpec;
import io.gatehouse.core.exec.LookupJoins;
import io.gatehouse.core.exec.SourceQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.adapter.jdbc.JdbcRules;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.core.CorrelationId;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinInfo;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rex.RexProgramBuilder;
import org.apache.calcite.adapter.enumerable.RexToLixTranslator;
import org.apache.calcite.linq4j.function.Predicate2;
import org.apache.calcite.linq4j.tree.ParameterExpression;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * An equi-join whose big side is a subtree that runs in one source (a
 * {@link SourceToEnumerableConverter}): the small side runs first, and the big side's statement is
 * sent with an {@code IN} list of the small side's distinct join keys instead of being read whole
 * ({@link LookupJoins} at run time). Chosen by {@link LookupJoinRule} only where its estimate says
 * it is cheaper.
 */
public final class LookupJoin extends Join implements EnumerableRel {
  /** The most distinct keys one statement carries. */
  static final int KEYS_PER_STATEMENT = 1000;
  /** IN-list lengths a statement is generated for; a shorter list is padded to the next one. */
  private static final int[] LIST_LENGTHS = {1, 8, 64, 256, KEYS_PER_STATEMENT};

  /** Which input (0 or 1) is the big side, read through lookups. */
  private final int bigInput;
  private final LookupJoinSpec.Mode mode;
  /** Above this many distinct keys at run time the big side is read whole instead. */
  private final int maxKeys;
  private LookupJoinSpec spec;

  LookupJoin(RelOptCluster cluster, RelTraitSet traits, RelNode left, RelNode right,
      RexNode condition, JoinRelType joinType, int bigInput, LookupJoinSpec.Mode mode, int maxKeys) {
    super(cluster, traits, List.of(), left, right, condition, Set.<CorrelationId>of(), joinType);
    this.bigInput = bigInput;
    this.mode = mode;
    this.maxKeys = maxKeys;
  }

  @Override
  public LookupJoin copy(RelTraitSet traitSet, RexNode conditionExpr, RelNode left, RelNode right,
      JoinRelType joinType, boolean semiJoinDone) {
    return new LookupJoin(getCluster(), traitSet, left, right, conditionExpr, joinType, bigInput,
        mode, maxKeys);
  }

  /** Which input (0 or 1) is the big side; the other is held whole while the big one streams. */
  int bigInput() {
    return bigInput;
  }

  @Override
  public RelWriter explainTerms(RelWriter pw) {
    return super.explainTerms(pw)
        .item("lookup", bigInput == 0 ? "left" : "right")
        .item("keysPerStatement", KEYS_PER_STATEMENT);
  }

  private SourceToEnumerableConverter big() {
    return (SourceToEnumerableConverter) getInput(bigInput);
  }

  @Override
  public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    int smallInput = 1 - bigInput;
    BlockBuilder builder = new BlockBuilder();
    Result smallResult = implementor.visitChild(this, smallInput,
        (EnumerableRel) getInput(smallInput), Prefer.ARRAY);
    Expression small = builder.append("small", smallResult.block);
    JavaRowFormat format = smallResult.physType.getFormat();
    if (format != JavaRowFormat.ARRAY && format != JavaRowFormat.SCALAR) {
      small = builder.append("smallRows", smallResult.physType.convertTo(small, JavaRowFormat.ARRAY));
    }
    Expression spec = implementor.stash(spec(), LookupJoinSpec.class);
    boolean scalar = getRowType().getFieldCount() == 1;
    PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(),
        scalar ? JavaRowFormat.SCALAR : JavaRowFormat.ARRAY, false);
    builder.add(Expressions.return_(null, Expressions.call(LookupJoins.class,
        scalar ? "scalarEnumerable" : "enumerable", DataContext.ROOT, small, spec,
        residual(implementor))));
    return implementor.result(physType, builder.toBlock());
  }

  /**
   * The conditions besides key equality as a predicate over (left row, right row), both arrays;
   * null when there are none. Keys compared with IS NOT DISTINCT FROM are among them.
   */
  private Expression residual(EnumerableRelImplementor implementor) {
    JoinInfo strict = JoinInfo.createWithStrictEquality(getLeft(), getRight(), getCondition());
    if (strict.isEqui()) {
      return Expressions.constant(null, Predicate2.class);
    }
    JavaTypeFactory types = implementor.getTypeFactory();
    RexBuilder rex = getCluster().getRexBuilder();
    ParameterExpression left = Expressions.parameter(Object[].class, "left");
    ParameterExpression right = Expressions.parameter(Object[].class, "right");
    RexProgramBuilder program = new RexProgramBuilder(types.builder()
        .addAll(getLeft().getRowType().getFieldList())
        .addAll(getRight().getRowType().getFieldList()).build(), rex);
    program.addCondition(RexUtil.composeConjunction(rex, strict.nonEquiConditions));
    // The input getter numbers fields in its map's iteration order: the left row's fields first,
    // then the right's. Map.of's order changes from one JVM to the next, and with it the residual
    // read both operands of TPC-H Q21's l3.l_suppkey <> l1.l_suppkey from one row in some runs.
    Map<Expression, PhysType> inputs = new LinkedHashMap<>();
    inputs.put(left, PhysTypeImpl.of(types, getLeft().getRowType(), JavaRowFormat.ARRAY, false));
    inputs.put(right, PhysTypeImpl.of(types, getRight().getRowType(), JavaRowFormat.ARRAY, false));
    BlockBuilder body = new BlockBuilder();
    body.add(Expressions.return_(null, RexToLixTranslator.translateCondition(
        program.getProgram(), types, body, new RexToLixTranslator.InputGetterImpl(inputs),
        name -> {
          throw new IllegalStateException("a lookup join's condition has a correlation variable");
        }, implementor.getConformance())));
    return Expressions.lambda(Predicate2.class, body.toBlock(), left, right);
  }

  /**
   * The statements and key positions, generated from the big side's subtree once (the rule
   * generates them to check that the source's SQL generator can write them).
   */
  LookupJoinSpec spec() {
    if (spec == null) {
      spec = generateSpec((JavaTypeFactory) getCluster().getTypeFactory());
    }
    return spec;
  }

  private LookupJoinSpec generateSpec(JavaTypeFactory typeFactory) {
    JoinInfo strict = JoinInfo.createWithStrictEquality(getLeft(), getRight(), getCondition());
    List<Integer> leftKeys = strict.leftKeys;
    List<Integer> rightKeys = strict.rightKeys;
    List<Integer> smallKeys = bigInput == 0 ? rightKeys : leftKeys;
    List<Integer> bigKeys = bigInput == 0 ? leftKeys : rightKeys;
    RelNode small = getInput(1 - bigInput);
    SourceConvention source = big().sourceConvention();
    RelNode bigRoot = big().getInput();
    SourceQuery full = SourceQuery.generateWhole(source, bigRoot, typeFactory);
    Map<Integer, SourceQuery> byLength = new TreeMap<>();
    RexBuilder rex = getCluster().getRexBuilder();
    for (int length : LIST_LENGTHS) {
      List<RexNode> lists = new ArrayList<>();
      for (int c = 0; c < bigKeys.size(); c++) {
        RexNode column = rex.makeInputRef(bigRoot, bigKeys.get(c));
        List<RexNode> operands = new ArrayList<>();
        operands.add(column);
        for (int j = 0; j < length; j++) {
          operands.add(rex.makeDynamicParam(column.getType(),
              LookupJoinSpec.parameterIndex(c, j, KEYS_PER_STATEMENT)));
        }
        lists.add(rex.makeCall(getCluster().getTypeFactory().createSqlType(SqlTypeName.BOOLEAN),
            KEY_LIST, operands));
      }
      RelNode filtered = new JdbcRules.JdbcFilter(getCluster(), bigRoot.getTraitSet(), bigRoot,
          RexUtil.composeConjunction(rex, lists));
      byLength.put(length, SourceQuery.generateWhole(source, filtered, typeFactory));
    }
    List<SqlTypeName> keyTypes = new ArrayList<>();
    for (int k : smallKeys) {
      keyTypes.add(small.getRowType().getFieldList().get(k).getType().getSqlTypeName());
    }
    return new LookupJoinSpec(full, new TreeMap<>(byLength),
        smallKeys.stream().mapToInt(Integer::intValue).toArray(),
        bigKeys.stream().mapToInt(Integer::intValue).toArray(), keyTypes, mode, bigInput == 1,
        bigRoot.getRowType().getFieldCount(), KEYS_PER_STATEMENT, maxKeys);
  }

  /**
   * {@code column IN (?, ?, ...)}. Calcite's own IN operator cannot stand in a relational
   * expression (it becomes ORs, which PostgreSQL evaluates one by one for every row, or a search
   * argument of literals), so the list is this operator, which writes itself as IN.
   */
  static final SqlSpecialOperator KEY_LIST = new SqlSpecialOperator("GATEHOUSE_KEY_LIST",
      SqlKind.OTHER_FUNCTION) {
    @Override
    public void unparse(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
      SqlWriter.Frame whole = writer.startList("(", ")");
      List<SqlNode> operands = call.getOperandList();
      operands.get(0).unparse(writer, 0, 0);
      writer.keyword("IN");
      SqlWriter.Frame list = writer.startList("(", ")");
      for (SqlNode value : operands.subList(1, operands.size())) {
        writer.sep(",");
        value.unparse(writer, 0, 0);
      }
      writer.endList(list);
      writer.endList(whole);
    }
  };
}
