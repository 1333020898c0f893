package io.gatehouse.sqltests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.PreparedQuery;
import io.gatehouse.core.QueryResult;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Queries over one source reach it as one statement, whatever their shape (correlated and
 * uncorrelated subqueries, EXISTS and NOT EXISTS, IN, scalar subqueries, many-way joins, set
 * operations, CTEs, windows), with the same rows as the query run directly; queries over two
 * sources are still split.
 */
class WholeQueryPushdownTest {
  static Stream<Arguments> singleSource() {
    return Stream.of(
        // PostgreSQL: correlated EXISTS and NOT EXISTS
        Arguments.of("select c.id, c.name from shop.public.customers c where exists (select 1 from"
                + " shop.public.orders o where o.customer_id = c.id and o.total > 100) order by c.id",
            "select c.id, c.name from public.customers c where exists (select 1 from"
                + " public.orders o where o.customer_id = c.id and o.total > 100) order by c.id", "pg"),
        // correlated scalar subquery in the WHERE clause and in the select list
        Arguments.of("select o.id, o.total, (select count(*) from shop.public.order_items i where"
                + " i.order_id = o.id) as items from shop.public.orders o where o.total > (select"
                + " avg(o2.total) from shop.public.orders o2 where o2.customer_id = o.customer_id)"
                + " order by o.id",
            "select o.id, o.total, (select count(*) from public.order_items i where"
                + " i.order_id = o.id) as items from public.orders o where o.total > (select"
                + " avg(o2.total) from public.orders o2 where o2.customer_id = o.customer_id)"
                + " order by o.id", "pg"),
        // IN and NOT IN subqueries, a four-way join, aggregates with CASE, top-N
        Arguments.of("select c.country, sum(case when p.category = 'books' then i.quantity else 0 end)"
                + " as books, count(distinct o.id) as orders from shop.public.customers c"
                + " join shop.public.orders o on o.customer_id = c.id"
                + " join shop.public.order_items i on i.order_id = o.id"
                + " join shop.public.products p on p.id = i.product_id"
                + " where c.id in (select customer_id from shop.public.orders where status = 'shipped')"
                + " and p.id not in (select id from shop.public.products where price > 400)"
                + " group by c.country order by orders desc, c.country limit 5",
            "select c.country, sum(case when p.category = 'books' then i.quantity else 0 end)"
                + " as books, count(distinct o.id) as orders from public.customers c"
                + " join public.orders o on o.customer_id = c.id"
                + " join public.order_items i on i.order_id = o.id"
                + " join public.products p on p.id = i.product_id"
                + " where c.id in (select customer_id from public.orders where status = 'shipped')"
                + " and p.id not in (select id from public.products where price > 400)"
                + " group by c.country order by orders desc, c.country limit 5", "pg"),
        // a CTE used twice, and a set operation
        Arguments.of("with big as (select customer_id, sum(total) as t from shop.public.orders group by"
                + " customer_id) select customer_id from big where t > (select avg(t) from big)"
                + " union select id from shop.public.customers where id < 3 order by 1",
            "with big as (select customer_id, sum(total) as t from public.orders group by"
                + " customer_id) select customer_id from big where t > (select avg(t) from big)"
                + " union select id from public.customers where id < 3 order by 1", "pg"),
        // shaped like TPC-H Q21: EXISTS and NOT EXISTS correlated on the same outer table, joins
        Arguments.of("select c.name, count(*) as n from shop.public.customers c, shop.public.orders o1"
                + " where o1.customer_id = c.id and exists (select * from shop.public.orders o2"
                + " where o2.customer_id = o1.customer_id and o2.id <> o1.id) and not exists"
                + " (select * from shop.public.orders o3 where o3.customer_id = o1.customer_id"
                + " and o3.id <> o1.id and o3.total > o1.total) group by c.name order by n desc, c.name",
            "select c.name, count(*) as n from public.customers c, public.orders o1"
                + " where o1.customer_id = c.id and exists (select * from public.orders o2"
                + " where o2.customer_id = o1.customer_id and o2.id <> o1.id) and not exists"
                + " (select * from public.orders o3 where o3.customer_id = o1.customer_id"
                + " and o3.id <> o1.id and o3.total > o1.total) group by c.name order by n desc, c.name",
            "pg"),
        // shaped like TPC-H Q22: a derived table with an uncorrelated scalar subquery and NOT EXISTS
        // (the IN list is simplified by the planner: the correlated NOT EXISTS must keep its binding)
        Arguments.of("select country, count(*) as n, sum(credit_limit) as s from (select country,"
                + " credit_limit from shop.public.customers c where country in ('US', 'DE', 'FR', 'JP')"
                + " and credit_limit > (select avg(credit_limit) from shop.public.customers where"
                + " credit_limit > 0) and not exists (select * from shop.public.orders o where"
                + " o.customer_id = c.id and o.status in ('shipped', 'paid'))) as t group by country"
                + " order by country",
            "select country, count(*) as n, sum(credit_limit) as s from (select country,"
                + " credit_limit from public.customers c where country in ('US', 'DE', 'FR', 'JP')"
                + " and credit_limit > (select avg(credit_limit) from public.customers where"
                + " credit_limit > 0) and not exists (select * from public.orders o where"
                + " o.customer_id = c.id and o.status in ('shipped', 'paid'))) as t group by country"
                + " order by country", "pg"),
        // MariaDB: NOT EXISTS, scalar subquery, window function
        Arguments.of("select a.id, a.name, (select count(*) from crm.crm.contacts c where"
                + " c.account_id = a.id) as contacts, rank() over (partition by a.tier order by a.id desc) as r"
                + " from crm.crm.accounts a where not exists (select 1 from crm.crm.interactions i"
                + " where i.account_id = a.id and i.channel = 'phone') order by a.id",
            "select a.id, a.name, (select count(*) from crm.contacts c where"
                + " c.account_id = a.id) as contacts, rank() over (partition by a.tier order by a.id desc) as r"
                + " from crm.accounts a where not exists (select 1 from crm.interactions i"
                + " where i.account_id = a.id and i.channel = 'phone') order by a.id", "mariadb"));
  }

  @ParameterizedTest
  @MethodSource("singleSource")
  void aQueryOverOneSourceIsOneStatementWithTheDirectRows(String engineSql, String directSql,
      String source) throws SQLException {
    PreparedQuery q = TwoSources.ENGINE.session().prepare(engineSql);
    assertTrue(q.pushedDown(), () -> "not pushed down whole:\n" + q.plan());
    TwoSources.SENT.clear();
    List<List<Object>> actual;
    try {
      actual = TwoSources.engine(engineSql);
    } catch (RuntimeException e) {
      throw new AssertionError("failed; the source received " + TwoSources.SENT, e);
    }
    assertEquals(1, TwoSources.SENT.size(), () -> "statements: " + TwoSources.SENT);
    List<List<Object>> expected = TwoSources.direct(source.equals("pg")
        ? TwoSources.PG.readerConnection() : TwoSources.MARIADB.readerConnection(), directSql);
    assertFalse(expected.isEmpty(), "the query selects rows");
    try {
      TwoSources.assertRows(expected, actual);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\nthe source received " + TwoSources.SENT, e);
    }
  }

  @Test
  void aQueryOverTwoSourcesIsStillSplitAndCorrect() {
    String sql = "select c.id from shop.public.customers c where exists (select 1 from"
        + " crm.crm.accounts a where a.customer_id = c.id) order by c.id";
    PreparedQuery q = TwoSources.ENGINE.session().prepare(sql);
    assertFalse(q.pushedDown());
    List<Object> ids = new ArrayList<>();
    try (QueryResult r = q.execute()) {
      while (r.next()) {
        ids.add(r.get(0));
      }
    }
    assertFalse(ids.isEmpty());
  }

  @Test
  void explainShowsTheStatementTheSourceReceives() {
    List<List<Object>> plan = TwoSources.engine("explain plan for select count(*) from"
        + " shop.public.orders o where exists (select 1 from shop.public.order_items i"
        + " where i.order_id = o.id)");
    String text = plan.toString();
    assertTrue(text.contains("WholeQueryAtSource"), text);
    assertTrue(text.contains("EXISTS"), text);
  }
}
