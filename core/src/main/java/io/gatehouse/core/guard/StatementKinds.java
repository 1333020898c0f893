package io.gatehouse.core.guard;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSetOption;
import org.apache.calcite.sql.SqlWith;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * Which parsed statements are read queries, and how refused ones are named.
 *
 * <p>The check is an allow-list on {@link SqlKind}: anything the list does not name is refused,
 * so a statement kind added by a future Calcite release is refused until someone decides
 * otherwise. On top of the top-level kind, the whole tree is scanned for write or control nodes,
 * so that an allowed kind can never carry a statement inside it.
 */
final class StatementKinds {
  /** Top-level kinds that are read queries. EXPLICIT_TABLE ({@code TABLE t}) is deliberately absent. */
  static final Set<SqlKind> ALLOWED =
      EnumSet.of(
          SqlKind.SELECT,
          SqlKind.WITH,
          SqlKind.UNION,
          SqlKind.INTERSECT,
          SqlKind.EXCEPT,
          SqlKind.VALUES,
          SqlKind.ORDER_BY);

  /** Kinds that must not appear anywhere inside an accepted query. */
  private static final Set<SqlKind> FORBIDDEN_INSIDE = forbiddenInside();

  private StatementKinds() {}

  /**
   * True when {@code node} is an allowed query all the way down its query spine: an ORDER BY or
   * WITH is only as good as the query it wraps.
   */
  static boolean isAllowedQuery(SqlNode node) {
    if (node == null || !ALLOWED.contains(node.getKind())) {
      return false;
    }
    if (node instanceof SqlOrderBy orderBy) {
      return isAllowedQuery(orderBy.query);
    }
    if (node instanceof SqlWith with) {
      return isAllowedQuery(with.body);
    }
    return true;
  }

  /** The innermost node of the query spine that is not allowed, for naming it in a refusal. */
  static SqlNode firstDisallowed(SqlNode node) {
    if (node instanceof SqlOrderBy orderBy && ALLOWED.contains(node.getKind())) {
      return firstDisallowed(orderBy.query);
    }
    if (node instanceof SqlWith with) {
      return firstDisallowed(with.body);
    }
    return node;
  }

  /** The name of a statement kind as a user would write it: INSERT, UPSERT, CALL, ALTER SYSTEM SET. */
  static String displayName(SqlNode node) {
    if (node instanceof SqlInsert insert && insert.isUpsert()) {
      return "UPSERT";
    }
    if (node instanceof SqlSetOption set) {
      String verb = set.getValue() == null ? "RESET" : "SET";
      return set.getScope() == null ? verb : "ALTER " + set.getScope().toUpperCase(Locale.ROOT) + " " + verb;
    }
    switch (node.getKind()) {
      case PROCEDURE_CALL:
        return "CALL";
      case DESCRIBE_TABLE:
        return "DESCRIBE";
      case DESCRIBE_SCHEMA:
        return "DESCRIBE SCHEMA";
      case EXPLICIT_TABLE:
        return "TABLE";
      default:
        return node.getKind().name().replace('_', ' ');
    }
  }

  /** The first write or control node anywhere in {@code node}, or null when there is none. */
  static SqlNode findForbidden(SqlNode node) {
    Finder finder = new Finder();
    node.accept(finder);
    return finder.found;
  }

  /** How many {@code ?} markers the statement has. */
  static int countParameters(SqlNode node) {
    int[] count = {0};
    node.accept(
        new SqlBasicVisitor<Void>() {
          @Override
          public Void visit(SqlDynamicParam param) {
            count[0]++;
            return null;
          }
        });
    return count[0];
  }

  private static Set<SqlKind> forbiddenInside() {
    EnumSet<SqlKind> kinds = EnumSet.noneOf(SqlKind.class);
    kinds.addAll(SqlKind.DML);
    kinds.addAll(SqlKind.DDL);
    kinds.add(SqlKind.SET_OPTION);
    kinds.add(SqlKind.EXPLAIN);
    kinds.add(SqlKind.DESCRIBE_TABLE);
    kinds.add(SqlKind.DESCRIBE_SCHEMA);
    kinds.add(SqlKind.OTHER_DDL);
    return kinds;
  }

  /** Walks the whole tree, remembering the first forbidden call. */
  private static final class Finder extends SqlBasicVisitor<Void> {
    SqlNode found;

    @Override
    public Void visit(SqlCall call) {
      if (found == null && FORBIDDEN_INSIDE.contains(call.getKind())) {
        found = call;
        return null;
      }
      return super.visit(call);
    }
  }
}
