package io.gatehouse.core.plan;

import io.gatehouse.core.spi.SourceConnector;
import org.apache.calcite.adapter.jdbc.JdbcConvention;
import org.apache.calcite.adapter.jdbc.JdbcRules;
import org.apache.calcite.adapter.jdbc.JdbcToEnumerableConverterRule;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.rel.rules.CoreRules;

/**
 * The calling convention of one source: relational operators in this convention run inside that
 * source as one SQL statement. There is exactly one per source (not per schema), so joins between
 * tables of different schemas of a source are pushed down together.
 *
 * <p>It registers Calcite's JDBC pushdown rules, except two: the stock converter back to the engine
 * is replaced by {@link SourceToEnumerableConverter} (our execution: pooled read-only sessions, fetch
 * size, timeouts, exact value reading, coded errors), and the table-modification rule is dropped
 * because sources are read-only.
 */
public final class SourceConvention extends JdbcConvention {
  private final SourceConnector connector;

  private SourceConvention(SourceConnector connector) {
    super(connector.dialect(), Expressions.constant(connector.id()), connector.id());
    this.connector = connector;
  }

  public static SourceConvention of(SourceConnector connector) {
    return new SourceConvention(connector);
  }

  public SourceConnector connector() {
    return connector;
  }

  public String sourceId() {
    return connector.id();
  }

  @Override
  public void register(RelOptPlanner planner) {
    for (RelOptRule rule : JdbcRules.rules(this)) {
      if (rule instanceof JdbcToEnumerableConverterRule
          || rule instanceof JdbcRules.JdbcTableModificationRule) {
        continue;
      }
      planner.addRule(rule);
    }
    planner.addRule(SourceToEnumerableConverterRule.create(this));
    planner.addRule(CoreRules.FILTER_SET_OP_TRANSPOSE);
    planner.addRule(CoreRules.PROJECT_REMOVE);
  }
}
