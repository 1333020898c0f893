package io.gatehouse.adapter.bigquery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.adapter.bigquery.fake.FakeBigQuery;
import io.gatehouse.adapter.bigquery.testing.FakeBigQueryFixture;
import io.gatehouse.adapter.bigquery.testing.ShopDataset;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.QueryResult;
import io.gatehouse.core.testing.Values;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden tests of the GoogleSQL Gatehouse sends BigQuery for a common set of queries (filters,
 * aggregates, joins, top-N, dates, LIKE, CASE), against the <b>fake</b> BigQuery: each query must
 * reach it as exactly one query job (full pushdown, preceded by one dry run of the same SQL), its
 * SQL must equal the golden text (datasets qualified with the hyphenated project), and the rows
 * the fake computes from that SQL must equal the same question asked of the fixture database
 * directly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BigQueryGoldenSqlTest {
  private static final String P = "`" + FakeBigQueryFixture.PROJECT + "`";
  private final FakeBigQuery fake = FakeBigQueryFixture.fake();
  private Gatehouse engine;

  @BeforeAll
  void open() throws Exception {
    ShopDataset.load(fake);
    engine = FakeBigQueryFixture.openEngine(List.of("shop"), Map.of());
  }

  @AfterAll
  void close() {
    engine.close();
  }

  static Stream<Arguments> queries() {
    return Stream.of(
        Arguments.of("filter and projection",
            "select id, name from bq.shop.customers where country = 'PT' and id > 3",
            "select id, name from shop.customers where country = 'PT' and id > 3",
            "SELECT id, name FROM " + P + ".shop.customers WHERE country = 'PT' AND id > 3 LIMIT 10001"),
        Arguments.of("aggregate with having",
            "select status, count(*) as n, sum(total) as s, avg(total) as a from bq.shop.orders"
                + " group by status having count(*) > 10",
            "select status, count(*) as n, sum(total) as s, avg(total) as a from shop.orders"
                + " group by status having count(*) > 10",
            "SELECT status, COUNT(*) AS n, SUM(total) AS s, AVG(total) AS a FROM " + P
                + ".shop.orders GROUP BY status HAVING n > 10 LIMIT 10001"),
        Arguments.of("join",
            "select c.name, o.total from bq.shop.customers c join bq.shop.orders o"
                + " on o.customer_id = c.id where o.status = 'paid' and c.country = 'NO'",
            "select c.name, o.total from shop.customers c join shop.orders o"
                + " on o.customer_id = c.id where o.status = 'paid' and c.country = 'NO'",
            "SELECT customers.name, orders.total FROM " + P + ".shop.customers INNER JOIN " + P
                + ".shop.orders ON customers.id = orders.customer_id WHERE orders.status = 'paid'"
                + " AND customers.country = 'NO' LIMIT 10001"),
        Arguments.of("top-N",
            "select id, total from bq.shop.orders order by total desc, id limit 5",
            "select id, total from shop.orders order by total desc, id limit 5",
            "SELECT id, total FROM " + P + ".shop.orders ORDER BY total DESC NULLS FIRST, "
                + "id NULLS LAST LIMIT 5"),
        Arguments.of("dates",
            "select id from bq.shop.orders where ordered_at >= timestamp '2024-02-01 00:00:00'"
                + " and ordered_at < timestamp '2024-02-03 00:00:00'",
            "select id from shop.orders where ordered_at >= timestamp '2024-02-01 00:00:00'"
                + " and ordered_at < timestamp '2024-02-03 00:00:00'",
            "SELECT id FROM " + P + ".shop.orders WHERE ordered_at >= DATETIME '2024-02-01 "
                + "00:00:00.000' AND ordered_at < DATETIME '2024-02-03 00:00:00.000' LIMIT 10001"),
        Arguments.of("date literal and extract",
            "select extract(year from signup) as y, count(*) as n from bq.shop.customers"
                + " where signup between date '2023-03-01' and date '2023-09-30' group by extract(year from signup)",
            "select extract(year from signup) as y, count(*) as n from shop.customers"
                + " where signup between date '2023-03-01' and date '2023-09-30' group by extract(year from signup)",
            "SELECT EXTRACT(YEAR FROM signup) AS y, COUNT(*) AS n FROM " + P
                + ".shop.customers WHERE signup >= DATE '2023-03-01' AND signup <= DATE "
                + "'2023-09-30' GROUP BY EXTRACT(YEAR FROM signup) LIMIT 10001"),
        Arguments.of("like",
            "select id from bq.shop.customers where name like 'customer 1%'",
            "select id from shop.customers where name like 'customer 1%'",
            "SELECT id FROM " + P + ".shop.customers WHERE name LIKE 'customer 1%' LIMIT "
                + "10001"),
        Arguments.of("case",
            "select id, case when total > 500 then 'big' when total > 100 then 'medium' else 'small' end"
                + " as size from bq.shop.orders where id <= 10",
            "select id, case when total > 500 then 'big' when total > 100 then 'medium' else 'small' end"
                + " as size from shop.orders where id <= 10",
            "SELECT id, CASE WHEN total > 500.00 THEN 'big' WHEN total > 100.00 THEN "
                + "'medium' ELSE 'small' END AS size FROM " + P + ".shop.orders WHERE id <= 10 "
                + "LIMIT 10001"),
        Arguments.of("null handling and count distinct",
            "select count(distinct country) as c, count(*) as n from bq.shop.customers where country is not null",
            "select count(distinct country) as c, count(*) as n from shop.customers where country is not null",
            "SELECT COUNT(DISTINCT country) AS c, COUNT(*) AS n FROM " + P
                + ".shop.customers WHERE country IS NOT NULL LIMIT 10001"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("queries")
  void sqlSentIsGoldenAndRunsAsOneJob(String name, String query, String direct, String golden)
      throws Exception {
    fake.clearLog();
    List<List<Object>> rows = new ArrayList<>();
    try (QueryResult r = engine.query(query)) {
      assertTrue(r.pushedDown(), "the whole query runs in BigQuery");
      while (r.next()) {
        List<Object> row = new ArrayList<>();
        for (Object v : r.row()) {
          row.add(Values.normalize(v));
        }
        rows.add(row);
      }
    }
    List<String> sent = fake.queries();
    assertEquals(1, sent.size(), () -> "one query job: " + sent);
    assertEquals(sent, fake.dryRuns(), "a dry run of the same SQL before the job");
    assertEquals(golden, sent.get(0).replace("\n", " "));
    List<List<Object>> expected = direct(direct);
    assertFalse(expected.isEmpty(), "the comparison must read data");
    assertEquals(sorted(expected), sorted(rows));
  }

  private List<List<Object>> direct(String sql) throws Exception {
    List<List<Object>> out = new ArrayList<>();
    try (Connection c = fake.adminConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(Values.normalize(rs.getObject(i)));
        }
        out.add(row);
      }
    }
    return out;
  }

  private static List<String> sorted(List<List<Object>> rows) {
    return rows.stream().map(String::valueOf).sorted().toList();
  }
}
