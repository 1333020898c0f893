package io.gatehouse.adapter.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.SqlUnresolvedFunction;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlShuttle;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlNameMatchers;
import org.junit.jupiter.api.Test;

/** Which statements {@link GroupedDerivedTables} unwraps, and into what. */
class GroupedDerivedTablesTest {

  private static String reshaped(String sql) throws SqlParseException {
    return written(GroupedDerivedTables.unwrapped(parse(sql)));
  }

  /**
   * The statement parsed, with function names resolved to Calcite's operators as in the trees the
   * SQL generator builds (the parser leaves {@code SUM} an unresolved function, not an aggregate).
   */
  private static SqlNode parse(String sql) throws SqlParseException {
    SqlNode parsed = SqlParser.create(sql, SqlParser.config().withQuoting(Quoting.BACK_TICK)
        .withUnquotedCasing(Casing.UNCHANGED).withQuotedCasing(Casing.UNCHANGED)
        .withConformance(SqlConformanceEnum.MYSQL_5)).parseQuery();
    parsed.accept(new SqlShuttle() {
      @Override
      public SqlNode visit(SqlCall call) {
        if (call instanceof SqlBasicCall basic
            && basic.getOperator() instanceof SqlUnresolvedFunction f) {
          List<SqlOperator> found = new ArrayList<>();
          SqlStdOperatorTable.instance().lookupOperatorOverloads(f.getNameAsId(),
              SqlFunctionCategory.USER_DEFINED_FUNCTION, SqlSyntax.FUNCTION, found,
              SqlNameMatchers.withCaseSensitive(false));
          if (!found.isEmpty()) {
            basic.setOperator(found.get(0));
          }
        }
        return super.visit(call);
      }
    });
    return parsed;
  }

  private static String written(SqlNode node) {
    return node.toSqlString(MySqlDialect.INSTANCE).getSql().replaceAll("\\s+", " ");
  }

  /** The statement as written, to compare with one that must be left alone. */
  private static String unchanged(String sql) throws SqlParseException {
    return written(parse(sql));
  }

  @Test
  void aSubqueryThatDropsTheAggregateOfItsHavingBecomesOneSelect() throws Exception {
    assertEquals("SELECT `o_orderkey` FROM `orders` WHERE `o_orderkey` IN (SELECT `l_orderkey`"
            + " FROM `lineitem` GROUP BY `l_orderkey` HAVING SUM(`l_quantity`) > 300)",
        reshaped("SELECT `o_orderkey` FROM `orders` WHERE `o_orderkey` IN (SELECT `l_orderkey`"
            + " FROM (SELECT `l_orderkey`, SUM(`l_quantity`) AS `$f1` FROM `lineitem`"
            + " GROUP BY `l_orderkey` HAVING `$f1` > 300) AS `t1`)"));
  }

  @Test
  void aKeptAliasStaysAndAColumnIsRenamedAsTheOuterQueryNamedIt() throws Exception {
    assertEquals("SELECT CAST(`ts` AS DATE) AS `day`, `k` AS `key` FROM `t`"
            + " GROUP BY CAST(`ts` AS DATE), `k` HAVING `day` > DATE '2024-01-01' AND COUNT(*) > 1",
        reshaped("SELECT `t1`.`day`, `t1`.`k` AS `key` FROM (SELECT CAST(`ts` AS DATE) AS `day`, `k`,"
            + " COUNT(*) AS `n` FROM `t` GROUP BY CAST(`ts` AS DATE), `k`"
            + " HAVING `day` > DATE '2024-01-01' AND `n` > 1) AS `t1`"));
  }

  @Test
  void shapesItCannotRewriteSafelyAreLeftAlone() throws Exception {
    String[] alone = {
        // HAVING names a dropped alias of a grouping expression, not of an aggregate
        "SELECT `n` FROM (SELECT CAST(`ts` AS DATE) AS `day`, COUNT(*) AS `n` FROM `t`"
            + " GROUP BY CAST(`ts` AS DATE) HAVING `day` > DATE '2024-01-01') AS `t1`",
        // the outer query filters (its ORDER BY and LIMIT are in the same SELECT node when
        // Calcite generates it, and are refused the same way; the parser puts them outside)
        "SELECT `k` FROM (SELECT `k`, COUNT(*) AS `n` FROM `t` GROUP BY `k` HAVING `n` > 1) AS `t1`"
            + " WHERE `k` > 3",
        "SELECT DISTINCT `k` FROM (SELECT `k`, COUNT(*) AS `n` FROM `t` GROUP BY `k`"
            + " HAVING `n` > 1) AS `t1`",
        // the outer query computes, or selects everything
        "SELECT `k` + 1 FROM (SELECT `k`, COUNT(*) AS `n` FROM `t` GROUP BY `k` HAVING `n` > 1) AS `t1`",
        "SELECT * FROM (SELECT `k`, COUNT(*) AS `n` FROM `t` GROUP BY `k` HAVING `n` > 1) AS `t1`",
        // no HAVING, or no grouping inside: nothing to gain
        "SELECT `k` FROM (SELECT `k`, COUNT(*) AS `n` FROM `t` GROUP BY `k`) AS `t1`",
        "SELECT `k` FROM (SELECT `k`, `v` FROM `t` WHERE `v` > 1) AS `t1`",
        // the inner query orders and limits
        "SELECT `k` FROM (SELECT `k`, COUNT(*) AS `n` FROM `t` GROUP BY `k` HAVING `n` > 1"
            + " ORDER BY `n` DESC LIMIT 3) AS `t1`",
        // an aggregate wrapped in an expression is not replaced
        "SELECT `k` FROM (SELECT `k`, CAST(SUM(`v`) AS DECIMAL(38, 2)) AS `s` FROM `t` GROUP BY `k`"
            + " HAVING `s` > 1) AS `t1`",
    };
    for (String sql : alone) {
      assertEquals(unchanged(sql), reshaped(sql), sql);
    }
    // ORDER BY and LIMIT in the outer SELECT node itself, as Calcite's generator writes them
    SqlSelect ordered = (SqlSelect) parse("SELECT `k` FROM (SELECT `k`, COUNT(*) AS `n` FROM `t`"
        + " GROUP BY `k` HAVING `n` > 1) AS `t1`");
    ordered.setOrderBy(SqlNodeList.of(new SqlIdentifier("k", SqlParserPos.ZERO)));
    ordered.setFetch(SqlLiteral.createExactNumeric("5", SqlParserPos.ZERO));
    String before = written(ordered);
    assertEquals(before, written(GroupedDerivedTables.unwrapped(ordered)));
  }
}
