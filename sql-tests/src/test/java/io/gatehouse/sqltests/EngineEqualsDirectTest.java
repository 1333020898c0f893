package io.gatehouse.sqltests;

import static io.gatehouse.sqltests.TwoSources.MARIADB;
import static io.gatehouse.sqltests.TwoSources.PG;
import static io.gatehouse.sqltests.TwoSources.direct;
import static io.gatehouse.sqltests.TwoSources.engine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.exec.SourceStatement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Results through the engine equal the source's own results for the same query, on the shared
 * fixtures of real PostgreSQL and MariaDB, including every column of the type sample tables.
 * Each case is written for the engine and for the source (names differ: {@code shop.public.x}
 * against {@code public.x}).
 */
class EngineEqualsDirectTest {

  static Stream<Arguments> postgres() {
    return Stream.of(
        Arguments.of("select * from shop.public.type_samples order by id",
            "select * from public.type_samples order by id"),
        Arguments.of("select id, name, email, country, city, vip, birth_date, credit_limit,"
            + " loyalty_score, lifetime_value, created_at, external_id, preferences, notes"
            + " from shop.public.customers order by id",
            "select id, name, email, country, city, vip, birth_date, credit_limit,"
            + " loyalty_score, lifetime_value, created_at, external_id, preferences, notes"
            + " from public.customers order by id"),
        Arguments.of("select status, count(*) as n, sum(total) as s, avg(total) as a, min(order_date) as d"
            + " from shop.public.orders group by status order by status",
            "select status, count(*) as n, sum(total) as s, avg(total) as a, min(order_date) as d"
            + " from public.orders group by status order by status"),
        Arguments.of("select c.country, p.category, sum(i.quantity * i.unit_price) as revenue"
            + " from shop.public.orders o join shop.public.customers c on c.id = o.customer_id"
            + " join shop.public.order_items i on i.order_id = o.id"
            + " join shop.public.products p on p.id = i.product_id"
            + " group by c.country, p.category order by revenue desc, c.country, p.category",
            "select c.country, p.category, sum(i.quantity * i.unit_price) as revenue"
            + " from public.orders o join public.customers c on c.id = o.customer_id"
            + " join public.order_items i on i.order_id = o.id"
            + " join public.products p on p.id = i.product_id"
            + " group by c.country, p.category order by revenue desc, c.country, p.category"),
        Arguments.of("select r.name, sum(t.target_amount) as target from shop.sales.regions r"
            + " join shop.sales.targets t on t.region_id = r.id where t.\"year\" = 2024"
            + " group by r.name order by r.name",
            "select r.name, sum(t.target_amount) as target from sales.regions r"
            + " join sales.targets t on t.region_id = r.id where t.year = 2024"
            + " group by r.name order by r.name"),
        Arguments.of("select c.id, c.name from shop.public.customers c where not exists"
            + " (select 1 from shop.public.orders o where o.customer_id = c.id) order by c.id",
            "select c.id, c.name from public.customers c where not exists"
            + " (select 1 from public.orders o where o.customer_id = c.id) order by c.id"),
        Arguments.of("select kind, count(*) as n, sum(amount) as s from shop.public.events"
            + " group by kind order by kind",
            "select kind, count(*) as n, sum(amount) as s from public.events group by kind order by kind"),
        Arguments.of("select id, name, case when credit_limit > 5000 then 'high' else 'low' end as band"
            + " from shop.public.customers where name like '%a%' order by id limit 20 offset 5",
            "select id, name, case when credit_limit > 5000 then 'high' else 'low' end as band"
            + " from public.customers where name like '%a%' order by id limit 20 offset 5"),
        Arguments.of("select customer_id, total, rank() over (partition by customer_id order by total desc) as r"
            + " from shop.public.orders order by customer_id, r, total",
            "select customer_id, total, rank() over (partition by customer_id order by total desc) as r"
            + " from public.orders order by customer_id, r, total"));
  }

  static Stream<Arguments> mariadb() {
    return Stream.of(
        Arguments.of("select * from crm.crm.type_samples where id not in (2, 3) order by id",
            "select * from crm.type_samples where id not in (2, 3) order by id"),
        Arguments.of("select * from crm.crm.accounts order by id", "select * from crm.accounts order by id"),
        Arguments.of("select tier, count(*) as n, sum(annual_revenue) as r, avg(annual_revenue) as a,"
            + " avg(employees) as e from crm.crm.accounts group by tier order by tier",
            "select tier, count(*) as n, sum(annual_revenue) as r, avg(annual_revenue) as a,"
            + " avg(employees) as e from crm.accounts group by tier order by tier"),
        Arguments.of("select a.name, count(i.id) as n from crm.crm.accounts a left join crm.crm.interactions i"
            + " on i.account_id = a.id group by a.name order by n desc, a.name",
            "select a.name, count(i.id) as n from crm.accounts a left join crm.interactions i"
            + " on i.account_id = a.id group by a.name order by n desc, a.name"),
        Arguments.of("select c.account_id, a.name from crm.crm_archive.closed_accounts c"
            + " join crm.crm.accounts a on a.id = c.account_id order by c.account_id",
            "select c.account_id, a.name from crm_archive.closed_accounts c"
            + " join crm.accounts a on a.id = c.account_id order by c.account_id"),
        Arguments.of("select account_id, count(*) as n, max(viewed_at) as last_seen from crm.crm.page_views"
            + " where not is_bot group by account_id order by account_id",
            "select account_id, count(*) as n, max(viewed_at) as last_seen from crm.page_views"
            + " where not is_bot group by account_id order by account_id"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("postgres")
  void postgresResultsEqualDirectExecution(String viaEngine, String viaSource) throws Exception {
    List<List<Object>> expected = direct(PG.readerConnection(), viaSource);
    assertFalse(expected.isEmpty(), "the case must read data");
    TwoSources.assertRows(expected, engine(viaEngine));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("mariadb")
  void mariadbResultsEqualDirectExecution(String viaEngine, String viaSource) throws Exception {
    List<List<Object>> expected = direct(MARIADB.readerConnection(), viaSource);
    assertFalse(expected.isEmpty(), "the case must read data");
    TwoSources.assertRows(expected, engine(viaEngine));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("mariadb")
  void mariadbQueriesRunAsOneStatement(String viaEngine, String viaSource) {
    TwoSources.SENT.clear();
    engine(viaEngine);
    List<SourceStatement> sent = List.copyOf(TwoSources.SENT);
    assertEquals(1, sent.size(), () -> "pushed down as one statement: " + sent);
    assertEquals("crm", sent.get(0).sourceId());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("postgres")
  void postgresQueriesRunAsOneStatement(String viaEngine, String viaSource) {
    TwoSources.SENT.clear();
    engine(viaEngine);
    List<SourceStatement> sent = List.copyOf(TwoSources.SENT);
    assertTrue(sent.stream().allMatch(s -> s.sourceId().equals("shop")), sent::toString);
    assertTrue(sent.size() >= 1);
    if (!viaEngine.contains("not exists")) {
      assertEquals(1, sent.size(), () -> "pushed down as one statement: " + sent);
    }
  }
}
