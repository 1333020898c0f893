package io.gatehouse.core.guard;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.gatehouse.core.guard.AcceptedCorpus.Accepted;
import java.util.stream.Stream;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.tools.FrameworkConfig;
import org.apache.calcite.tools.Frameworks;
import org.apache.calcite.tools.Planner;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rewritten trees must still be valid Calcite input: every accepted corpus query is validated
 * and converted to a relational plan. This catches shapes the parser never produces (and the
 * validator therefore never sees), e.g. a capped WITH body or a SqlOrderBy nested around LIMIT ?.
 */
class CappedQueriesValidateTest {
  private static final FrameworkConfig CONFIG = config();

  static Stream<Accepted> accepted() {
    return AcceptedCorpus.all();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("accepted")
  void rewrittenQueryValidatesAndConverts(Accepted c) throws Exception {
    GuardedQuery q = new QueryGuard().check(c.sql(), c.cap());
    Planner planner = Frameworks.getPlanner(CONFIG);
    try {
      planner.parse("values 1"); // moves the planner to the state where validate() is allowed
      SqlNode validated = planner.validate(q.query());
      RelRoot root = planner.rel(validated);
      assertNotNull(root.rel);
    } finally {
      planner.close();
    }
  }

  private static FrameworkConfig config() {
    SchemaPlus root = Frameworks.createRootSchema(true);
    for (String name : new String[] {"t", "u", "a", "b"}) {
      root.add(name, intTable("id", "a", "b", "n"));
    }
    root.add("select", intTable("delete", "limit"));
    return Frameworks.newConfigBuilder()
        .defaultSchema(root)
        .parserConfig(SqlSyntax.parserConfig())
        .sqlValidatorConfig(SqlValidator.Config.DEFAULT.withConformance(SqlSyntax.CONFORMANCE))
        .build();
  }

  private static Table intTable(String... columns) {
    return new AbstractTable() {
      @Override
      public RelDataType getRowType(RelDataTypeFactory factory) {
        RelDataTypeFactory.Builder builder = factory.builder();
        for (String column : columns) {
          builder.add(
              column,
              factory.createTypeWithNullability(factory.createSqlType(SqlTypeName.INTEGER), true));
        }
        return builder.build();
      }
    };
  }
}
