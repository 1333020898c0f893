package io.gatehouse.sqltests;

import static io.gatehouse.sqltests.TwoSources.MARIADB;
import static io.gatehouse.sqltests.TwoSources.PG;
import static io.gatehouse.sqltests.TwoSources.direct;
import static io.gatehouse.sqltests.TwoSources.engine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.QueryOptions;
import io.gatehouse.core.QueryResult;
import io.gatehouse.core.exec.SourceStatement;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Joins of a PostgreSQL table with a MariaDB table. The engine joins; each source receives one
 * statement with its own filter pushed into it. The expected result is computed here from direct
 * reads of both sides, joined in plain Java.
 */
class CrossSourceJoinTest {

  @Test
  void customersJoinAccountsAcrossSources() throws Exception {
    Map<Object, List<Object>> customers = new HashMap<>();
    for (List<Object> c : direct(PG.readerConnection(),
        "select id, name, country from public.customers where country <> 'US'")) {
      customers.put(c.get(0), c);
    }
    List<List<Object>> expected = new ArrayList<>();
    for (List<Object> a : direct(MARIADB.readerConnection(),
        "select customer_id, name, tier from crm.accounts where is_active")) {
      List<Object> c = customers.get(a.get(0));
      if (c != null) {
        expected.add(List.of(c.get(0), c.get(1), a.get(1), a.get(2)));
      }
    }
    expected.sort(Comparator.comparing((List<Object> r) -> (Long) r.get(0))
        .thenComparing(r -> (String) r.get(2)));
    assertFalse(expected.isEmpty(), "the fixture has matching rows");

    TwoSources.SENT.clear();
    List<List<Object>> actual = engine("select c.id, c.name, a.name as account, a.tier"
        + " from shop.public.customers c join crm.crm.accounts a on a.customer_id = c.id"
        + " where c.country <> 'US' and a.is_active order by c.id, account");
    TwoSources.assertRows(expected, actual);

    List<SourceStatement> sent = List.copyOf(TwoSources.SENT);
    assertEquals(2, sent.size(), sent::toString);
    SourceStatement shop = sent.stream().filter(s -> s.sourceId().equals("shop")).findFirst().orElseThrow();
    SourceStatement crm = sent.stream().filter(s -> s.sourceId().equals("crm")).findFirst().orElseThrow();
    assertTrue(shop.sql().contains("'US'"), () -> "the filter on customers runs in PostgreSQL: " + shop.sql());
    assertTrue(crm.sql().toLowerCase(Locale.ROOT).contains("is_active"),
        () -> "the filter on accounts runs in MariaDB: " + crm.sql());
  }

  @Test
  void aggregateOverACrossSourceJoin() throws Exception {
    Map<Object, Object> countryOf = new HashMap<>();
    for (List<Object> c : direct(PG.readerConnection(), "select id, country from public.customers")) {
      countryOf.put(c.get(0), c.get(1));
    }
    Map<Object, BigDecimal> revenueByCountry = new HashMap<>();
    for (List<Object> a : direct(MARIADB.readerConnection(),
        "select customer_id, annual_revenue from crm.accounts where annual_revenue is not null")) {
      Object country = countryOf.get(a.get(0));
      if (country != null) {
        revenueByCountry.merge(country, new BigDecimal(a.get(1).toString()), BigDecimal::add);
      }
    }
    List<List<Object>> actual = engine("select c.country, sum(a.annual_revenue) as revenue"
        + " from shop.public.customers c join crm.crm.accounts a on a.customer_id = c.id"
        + " where a.annual_revenue is not null group by c.country");
    assertEquals(revenueByCountry.size(), actual.size());
    for (List<Object> row : actual) {
      assertEquals(0, revenueByCountry.get(row.get(0)).compareTo(new BigDecimal(row.get(1).toString())),
          () -> "revenue of " + row.get(0));
    }
  }

  @Test
  void rowCapHoldsAboveACrossSourceJoin() {
    try (QueryResult r = TwoSources.ENGINE.query("select c.id, a.id from shop.public.customers c"
        + " join crm.crm.accounts a on a.customer_id = c.id", List.of(),
        QueryOptions.defaults().withMaxRows(10))) {
      int n = 0;
      while (r.next()) {
        n++;
      }
      assertEquals(10, n);
      assertTrue(r.truncated(), "80 matching pairs exist");
      assertFalse(r.pushedDown());
    }
  }

  /**
   * Each source sorts text by its own collation (MariaDB's is case-insensitive), so the engine may
   * not merge two source-sorted sides on a text key; it once returned 3 of these 13 matches.
   */
  @Test
  void aJoinOnTextKeysFindsEveryMatchWhateverOrderTheSourcesSortIn() throws Exception {
    EngineWorkTables.load();
    java.util.Map<String, Object> pg = new HashMap<>(TwoSources.postgresSource("pg", "public"));
    pg.put("database", "membudget");
    try (io.gatehouse.core.Gatehouse gh = io.gatehouse.core.Gatehouse.open(
        io.gatehouse.core.config.ConfigLoader.withDiscoveredAdapters().fromMap(Map.of("sources",
            List.of(pg, TwoSources.mariadbSource("my", "membudget")))))) {
      for (String sql : List.of(
          "select a.name from pg.public.names a join my.membudget.names b on a.name = b.name",
          "select a.name from pg.public.names a join my.membudget.names b on a.name = b.name"
              + " order by a.name",
          "select b.name, count(*) from my.membudget.names b join pg.public.names a"
              + " on a.name = b.name group by b.name order by b.name desc")) {
        List<Object[]> rows = gh.query(sql).toList();
        assertEquals(EngineWorkTables.NAME_COUNT, rows.size(), sql);
      }
      String sorted = gh.query("select name from (select name from pg.public.names union all"
          + " select name from my.membudget.names) t group by name order by name").toList().stream()
          .map(r -> (String) r[0]).reduce((x, y) -> x + "," + y).orElseThrow();
      assertEquals("10,9,B2,Banana,Date,Zulu,_under,aardvark,apple,b1,cherry,zeta,Äpfel", sorted,
          "texts the engine sorts itself are in Java's order, each group once");
    }
  }

  /**
   * An aggregate over a cross-source join is split: each source sums its side by the join key
   * (60,000 PostgreSQL rows become 100), the engine joins the partial sums and finishes. (Not on
   * text keys: see PartialAggregateRule.)
   */
  @Test
  void partialAggregatesArePushedIntoTheSourcesBeforeTheJoin() throws Exception {
    EngineWorkTables.load();
    Map<Integer, BigDecimal> expected = new java.util.TreeMap<>();
    for (int g = 1; g <= EngineWorkTables.ROWS; g++) {
      if (g % 100 != 0) {
        expected.merge(g % 100, BigDecimal.valueOf(g % 1000).movePointLeft(1), BigDecimal::add);
      }
    }
    java.util.Map<String, Object> pg = new HashMap<>(TwoSources.postgresSource("pg", "public"));
    pg.put("database", "membudget");
    try (io.gatehouse.core.Gatehouse gh = io.gatehouse.core.Gatehouse.open(
        io.gatehouse.core.config.ConfigLoader.withDiscoveredAdapters().fromMap(Map.of("sources",
            List.of(pg, TwoSources.mariadbSource("my", "membudget")))))) {
      List<SourceStatement> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
      gh.addStatementListener(sent::add);
      Map<Integer, BigDecimal> actual = new java.util.TreeMap<>();
      for (Object[] r : gh.query("select m.id, sum(p.amount) from pg.public.items p"
          + " join my.membudget.tags m on m.id = mod(p.id, 100) group by m.id").toList()) {
        actual.put(((Number) r[0]).intValue(), (BigDecimal) r[1]);
      }
      assertEquals(expected.size(), actual.size());
      expected.forEach((k, v) -> assertEquals(0, v.compareTo(actual.get(k)), k));
      SourceStatement atPg = sent.stream().filter(x -> x.sourceId().equals("pg")).findFirst()
          .orElseThrow();
      assertTrue(atPg.sql().toUpperCase(Locale.ROOT).contains("GROUP BY"),
          () -> "PostgreSQL sums its side: " + atPg.sql());
    }
  }

  /**
   * A join key repeated inside every branch of an OR (TPC-H Q19's form) is pulled out, so the join
   * is hashed or looked up instead of comparing every pair of rows in a nested loop.
   */
  @Test
  void aJoinKeyInsideEveryOrBranchStillJoinsByKey() throws Exception {
    EngineWorkTables.load();
    java.util.Map<String, Object> pg = new HashMap<>(TwoSources.postgresSource("pg", "public"));
    pg.put("database", "membudget");
    try (io.gatehouse.core.Gatehouse gh = io.gatehouse.core.Gatehouse.open(
        io.gatehouse.core.config.ConfigLoader.withDiscoveredAdapters().fromMap(Map.of("sources",
            List.of(pg, TwoSources.mariadbSource("my", "membudget")))))) {
      String sql = "select count(*) from pg.public.items p, my.membudget.tags m"
          + " where (p.id = m.id and p.id < 100) or (p.id = m.id and m.id > 59950)";
      assertEquals(149L, ((Number) gh.query(sql).toList().get(0)[0]).longValue());
      // Q19's shape: a sum without GROUP BY over such a join, with other conditions in the branches
      Object[] sum = gh.query("select sum(p.amount), count(*) from pg.public.items p,"
          + " my.membudget.tags m where (p.id = m.id and p.id < 100 and m.tag like 'item%')"
          + " or (p.id = m.id and m.id > 59950 and p.amount > 0)").toList().get(0);
      java.math.BigDecimal expected = BigDecimal.ZERO;
      long n = 0;
      for (int g = 1; g <= EngineWorkTables.ROWS; g++) {
        BigDecimal amount = BigDecimal.valueOf(g % 1000).movePointLeft(1);
        if (g < 100 || (g > 59950 && amount.signum() > 0)) {
          expected = expected.add(amount);
          n++;
        }
      }
      assertEquals(0, expected.compareTo((BigDecimal) sum[0]), () -> "sum " + sum[0]);
      assertEquals(n, ((Number) sum[1]).longValue());
      String plan = gh.query("explain plan for " + sql).toList().stream()
          .map(r -> (String) r[0]).reduce("", (a, b) -> a + b + "\n");
      assertFalse(plan.contains("NestedLoopJoin"), plan);
    }
  }
  @Test
  void tablesOfOneSourceAreJoinedBySourceWhateverTheOrderTheyAreWrittenIn() throws Exception {
    // Written interleaved (shop, crm, shop, crm): each source still gets its two tables as one
    // join, and the engine joins the two results.
    Map<Object, Long> ordersOf = new HashMap<>();
    for (List<Object> r : direct(PG.readerConnection(), "select c.id, count(*) from public.customers c"
        + " join public.orders o on o.customer_id = c.id group by c.id")) {
      ordersOf.put(r.get(0), ((Number) r.get(1)).longValue());
    }
    List<List<Object>> expected = new ArrayList<>();
    for (List<Object> r : direct(MARIADB.readerConnection(), "select a.customer_id, count(*)"
        + " from crm.accounts a join crm.contacts k on k.account_id = a.id group by a.customer_id")) {
      Long orders = ordersOf.get(((Number) r.get(0)).longValue());
      if (orders != null) {
        expected.add(List.of(((Number) r.get(0)).longValue(), orders * ((Number) r.get(1)).longValue()));
      }
    }
    expected.sort(Comparator.comparing((List<Object> r) -> (Long) r.get(0)));
    assertTrue(expected.size() > 1, "the fixture has matching rows");

    List<List<Object>> actual = new ArrayList<>();
    List<SourceStatement> sent;
    try (QueryResult r = TwoSources.ENGINE.query("select c.id, count(*) as n"
        + " from shop.public.customers c, crm.crm.accounts a, shop.public.orders o, crm.crm.contacts k"
        + " where a.customer_id = c.id and o.customer_id = c.id and k.account_id = a.id"
        + " group by c.id order by c.id")) {
      while (r.next()) {
        actual.add(List.of(((Number) r.get(0)).longValue(), ((Number) r.get(1)).longValue()));
      }
      sent = r.sourceStatements();
    }
    TwoSources.assertRows(expected, actual);
    for (SourceStatement statement : sent) {
      String sql = statement.sql().toLowerCase(Locale.ROOT);
      List<String> tables = statement.sourceId().equals("shop")
          ? List.of("\"customers\"", "\"orders\"") : List.of("`accounts`", "`contacts`");
      for (String table : tables) {
        assertTrue(sql.contains(table), () -> "each source joins its own two tables: " + sent);
      }
    }
    assertEquals(2, sent.stream().map(SourceStatement::sourceId).distinct().count(), sent::toString);
  }
  @Test
  void sourceGroupsJoinByACrossProductOrAConditionOverThreeTables() throws Exception {
    java.util.Set<Long> customerIds = new java.util.HashSet<>();
    for (List<Object> r : direct(PG.readerConnection(), "select id from public.customers")) {
      customerIds.add(((Number) r.get(0)).longValue());
    }
    List<long[]> orders = new ArrayList<>(); // id, customer_id
    for (List<Object> r : direct(PG.readerConnection(), "select id, customer_id from public.orders")) {
      orders.add(new long[] {((Number) r.get(0)).longValue(), ((Number) r.get(1)).longValue()});
    }
    List<long[]> accounts = new ArrayList<>(); // id, customer_id, gold (1/0)
    for (List<Object> r : direct(MARIADB.readerConnection(),
        "select id, customer_id, tier = 'gold' from crm.accounts")) {
      accounts.add(new long[] {((Number) r.get(0)).longValue(), ((Number) r.get(1)).longValue(),
          ((Number) r.get(2)).longValue()});
    }
    long ordersOfCustomers = orders.stream().filter(o -> customerIds.contains(o[1])).count();
    long gold = accounts.stream().filter(a -> a[2] == 1).count();
    long threeWay = 0;
    for (long[] o : orders) {
      for (long[] a : accounts) {
        if (customerIds.contains(o[1]) && a[1] == o[1] && o[0] + a[0] > 150) {
          threeWay++;
        }
      }
    }
    assertTrue(ordersOfCustomers > 0 && gold > 0 && threeWay > 0, "the fixture has rows for each");

    // Four tables (a self-join on the key changes no count), so the multi-join order applies.
    // No condition links the MariaDB group to the PostgreSQL group: a cross product of the two.
    assertEquals(List.of(List.of(ordersOfCustomers * gold)), count("select count(*)"
        + " from shop.public.customers c, crm.crm.accounts a, shop.public.orders o,"
        + " crm.crm.accounts same where o.customer_id = c.id and a.tier = 'gold' and same.id = a.id"));
    // A condition naming three tables of two sources applies once all three are joined.
    assertEquals(List.of(List.of(threeWay)), count("select count(*)"
        + " from crm.crm.accounts a, shop.public.orders o, shop.public.customers c,"
        + " crm.crm.accounts same where o.customer_id = c.id and a.customer_id = c.id"
        + " and o.id + a.id > 150 and same.id = a.id"));
  }

  @Test
  void anOrAcrossSourcesLetsEachSourceFilterByItsOwnPartOfEveryBranch() throws Exception {
    Map<Long, String> countryOf = new HashMap<>();
    for (List<Object> c : direct(PG.readerConnection(), "select id, country from public.customers")) {
      countryOf.put(((Number) c.get(0)).longValue(), (String) c.get(1));
    }
    long expected = 0;
    long expectedLoose = 0;
    for (List<Object> a : direct(MARIADB.readerConnection(),
        "select customer_id, tier, id from crm.accounts")) {
      String country = countryOf.get(((Number) a.get(0)).longValue());
      if (country == null) {
        continue;
      }
      String tier = (String) a.get(1);
      boolean branches = ("DE".equals(country) && "gold".equals(tier))
          || ("FR".equals(country) && "silver".equals(tier));
      expected += branches ? 1 : 0;
      expectedLoose += branches || ((Number) a.get(2)).longValue() < 5 ? 1 : 0;
    }
    assertTrue(expected > 0, "the fixture has matching rows");

    List<SourceStatement> sent;
    long actual;
    try (QueryResult r = TwoSources.ENGINE.query("select count(*) from shop.public.customers c"
        + " join crm.crm.accounts a on a.customer_id = c.id"
        + " where (c.country = 'DE' and a.tier = 'gold') or (c.country = 'FR' and a.tier = 'silver')")) {
      r.next();
      actual = ((Number) r.get(0)).longValue();
      sent = r.sourceStatements();
    }
    assertEquals(expected, actual);
    String shop = sent.stream().filter(s -> s.sourceId().equals("shop")).map(SourceStatement::sql)
        .findFirst().orElseThrow();
    String crm = sent.stream().filter(s -> s.sourceId().equals("crm")).map(SourceStatement::sql)
        .findFirst().orElseThrow();
    assertTrue(shop.contains("'DE'") && shop.contains("'FR'"), () -> "PostgreSQL filters: " + shop);
    assertTrue(crm.contains("'gold'") && crm.contains("'silver'"), () -> "MariaDB filters: " + crm);

    // A branch with nothing of the customers alone: customers cannot be filtered, and are not.
    assertEquals(List.of(List.of(expectedLoose)), count("select count(*) from shop.public.customers c"
        + " join crm.crm.accounts a on a.customer_id = c.id"
        + " where (c.country = 'DE' and a.tier = 'gold') or (c.country = 'FR' and a.tier = 'silver')"
        + " or a.id < 5"));
  }

  private static List<List<Object>> count(String sql) {
    List<List<Object>> rows = new ArrayList<>();
    for (List<Object> r : engine(sql)) {
      rows.add(List.of(((Number) r.get(0)).longValue()));
    }
    return rows;
  }
}
