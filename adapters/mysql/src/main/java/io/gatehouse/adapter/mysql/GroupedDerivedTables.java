package io.gatehouse.adapter.mysql;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlShuttle;
import org.apache.calcite.sql.validate.SqlValidatorUtil;

/**
 * Unwraps the derived table Calcite puts around a grouped SELECT with HAVING when the query above
 * it only picks some of its columns:
 * <pre>
 *   SELECT k FROM (SELECT k, SUM(q) AS $f1 FROM t GROUP BY k HAVING $f1 > 300) AS t1
 *   becomes SELECT k FROM t GROUP BY k HAVING SUM(q) > 300
 * </pre>
 *
 * <p>Why: Calcite writes MySQL's HAVING with select-list aliases, so the aggregate HAVING names
 * must stay in the select list and a projection that drops it becomes a SELECT around the
 * grouping. MariaDB cannot turn an {@code IN} over such a derived table into a semi-join: TPC-H
 * Q18 ran at 1.41x the query as written, and at 0.9x unwrapped. (Turning aliases off altogether
 * is no cure: MariaDB refuses a HAVING that repeats a GROUP BY expression over a column the
 * select list does not name, {@code HAVING CAST(viewed_at AS DATE) IN (...)}.)
 *
 * <p>The rewrite is narrow, and anything else is left as it was: the outer SELECT has nothing but
 * a list of the derived table's columns (no WHERE, grouping, ordering, limit or DISTINCT); the
 * inner one groups, has HAVING, and no ordering, limit or DISTINCT; every output column has a
 * distinct name. An alias that HAVING names either stays in the new select list, or stands for an
 * aggregate and is replaced by that aggregate (which HAVING may always contain); any other alias
 * it names keeps the statement as it was.
 */
final class GroupedDerivedTables {
  private GroupedDerivedTables() {}

  /** The statement with every such derived table unwrapped, at any depth. */
  static SqlNode unwrapped(SqlNode statement) {
    SqlNode result = statement.accept(new SqlShuttle() {
      @Override
      public SqlNode visit(SqlCall call) {
        SqlNode visited = super.visit(call);
        if (visited instanceof SqlSelect select) {
          SqlSelect inner = unwrap(select);
          if (inner != null) {
            return inner;
          }
        }
        return visited;
      }
    });
    return result == null ? statement : result;
  }

  /** The inner SELECT standing for {@code outer}, or null when the shape is not the one above. */
  private static SqlSelect unwrap(SqlSelect outer) {
    if (outer.getWhere() != null || outer.getGroup() != null || outer.getHaving() != null
        || outer.getQualify() != null || outer.isDistinct() || outer.getFetch() != null
        || outer.getOffset() != null || !isEmpty(outer.getOrderList())
        || !isEmpty(outer.getWindowList()) || !isEmpty(outer.getHints())) {
      return null;
    }
    if (!(outer.getFrom() instanceof SqlCall as) || as.getKind() != SqlKind.AS
        || as.operandCount() != 2 || !(as.operand(0) instanceof SqlSelect inner)
        || !(as.operand(1) instanceof SqlIdentifier alias) || !alias.isSimple()) {
      return null;
    }
    if (inner.getGroup() == null || inner.getGroup().isEmpty() || inner.getHaving() == null
        || inner.getQualify() != null || inner.isDistinct() || inner.getFetch() != null
        || inner.getOffset() != null || !isEmpty(inner.getOrderList())
        || !isEmpty(inner.getWindowList())) {
      return null;
    }
    Map<String, SqlNode> innerByName = new HashMap<>();
    for (SqlNode item : inner.getSelectList()) {
      String name = outputName(item);
      if (name == null || innerByName.put(key(name), item) != null) {
        return null;
      }
    }
    SqlNodeList selectList = new SqlNodeList(SqlParserPos.ZERO);
    Map<String, SqlNode> kept = new HashMap<>();
    for (SqlNode item : outer.getSelectList()) {
      String name = outputName(item);
      SqlNode column = expression(item);
      if (name == null || !(column instanceof SqlIdentifier id) || id.isStar()
          || id.names.size() > 2
          || id.names.size() == 2 && !id.names.get(0).equals(alias.getSimple())) {
        return null;
      }
      SqlNode source = innerByName.get(key(id.names.get(id.names.size() - 1)));
      if (source == null || kept.put(key(name), source) != null) {
        return null;
      }
      SqlNode expression = expression(source);
      boolean sameName = name.equals(outputName(source));
      selectList.add(sameName ? source : SqlValidatorUtil.addAlias(expression, name));
    }
    SqlNode having = havingWithoutDroppedAliases(inner.getHaving(), innerByName, kept);
    if (having == null) {
      return null;
    }
    inner.setSelectList(selectList);
    inner.setHaving(having);
    return inner;
  }

  /**
   * HAVING with each alias of a dropped aggregate replaced by the aggregate; null when it names
   * the alias of a dropped column that is not an aggregate.
   */
  private static SqlNode havingWithoutDroppedAliases(SqlNode having, Map<String, SqlNode> innerByName,
      Map<String, SqlNode> kept) {
    boolean[] refused = {false};
    SqlNode rewritten = having.accept(new SqlShuttle() {
      @Override
      public SqlNode visit(SqlIdentifier id) {
        if (!id.isSimple()) {
          return id;
        }
        SqlNode item = innerByName.get(key(id.getSimple()));
        if (item == null || item.getKind() != SqlKind.AS) {
          return id; // a column of the FROM clause, not an alias
        }
        if (kept.get(key(id.getSimple())) == item) {
          return id; // still in the select list, under the same name
        }
        SqlNode expression = expression(item);
        if (expression instanceof SqlBasicCall call && call.getOperator().isAggregator()) {
          return expression;
        }
        refused[0] = true;
        return id;
      }
    });
    return refused[0] ? null : rewritten;
  }

  private static SqlNode expression(SqlNode item) {
    return item.getKind() == SqlKind.AS ? ((SqlCall) item).operand(0) : item;
  }

  /** The name a select-list item has as a column: its alias, or an identifier's last part. */
  private static String outputName(SqlNode item) {
    if (item.getKind() == SqlKind.AS) {
      SqlNode alias = ((SqlCall) item).operand(1);
      return alias instanceof SqlIdentifier id && id.isSimple() ? id.getSimple() : null;
    }
    if (item instanceof SqlIdentifier id && !id.isStar()) {
      return id.names.get(id.names.size() - 1);
    }
    return null;
  }

  /** MySQL and MariaDB compare column names without regard to case. */
  private static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  private static boolean isEmpty(SqlNodeList list) {
    return list == null || list.isEmpty();
  }
}
