package io.gatehouse.core.plan;

import io.gatehouse.core.exec.SourceQuery;
import io.gatehouse.core.exec.SourceScans;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.adapter.jdbc.JdbcCorrelationDataContextBuilderImpl;
import org.apache.calcite.adapter.jdbc.JdbcToEnumerableConverter;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;

/**
 * The boundary between a source and the engine: everything below runs in the source as one SQL
 * statement; everything above runs in the engine.
 *
 * <p>It replaces Calcite's converter so that rows come through Gatehouse's execution
 * ({@link SourceScans}): connections from the source's pool, fetch size for streaming, timeouts and
 * cancellation, values read with exact getters, and driver errors turned into coded errors.
 */
public final class SourceToEnumerableConverter extends JdbcToEnumerableConverter {
  SourceToEnumerableConverter(RelOptCluster cluster, RelTraitSet traits, RelNode input) {
    super(cluster, traits, input);
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new SourceToEnumerableConverter(getCluster(), traitSet, sole(inputs));
  }

  /** The source this subtree runs in. */
  public SourceConvention sourceConvention() {
    return (SourceConvention) getInput().getConvention();
  }

  /** The statement the source receives, for queries that run entirely in it. */
  public SourceQuery sourceQuery() {
    return SourceQuery.generate(sourceConvention(), getInput(),
        (JavaTypeFactory) getCluster().getTypeFactory(), null);
  }

  @Override
  public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    BlockBuilder builder = new BlockBuilder(false);
    // Rows are arrays, except a single column, which Calcite's operators (set operations, joins'
    // key selectors) read as a bare value whatever format an input declares.
    boolean scalar = getRowType().getFieldCount() == 1;
    PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(),
        scalar ? JavaRowFormat.SCALAR : JavaRowFormat.ARRAY, false);
    JdbcCorrelationDataContextBuilderImpl correlation =
        new JdbcCorrelationDataContextBuilderImpl(implementor, builder, DataContext.ROOT);
    SourceQuery query = SourceQuery.generate(sourceConvention(), getInput(),
        implementor.getTypeFactory(), correlation);
    Expression queryExpr = implementor.stash(query, SourceQuery.class);
    Expression enumerable = builder.append("enumerable",
        Expressions.call(SourceScans.class, scalar ? "scalarEnumerable" : "enumerable",
            DataContext.ROOT, queryExpr, correlation.build()));
    builder.add(Expressions.return_(null, enumerable));
    return implementor.result(physType, builder.toBlock());
  }
}
