package io.gatehouse.adapter.snowflake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.adapter.snowflake.fake.FakeSnowflake;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.QueryResult;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.testing.Values;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden tests of the Snowflake SQL that Gatehouse generates for a common query set, each checked
 * for full pushdown: the FAKE Snowflake (the real driver's peer in these tests, executing what it
 * receives over H2) receives exactly one statement, equal to the golden text, and its result equals
 * that of a hand-written Snowflake query run directly. A change in generated SQL shows up here as a
 * diff to review, a statement the fake cannot run as a failure.
 */
class SnowflakeGoldenSqlTest {
  private static FakeSnowflakeFixture fixture;
  private static FakeSnowflake fake;
  private static Gatehouse gh;

  @BeforeAll
  static void start() throws Exception {
    fixture = new FakeSnowflakeFixture();
    fake = fixture.fake;
    try (Connection c = fixture.adminConnection(); Statement s = c.createStatement()) {
      s.execute("create schema shop");
      s.execute("create table shop.customers (id number(9,0) primary key, name varchar(40) not null,"
          + " country varchar(20), signed_up date)");
      s.execute("create table shop.orders (id number(9,0) primary key, customer_id number(9,0),"
          + " total number(12,2), status varchar(10), ordered_at timestamp_ntz)");
      s.execute("insert into shop.customers values (1, 'Ana', 'PT', '2023-01-15'),"
          + " (2, 'Bruno', 'PT', '2023-06-01'), (3, 'Chloe', 'FR', '2024-02-29'),"
          + " (4, 'Akira', 'JP', null), (5, 'Alex', null, '2024-01-01')");
      s.execute("insert into shop.orders values"
          + " (1, 1, 120.50, 'paid', '2024-01-05 10:00:00'), (2, 1, 30.00, 'paid', '2024-02-10 09:30:00'),"
          + " (3, 2, 99.99, 'open', '2024-02-11 18:45:10'), (4, 3, 250.00, 'paid', '2024-03-01 00:00:00'),"
          + " (5, 3, 15.25, 'void', '2024-03-02 12:00:00'), (6, 4, 75.00, 'open', '2024-02-28 23:59:59'),"
          + " (7, 5, 310.10, 'paid', '2024-01-31 08:15:00')");
    }
    Map<String, Object> source = new LinkedHashMap<>(fixture.source(FakeSnowflakeFixture.READER,
        fixture.readerPassword));
    source.put("id", "sf");
    source.put("schemas", List.of("shop"));
    Map<String, Object> root = new HashMap<>();
    root.put("sources", List.of(source));
    root.put("engine", Map.of("maxRows", 1000));
    gh = Gatehouse.open(ConfigLoader.withDiscoveredAdapters().fromMap(root));
    gh.query("select 1 from sf.shop.orders").close(); // reads the catalog before the statements count
  }

  @AfterAll
  static void stop() {
    if (gh != null) {
      gh.close();
    }
    fixture.close();
  }

  /** Name, Gatehouse SQL, golden Snowflake SQL, the same question asked directly in Snowflake SQL. */
  static Stream<Arguments> queries() {
    return Stream.of(
        Arguments.of("filter",
            "select id, name from sf.shop.customers where country = 'PT' and id > 1",
            "SELECT \"ID\" AS \"id\", \"NAME\" AS \"name\"" + "\n"
                + "FROM \"SHOP\".\"CUSTOMERS\"" + "\n"
                + "WHERE \"COUNTRY\" = 'PT' AND \"ID\" > 1" + "\n"
                + "LIMIT 1001",
            "select id, name from shop.customers where country = 'PT' and id > 1"),
        Arguments.of("aggregate",
            "select status, count(*) as n, sum(total) as s, avg(total) as a from sf.shop.orders"
                + " group by status having count(*) > 1 order by status",
            "SELECT \"STATUS\" AS \"status\", COUNT(*) AS \"n\", SUM(\"TOTAL\") AS \"s\", AVG(\"TOTAL\") AS \"a\"\n"
                + "FROM \"SHOP\".\"ORDERS\"\n"
                + "GROUP BY \"STATUS\"\n"
                + "HAVING COUNT(*) > 1\n"
                + "ORDER BY \"STATUS\"\n"
                + "LIMIT 1001",
            "select status, count(*), sum(total), avg(total) from shop.orders group by status"
                + " having count(*) > 1 order by status"),
        Arguments.of("join",
            "select c.name, sum(o.total) as spent from sf.shop.customers c join sf.shop.orders o"
                + " on o.customer_id = c.id where o.status <> 'void' group by c.name order by spent desc",
            "SELECT \"CUSTOMERS\".\"NAME\" AS \"name\", SUM(\"ORDERS\".\"TOTAL\") AS \"spent\"\n"
                + "FROM \"SHOP\".\"CUSTOMERS\"\n"
                + "INNER JOIN \"SHOP\".\"ORDERS\" ON \"CUSTOMERS\".\"ID\" = \"ORDERS\".\"CUSTOMER_ID\"\n"
                + "WHERE \"ORDERS\".\"STATUS\" <> 'void'\n"
                + "GROUP BY \"CUSTOMERS\".\"NAME\"\n"
                + "ORDER BY 2 DESC\n"
                + "LIMIT 1001",
            "select c.name, sum(o.total) as spent from shop.customers c join shop.orders o"
                + " on o.customer_id = c.id where o.status <> 'void' group by c.name order by spent desc"),
        Arguments.of("top-n",
            "select id, total from sf.shop.orders order by total desc, id limit 3",
            "SELECT \"ID\" AS \"id\", \"TOTAL\" AS \"total\"" + "\n"
                + "FROM \"SHOP\".\"ORDERS\"" + "\n"
                + "ORDER BY \"TOTAL\" DESC, \"ID\"" + "\n"
                + "LIMIT 3",
            "select id, total from shop.orders order by total desc, id limit 3"),
        Arguments.of("dates",
            "select id, extract(month from ordered_at) as m from sf.shop.orders"
                + " where ordered_at >= timestamp '2024-02-01 00:00:00'"
                + " and cast(ordered_at as date) < date '2024-03-01' order by id",
            "SELECT \"ID\" AS \"id\", EXTRACT(MONTH FROM \"ORDERED_AT\") AS \"m\"" + "\n"
                + "FROM \"SHOP\".\"ORDERS\"" + "\n"
                + "WHERE \"ORDERED_AT\" >= TIMESTAMP '2024-02-01 00:00:00.000000' AND CAST(\"ORDERED_AT\" AS DATE) < DATE '2024-03-01'" + "\n"
                + "ORDER BY \"ID\"" + "\n"
                + "LIMIT 1001",
            "select id, extract(month from ordered_at) from shop.orders"
                + " where ordered_at >= '2024-02-01 00:00:00' and ordered_at < '2024-03-01' order by id"),
        Arguments.of("like",
            "select name from sf.shop.customers where name like 'A%' and name not like '%x' order by name",
            "SELECT \"NAME\" AS \"name\"\n"
                + "FROM \"SHOP\".\"CUSTOMERS\"\n"
                + "WHERE \"NAME\" LIKE 'A%' AND \"NAME\" NOT LIKE '%x'\n"
                + "ORDER BY \"NAME\"\n"
                + "LIMIT 1001",
            "select name from shop.customers where name like 'A%' and name not like '%x' order by name"),
        Arguments.of("case",
            "select id, case when total >= 100 then 'large' when total >= 50 then 'medium'"
                + " else 'small' end as size from sf.shop.orders order by id",
            "SELECT \"ID\" AS \"id\", CASE WHEN \"TOTAL\" >= 100.00 THEN 'large' WHEN \"TOTAL\" >= 50.00 THEN 'medium' ELSE 'small' END AS \"size\"" + "\n"
                + "FROM \"SHOP\".\"ORDERS\"" + "\n"
                + "ORDER BY \"ID\"" + "\n"
                + "LIMIT 1001",
            "select id, case when total >= 100 then 'large' when total >= 50 then 'medium'"
                + " else 'small' end from shop.orders order by id"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("queries")
  void pushedDownWhole(String name, String sql, String golden, String direct) throws SQLException {
    fake.clearRecords();
    List<List<Object>> rows = new ArrayList<>();
    boolean pushed;
    try (QueryResult r = gh.query(sql)) {
      pushed = r.pushedDown();
      while (r.next()) {
        List<Object> row = new ArrayList<>();
        for (Object v : r.row()) {
          row.add(Values.normalize(v));
        }
        rows.add(row);
      }
    }
    List<FakeSnowflake.Received> sent = fake.executed();
    assertEquals(1, sent.size(), () -> "one statement at the source: " + sent);
    assertTrue(pushed, "the whole query runs in Snowflake");
    assertEquals(golden, sent.get(0).sql());
    assertFalse(rows.isEmpty(), "the query must return data");
    assertEquals(direct(direct), rows);
  }

  private static List<List<Object>> direct(String sql) throws SQLException {
    List<List<Object>> out = new ArrayList<>();
    try (Connection c = fixture.adminConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(Values.normalize(Values.read(rs, i)));
        }
        out.add(row);
      }
    }
    return out;
  }
}
