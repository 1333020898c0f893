package io.gatehouse.core.plan;

import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.convert.ConverterRule;

/** Converts a subtree that runs in a source into a {@link SourceToEnumerableConverter}. */
public final class SourceToEnumerableConverterRule extends ConverterRule {
  static SourceToEnumerableConverterRule create(SourceConvention in) {
    return Config.INSTANCE
        .withConversion(RelNode.class, in, EnumerableConvention.INSTANCE,
            "SourceToEnumerableConverterRule:" + in.sourceId())
        .withRuleFactory(SourceToEnumerableConverterRule::new)
        .toRule(SourceToEnumerableConverterRule.class);
  }

  private SourceToEnumerableConverterRule(Config config) {
    super(config);
  }

  @Override
  public RelNode convert(RelNode rel) {
    RelTraitSet traits = rel.getTraitSet().replace(getOutTrait());
    return new SourceToEnumerableConverter(rel.getCluster(), traits, rel);
  }
}
