package io.gatehouse.core.guard;

import java.math.BigDecimal;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWith;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * Rewrites the top-level fetch of a query so that at most {@code rowCap + 1} rows come back.
 *
 * <p>Why {@code cap + 1}: the engine returns at most {@code cap} rows and needs to know whether it
 * cut the result. Fetching one extra row answers that without a second query. When the user's own
 * literal LIMIT is already {@code <= cap} it is kept as is: the result can never be truncated, and
 * the user's LIMIT keeps its exact meaning.
 *
 * <p>The rewrite stays in the shapes Calcite's parser itself produces: the fetch goes into the
 * top-level {@link SqlOrderBy} (which Calcite uses for ORDER BY / OFFSET / FETCH of selects, set
 * operations and WITH), a bare query is wrapped in {@code SqlOrderBy(query, no order, no offset,
 * fetch)}, exactly what {@code <query> LIMIT n} parses to. It never wraps the query as
 * {@code SELECT * FROM (q)}: that fails when the query has duplicate column names.
 *
 * <p>A {@code LIMIT ?} is left in place and reported: the bound value is unknown here, and wrapping
 * a second SqlOrderBy around one with a parameter fetch makes Calcite fail at prepare time. The
 * engine clamps the bound value with {@link GuardedQuery#clampFetchParameter(Object, long)}.
 * Offsets are never changed, and limits inside subqueries are left alone: only the top-level fetch
 * decides how many rows leave the engine.
 *
 * <p>One shape is capped on the plan instead of the tree: a bare UNION/INTERSECT/EXCEPT (no ORDER
 * BY or LIMIT of its own). Calcite's validator turns any ORDER BY / FETCH over a set operation into
 * {@code SELECT * FROM (q) ...}, which fails when the set operation's output column names repeat
 * ({@code select a.id, b.id ... union ...}: "Column 'id' is ambiguous"). For that shape the guard
 * leaves the tree alone and reports {@code planFetch}; the planner puts the same fetch on top of the
 * relational plan, where it reaches the source as its LIMIT just the same. A set operation with the
 * user's own ORDER BY/LIMIT is capped in the tree (it already had to pass that rewrite).
 */
final class RowCap {
  /**
   * The rewritten query and what ended up as its top-level fetch.
   *
   * @param planFetch set when the fetch could not be written into the tree and the planner must put
   *     it on top of the plan instead (a bare set operation, see the class comment)
   */
  record Capped(SqlNode query, OptionalInt fetchParameter, OptionalLong fetchLiteral,
      OptionalLong planFetch) {
    Capped(SqlNode query, OptionalInt fetchParameter, OptionalLong fetchLiteral) {
      this(query, fetchParameter, fetchLiteral, OptionalLong.empty());
    }
  }

  private RowCap() {}

  static Capped apply(SqlNode query, long rowCap) {
    if (query instanceof SqlOrderBy orderBy) {
      return capOrderBy(orderBy, rowCap);
    }
    if (query instanceof SqlSelect select
        && (select.getFetch() != null || select.getOffset() != null)) {
      // Calcite's parser puts LIMIT/OFFSET on a SqlOrderBy, but a SqlSelect can hold them too.
      Fetch fetch = Fetch.of(select.getFetch(), rowCap, select.getParserPosition());
      select.setFetch(fetch.node());
      return fetch.capped(select);
    }
    if (query instanceof SqlWith with) {
      Capped body = apply(with.body, rowCap);
      with.setOperand(1, body.query());
      return new Capped(with, body.fetchParameter(), body.fetchLiteral(), body.planFetch());
    }
    if (query.getKind() == SqlKind.UNION || query.getKind() == SqlKind.INTERSECT
        || query.getKind() == SqlKind.EXCEPT) {
      long capPlusOne = rowCap + 1;
      return new Capped(query, OptionalInt.empty(), OptionalLong.of(capPlusOne),
          OptionalLong.of(capPlusOne));
    }
    // bare SELECT, VALUES: what "<query> LIMIT n" parses to
    Fetch fetch = Fetch.of(null, rowCap, query.getParserPosition());
    return fetch.capped(
        new SqlOrderBy(query.getParserPosition(), query, SqlNodeList.EMPTY, null, fetch.node()));
  }

  private static Capped capOrderBy(SqlOrderBy orderBy, long rowCap) {
    Fetch fetch = Fetch.of(orderBy.fetch, rowCap, orderBy.getParserPosition());
    if (fetch.node() == orderBy.fetch) {
      return fetch.capped(orderBy);
    }
    return fetch.capped(
        new SqlOrderBy(
            orderBy.getParserPosition(),
            orderBy.query,
            orderBy.orderList,
            orderBy.offset,
            fetch.node()));
  }

  /** The fetch to write: the user's node when it is a parameter or already within the cap. */
  private record Fetch(SqlNode node, OptionalInt parameter, OptionalLong literal) {
    static Fetch of(SqlNode userFetch, long rowCap, SqlParserPos pos) {
      long capPlusOne = rowCap + 1;
      if (userFetch == null) {
        return literal(capPlusOne, pos);
      }
      if (userFetch instanceof SqlDynamicParam param) {
        return new Fetch(param, OptionalInt.of(param.getIndex()), OptionalLong.empty());
      }
      BigDecimal value = userValue(userFetch);
      if (value.compareTo(BigDecimal.valueOf(rowCap)) <= 0) {
        return new Fetch(userFetch, OptionalInt.empty(), OptionalLong.of(value.longValueExact()));
      }
      return literal(capPlusOne, userFetch.getParserPosition());
    }

    private static Fetch literal(long value, SqlParserPos pos) {
      return new Fetch(
          SqlLiteral.createExactNumeric(Long.toString(value), pos),
          OptionalInt.empty(),
          OptionalLong.of(value));
    }

    /** The user's literal LIMIT/FETCH count; the grammar only allows an unsigned number there. */
    private static BigDecimal userValue(SqlNode fetch) {
      BigDecimal value =
          fetch instanceof SqlNumericLiteral literal && literal.isInteger()
              ? literal.bigDecimalValue()
              : null;
      if (value == null || value.signum() < 0) {
        SqlParserPos pos = fetch.getParserPosition();
        throw Rejections.syntax(
            "LIMIT/FETCH count must be a non-negative integer or ?, got " + fetch
                + " at line " + pos.getLineNum() + ", column " + pos.getColumnNum(),
            pos.getLineNum(),
            pos.getColumnNum());
      }
      return value;
    }

    Capped capped(SqlNode query) {
      return new Capped(query, parameter, literal);
    }
  }
}
