package io.gatehouse.core.guard;

import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import java.util.Objects;
import org.apache.calcite.sql.SqlExplain;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;

/**
 * The first wall: every SQL string from every client passes here before validation and planning.
 *
 * <p>It accepts exactly one read query (SELECT, WITH, VALUES, UNION/INTERSECT/EXCEPT, optionally
 * ordered and limited, or EXPLAIN PLAN FOR one of those) and caps the rows it can return. The
 * decision is made on Calcite's parse tree, or, when Calcite cannot parse the text, on the
 * parser's own failure (see {@link ParseFailures}); never by matching the SQL text, which
 * comments, string literals and quoted identifiers would fool.
 *
 * <p>Instances are stateless and thread-safe.
 */
public final class QueryGuard {
  private final SqlParser.Config config;

  /** A guard for the client dialect, {@link SqlSyntax#parserConfig()}. */
  public QueryGuard() {
    this.config = SqlSyntax.parserConfig();
  }

  /**
   * Parses, checks and caps one statement.
   *
   * @param sql the client's SQL text
   * @param rowCap the most rows the caller may receive, {@code >= 1}; the query is rewritten to
   *     fetch at most {@code rowCap + 1} so that truncation can be detected
   * @throws GatehouseException {@link ErrorCode#QUERY_REJECTED} when the text is not exactly one
   *     read query, {@link ErrorCode#SQL_SYNTAX} (with line and column) when it does not parse,
   *     {@link ErrorCode#ROW_LIMIT} when {@code rowCap} is out of range
   */
  public GuardedQuery check(String sql, long rowCap) {
    Objects.requireNonNull(sql, "sql");
    checkRowCap(rowCap);
    SqlNode statement = parseOne(sql);
    boolean explain = statement instanceof SqlExplain;
    SqlNode query = explain ? ((SqlExplain) statement).getExplicandum() : statement;
    if (!StatementKinds.isAllowedQuery(query)) {
      String kind = StatementKinds.displayName(StatementKinds.firstDisallowed(query));
      throw explain ? Rejections.explainOf(kind) : Rejections.statementKind(kind);
    }
    SqlNode hidden = StatementKinds.findForbidden(query);
    if (hidden != null) {
      throw Rejections.nested(StatementKinds.displayName(hidden));
    }
    String kindName = query.getKind().name();
    int parameterCount = StatementKinds.countParameters(query);
    RowCap.Capped capped = RowCap.apply(query, rowCap);
    return new GuardedQuery(
        capped.query(),
        rowCap,
        explain,
        capped.fetchParameter(),
        capped.fetchLiteral(),
        parameterCount,
        kindName,
        capped.planFetch());
  }

  private SqlNode parseOne(String sql) {
    SqlNodeList statements;
    try {
      statements = SqlParser.create(sql, config).parseStmtList();
    } catch (SqlParseException e) {
      throw ParseFailures.classify(sql, config, e);
    }
    if (statements.isEmpty()) {
      throw Rejections.empty();
    }
    if (statements.size() > 1) {
      throw Rejections.multiple(statements.size());
    }
    return statements.get(0);
  }

  /** {@code rowCap + 1} must still be a long: the cap is checked before any arithmetic on it. */
  static void checkRowCap(long rowCap) {
    if (rowCap < 1 || rowCap == Long.MAX_VALUE) {
      throw new GatehouseException(
          ErrorCode.ROW_LIMIT, "the row cap must be between 1 and " + (Long.MAX_VALUE - 1)
              + ", got " + rowCap);
    }
  }
}
