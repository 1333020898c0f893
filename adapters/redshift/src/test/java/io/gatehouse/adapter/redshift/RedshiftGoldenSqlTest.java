package io.gatehouse.adapter.redshift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.adapter.postgresql.testing.PostgresFixture;
import io.gatehouse.adapter.redshift.testing.RedshiftTestServer;
import io.gatehouse.adapter.redshift.testing.StartupRewritingProxy;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.QueryResult;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.exec.SourceStatement;
import io.gatehouse.core.testing.Values;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden tests of the SQL Gatehouse generates for Redshift, for a common set of queries (filters,
 * aggregates, joins, top-N, dates, LIKE, CASE). Each query must be pushed down whole: the engine
 * sends one statement, it is exactly the golden text (Calcite's Redshift dialect: LIMIT, no
 * FETCH NEXT, lower-case-folding identifiers quoted), the source receives exactly that one query
 * (counted at the wire by the proxy), and the result equals PostgreSQL's own answer to the client's
 * query. A change in the dialect or the planner shows up here as a diff to review.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedshiftGoldenSqlTest {
  private static final String SCHEMA = "rsgolden";

  private final RedshiftTestServer server = RedshiftTestServer.get();
  private final PostgresFixture pg = server.postgres();
  private final List<SourceStatement> sent = new CopyOnWriteArrayList<>();
  private Gatehouse engine;

  @BeforeAll
  void createData() throws Exception {
    try (Connection c = pg.adminConnection(); Statement s = c.createStatement()) {
      s.execute("drop schema if exists " + SCHEMA + " cascade");
      s.execute("create schema " + SCHEMA);
      s.execute("create table rsgolden.customers(id int primary key, name varchar(40) not null,"
          + " country varchar(20))");
      s.execute("create table rsgolden.orders(id int primary key, customer_id int"
          + " references rsgolden.customers(id), status varchar(20), amount decimal(12,2),"
          + " ordered_at timestamp, ship_date date)");
      s.execute("insert into rsgolden.customers values (1, 'Ana', 'PT'), (2, 'Bob', 'US'),"
          + " (3, 'Alvaro', 'ES'), (4, 'Zoe', 'PT'), (5, 'Aziz', null)");
      s.execute("insert into rsgolden.orders select i, i % 5 + 1,"
          + " (array['paid', 'open', 'void'])[i % 3 + 1], (i * 37 % 900) + 0.5,"
          + " timestamp '2024-02-20 08:00:00' + i * interval '7 hours',"
          + " date '2024-02-25' + (i % 40) from generate_series(1, 60) i");
      s.execute("grant usage on schema " + SCHEMA + " to " + pg.readerUser());
      s.execute("grant select on all tables in schema " + SCHEMA + " to " + pg.readerUser());
    }
    Map<String, Object> source = new java.util.HashMap<>(server.sourceEntry(pg.readerUser(),
        pg.readerPassword()));
    source.put("id", "src");
    source.put("schemas", List.of(SCHEMA));
    engine = Gatehouse.open(ConfigLoader.withDiscoveredAdapters().fromMap(
        Map.of("sources", List.of(source))));
    engine.addStatementListener(sent::add);
    // Read the catalog now, so that a test sees only its own query at the wire.
    engine.query("select count(*) from src.rsgolden.customers").close();
  }

  @AfterAll
  void close() {
    if (engine != null) {
      engine.close();
    }
  }

  static Stream<Arguments> queries() {
    return Stream.of(
        Arguments.of("filter",
            "select id, amount from src.rsgolden.orders where status = 'paid' and amount > 100",
            "SELECT \"id\", \"amount\"\nFROM \"rsgolden\".\"orders\"\n"
                + "WHERE \"status\" = 'paid' AND \"amount\" > 100.00\nLIMIT 10001", null),
        Arguments.of("aggregate",
            "select status, count(*) as n, sum(amount) as total, avg(amount) as mean,"
                + " min(ordered_at) as first_at from src.rsgolden.orders group by status",
            "SELECT \"status\", COUNT(*) AS \"n\", SUM(\"amount\") AS \"total\","
                + " AVG(\"amount\") AS \"mean\", MIN(\"ordered_at\") AS \"first_at\"\n"
                + "FROM \"rsgolden\".\"orders\"\nGROUP BY \"status\"\nLIMIT 10001", null),
        Arguments.of("join",
            "select c.name, sum(o.amount) as total from src.rsgolden.orders o"
                + " join src.rsgolden.customers c on o.customer_id = c.id"
                + " where c.country = 'PT' group by c.name",
            "SELECT \"customers\".\"name\", SUM(\"orders\".\"amount\") AS \"total\"\n"
                + "FROM \"rsgolden\".\"orders\"\n"
                + "INNER JOIN \"rsgolden\".\"customers\" ON \"orders\".\"customer_id\" = \"customers\".\"id\"\n"
                + "WHERE \"customers\".\"country\" = 'PT'\n"
                + "GROUP BY \"customers\".\"name\"\n"
                + "LIMIT 10001", null),
        Arguments.of("topN",
            "select id, amount from src.rsgolden.orders order by amount desc, id limit 5",
            "SELECT \"id\", \"amount\"\n"
                + "FROM \"rsgolden\".\"orders\"\n"
                + "ORDER BY \"amount\" DESC, \"id\"\n"
                + "LIMIT 5", null),
        Arguments.of("offset",
            "select id from src.rsgolden.orders order by id limit 3 offset 2",
            "SELECT \"id\"\n"
                + "FROM \"rsgolden\".\"orders\"\n"
                + "ORDER BY \"id\"\n"
                + "LIMIT 3\n"
                + "OFFSET 2", null),
        Arguments.of("dates",
            "select id, extract(year from ordered_at) as y, cast(ordered_at as date) as d"
                + " from src.rsgolden.orders where ship_date between date '2024-03-01'"
                + " and date '2024-03-10' and ordered_at < timestamp '2024-03-05 00:00:00'",
            "SELECT \"id\", EXTRACT(YEAR FROM \"ordered_at\") AS \"y\", CAST(\"ordered_at\" AS DATE) AS \"d\"\n"
                + "FROM \"rsgolden\".\"orders\"\n"
                + "WHERE \"ship_date\" >= DATE '2024-03-01' AND \"ship_date\" <= DATE '2024-03-10' AND \"ordered_at\" < TIMESTAMP '2024-03-05 00:00:00.000000'\n"
                + "LIMIT 10001", null),
        Arguments.of("dateArithmetic",
            "select id, ship_date + interval '3' day as due from src.rsgolden.orders"
                + " where ordered_at >= timestamp '2024-03-01 00:00:00' - interval '1' day",
            "SELECT \"id\", (\"ship_date\" + INTERVAL '3' DAY) AS \"due\"\n"
                + "FROM \"rsgolden\".\"orders\"\n"
                + "WHERE \"ordered_at\" >= TIMESTAMP '2024-02-29 00:00:00.000000'\n"
                + "LIMIT 10001",
            // SQL's DATE + INTERVAL is a DATE; PostgreSQL's is a timestamp, so compare with date + 3
            "select id, ship_date + 3 as due from rsgolden.orders"
                + " where ordered_at >= timestamp '2024-02-29 00:00:00'"),
        Arguments.of("like",
            "select name from src.rsgolden.customers where name like 'A%' and name not like '%z%'",
            "SELECT \"name\"\n"
                + "FROM \"rsgolden\".\"customers\"\n"
                + "WHERE \"name\" LIKE 'A%' AND \"name\" NOT LIKE '%z%'\n"
                + "LIMIT 10001", null),
        Arguments.of("case",
            "select id, case when amount >= 500 then 'big' when amount >= 100 then 'mid'"
                + " else 'small' end as size from src.rsgolden.orders where id <= 10",
            "SELECT \"id\", CASE WHEN \"amount\" >= 500.00 THEN 'big' WHEN \"amount\" >= 100.00 THEN 'mid' ELSE 'small' END AS \"size\"\n"
                + "FROM \"rsgolden\".\"orders\"\n"
                + "WHERE \"id\" <= 10\n"
                + "LIMIT 10001", null),
        Arguments.of("countDistinctHaving",
            "select country, count(distinct id) as n from src.rsgolden.customers"
                + " group by country having count(*) > 1",
            "SELECT \"country\", COUNT(DISTINCT \"id\") AS \"n\"\n"
                + "FROM \"rsgolden\".\"customers\"\n"
                + "GROUP BY \"country\"\n"
                + "HAVING COUNT(*) > 1\n"
                + "LIMIT 10001", null),
        Arguments.of("rank",
            "select id, rank() over (partition by status order by amount desc) as r"
                + " from src.rsgolden.orders",
            "SELECT \"id\", RANK() OVER (PARTITION BY \"status\" ORDER BY \"amount\" DESC) AS \"r\"\n"
                + "FROM \"rsgolden\".\"orders\"\n"
                + "LIMIT 10001", null),
        Arguments.of("isNullAndIn",
            "select id from src.rsgolden.customers where country is null or country in ('ES', 'US')",
            "SELECT \"id\"\n"
                + "FROM \"rsgolden\".\"customers\"\n"
                + "WHERE \"country\" IS NULL OR \"country\" IN ('ES', 'US')\n"
                + "LIMIT 10001", null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("queries")
  void pushedDownAsTheGoldenSql(String name, String query, String golden, String directSql)
      throws Exception {
    StartupRewritingProxy proxy = server.plain();
    sent.clear();
    proxy.clearStatements();
    List<List<Object>> actual = new ArrayList<>();
    try (QueryResult r = engine.query(query)) {
      assertTrue(r.pushedDown(), "the whole query runs in Redshift");
      while (r.next()) {
        List<Object> row = new ArrayList<>();
        for (Object v : r.row()) {
          row.add(Values.normalize(v));
        }
        actual.add(row);
      }
    }
    assertEquals(1, sent.size(), () -> "one statement for " + name + ": " + sent);
    String sql = sent.get(0).sql();
    assertEquals(golden, sql, () -> "golden SQL of " + name + ", actual:\n" + sql);
    assertEquals(List.of(sql), proxy.queries(), "what the source received at the wire");
    List<List<Object>> expected = direct(directSql != null ? directSql
        : query.replace("src.rsgolden.", "rsgolden."));
    assertFalse(expected.isEmpty(), "the query must read data");
    Comparator<List<Object>> byText = Comparator.comparing(Object::toString);
    if (!query.contains("order by")) {
      expected.sort(byText);
      actual.sort(byText);
    }
    assertEquals(expected, actual, "Gatehouse's answer equals PostgreSQL's own");
  }

  private List<List<Object>> direct(String sql) throws Exception {
    List<List<Object>> out = new ArrayList<>();
    try (Connection c = pg.adminConnection(); Statement s = c.createStatement();
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
