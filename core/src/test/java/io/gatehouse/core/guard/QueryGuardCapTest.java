package io.gatehouse.core.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import io.gatehouse.core.guard.AcceptedCorpus.Accepted;
import java.math.BigDecimal;
import java.util.stream.Stream;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWith;
import org.apache.calcite.sql.dialect.CalciteSqlDialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Accepted read queries: what the guard reports and what it writes into the tree. */
class QueryGuardCapTest {
  private final QueryGuard guard = new QueryGuard();

  static Stream<Accepted> accepted() {
    return AcceptedCorpus.all();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("accepted")
  void capsTopLevelFetch(Accepted c) {
    GuardedQuery q = guard.check(c.sql(), c.cap());

    assertEquals(c.kind(), q.kindName(), "kind");
    assertEquals(c.explain(), q.isExplain(), "explain");
    assertEquals(c.cap(), q.rowCap(), "rowCap");
    assertEquals(c.fetch(), q.fetchLiteral(), "fetchLiteral");
    assertEquals(c.fetchParam(), q.fetchParameter(), "fetchParameter");
    assertEquals(c.params(), q.parameterCount(), "parameterCount");

    if (q.planFetch().isPresent()) {
      // A bare set operation: the cap goes on top of the plan, the tree is left as written.
      assertEquals(c.fetch(), q.planFetch(), "planFetch");
      assertTrue(q.query().getKind() == SqlKind.UNION || q.query().getKind() == SqlKind.INTERSECT
          || q.query().getKind() == SqlKind.EXCEPT
          || (q.query() instanceof SqlWith w && w.body.getKind() != SqlKind.ORDER_BY),
          () -> "only bare set operations are capped on the plan: " + q.query().getKind());
      return;
    }
    SqlNode fetch = topFetch(q.query());
    assertNotNull(fetch, "the tree must carry a top-level fetch");
    String sql = unparse(q.query());
    if (c.fetch().isPresent()) {
      long expected = c.fetch().getAsLong();
      BigDecimal inTree = ((SqlLiteral) fetch).bigDecimalValue();
      assertEquals(
          0, BigDecimal.valueOf(expected).compareTo(inTree), () -> "fetch in the tree: " + inTree);
      assertTrue(
          sql.endsWith("FETCH NEXT " + expected + " ROWS ONLY") || sql.contains(
              "FETCH NEXT " + expected + " ROWS ONLY)"),
          () -> "unparsed: " + sql);
    } else {
      SqlDynamicParam param = assertInstanceOf(SqlDynamicParam.class, fetch);
      assertEquals(c.fetchParam().getAsInt(), param.getIndex());
      assertTrue(sql.contains("FETCH NEXT ? ROWS ONLY"), () -> "unparsed: " + sql);
    }
    for (String fragment : c.contains()) {
      assertTrue(sql.contains(fragment), () -> "expected " + fragment + " in: " + sql);
    }
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "select * from t limit ?",
        "select a from t union select a from u limit ?",
        "with x as (select a from t) select * from x limit ?",
        "select * from t order by a limit ? offset ?"
      })
  void parameterFetchIsNotWrappedInASecondOrderBy(String sql) {
    GuardedQuery q = guard.check(sql, 10);
    SqlOrderBy top = assertInstanceOf(SqlOrderBy.class, q.query());
    assertFalse(top.query instanceof SqlOrderBy, "no SqlOrderBy nested around LIMIT ?");
    assertInstanceOf(SqlDynamicParam.class, top.fetch);
  }

  @Test
  void userLimitWithinCapKeepsTheUsersNode() {
    GuardedQuery q = guard.check("select * from t limit 5", 10);
    SqlOrderBy top = assertInstanceOf(SqlOrderBy.class, q.query());
    assertEquals("5", top.fetch.toString());
    assertInstanceOf(SqlSelect.class, top.query);
  }

  @Test
  void bareSelectIsWrappedNotSubqueried() {
    GuardedQuery q = guard.check("select a.id, b.id from a, b", 10);
    SqlOrderBy top = assertInstanceOf(SqlOrderBy.class, q.query());
    SqlSelect select = assertInstanceOf(SqlSelect.class, top.query);
    assertInstanceOf(SqlJoin.class, select.getFrom(), "the user's own FROM, not a subquery");
    assertEquals(2, select.getSelectList().size());
    assertTrue(top.orderList.isEmpty());
    assertNull(top.offset);
  }

  @Test
  void withBodyIsCappedInPlace() {
    GuardedQuery q = guard.check("with x as (select a from t) select * from x", 10);
    SqlWith with = assertInstanceOf(SqlWith.class, q.query());
    SqlOrderBy body = assertInstanceOf(SqlOrderBy.class, with.body);
    assertEquals("11", body.fetch.toString());
  }

  @Test
  void explainReturnsTheInnerQuery() {
    GuardedQuery q = guard.check("explain plan for select * from t order by a", 10);
    assertTrue(q.isExplain());
    SqlOrderBy top = assertInstanceOf(SqlOrderBy.class, q.query());
    assertEquals("11", top.fetch.toString());
  }

  @Test
  void eachCheckParsesAFreshTree() {
    GuardedQuery first = guard.check("select * from t", 10);
    GuardedQuery second = guard.check("select * from t", 20);
    assertEquals("11", topFetch(first.query()).toString());
    assertEquals("21", topFetch(second.query()).toString());
  }

  @Test
  void largestCapStillFitsInALong() {
    GuardedQuery q = guard.check("select * from t", Long.MAX_VALUE - 1);
    assertEquals(Long.MAX_VALUE, q.fetchLiteral().getAsLong());
  }

  @ParameterizedTest
  @ValueSource(longs = {0, -1, Long.MIN_VALUE, Long.MAX_VALUE})
  void rowCapOutOfRangeIsRefused(long cap) {
    GatehouseException e = assertThrows(GatehouseException.class, () -> guard.check("select 1", cap));
    assertEquals(ErrorCode.ROW_LIMIT, e.code());
  }

  @Test
  void nullSqlIsAProgrammingError() {
    assertThrows(NullPointerException.class, () -> guard.check(null, 10));
  }

  /** The fetch that limits the whole result, wherever the shape keeps it. */
  static SqlNode topFetch(SqlNode query) {
    if (query instanceof SqlOrderBy orderBy) {
      return orderBy.fetch;
    }
    if (query instanceof SqlWith with) {
      return topFetch(with.body);
    }
    if (query instanceof SqlSelect select) {
      return select.getFetch();
    }
    return null;
  }

  static String unparse(SqlNode query) {
    String sql = query.toSqlString(c -> c.withDialect(CalciteSqlDialect.DEFAULT)).getSql();
    return sql.replaceAll("\\s+", " ").trim();
  }
}
