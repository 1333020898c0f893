package io.gatehouse.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gatehouse.core.ConnectionCheck;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.QueryOptions;
import io.gatehouse.core.QueryResult;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.config.GatehouseConfig;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import io.gatehouse.core.exec.SourceStatement;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The contract every source adapter passes, against its real server: results equal to the source's
 * own, pushdown of filters, aggregates, joins, sorts and the row cap as one statement, read-only
 * sessions, timeouts at the source, case-insensitive names, coded errors.
 *
 * <p>Modelled on Trino's {@code BaseJdbcConnectorTest}: an adapter module extends this class with
 * its server, the DDL of a small standard dataset in its own dialect, and the {@link Capability}s it
 * has. A capability it lacks is declared, and the tests that need it say so (JUnit reports them as
 * aborted with the capability's name), never silently pass.
 *
 * <p>The dataset lives in two schemas ({@code contract}, {@code contract2}; for MySQL, databases) so
 * that joins across schemas of one source are covered. Rows are inserted by this class through plain
 * JDBC, so every adapter gets identical data.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SourceContractTest {
  /** What a source can do; tests that need a missing capability are reported as not applicable. */
  public enum Capability {
    WINDOW_FUNCTIONS, CROSS_SCHEMA_JOIN, STATEMENT_TIMEOUT_AT_SOURCE,
    /** The source can make a session read-only for a login that could otherwise write. */
    READ_ONLY_SESSIONS
  }

  protected static final String SOURCE = "src";

  protected Gatehouse engine;
  protected final List<SourceStatement> sent = new CopyOnWriteArrayList<>();

  // ---- what an adapter provides ----

  /** The source's configuration entry (without id), for the given login. */
  protected abstract Map<String, Object> sourceEntry(String user, String password);

  /** A user that can read the contract schemas and nothing more. */
  protected abstract String readerUser();

  protected abstract String readerPassword();

  /** A user with write privileges, to prove that the session itself is read-only. */
  protected abstract String adminUser();

  protected abstract String adminPassword();

  /** A direct JDBC connection with write rights, for setup and for comparing results. */
  protected abstract Connection adminConnection() throws SQLException;

  /**
   * DDL in the source's dialect that (re)creates the schemas {@code contract} and {@code contract2},
   * the tables below, and grants the reader SELECT on them:
   * <pre>
   * contract.people(id int primary key, name varchar(40) not null, city varchar(40) null,
   *                 born date, score decimal(10,2), active boolean, visits bigint)
   * contract.purchases(id int primary key, person_id int, amount decimal(12,2), bought_at timestamp)
   * contract.numbers(n int primary key)
   * contract2.cities(name varchar(40) primary key, country varchar(40))
   * </pre>
   */
  protected abstract List<String> datasetDdl();

  /** How the source names a contract table in its own SQL (for direct comparison queries). */
  protected abstract String directName(String schema, String table);

  protected abstract Set<Capability> capabilities();

  /**
   * The Java class of a column declared {@code int} in {@link #datasetDdl()}: Integer, unless the
   * source has only one integer type (BigQuery's INT64 is a BIGINT: Long).
   */
  protected Class<?> integerColumnClass() {
    return Integer.class;
  }

  // ---- setup ----

  @BeforeAll
  void createDatasetAndEngine() throws Exception {
    try (Connection c = adminConnection(); Statement s = c.createStatement()) {
      c.setAutoCommit(true);
      for (String ddl : datasetDdl()) {
        s.execute(ddl);
      }
      insert(c);
    }
    engine = open(readerUser(), readerPassword(), Map.of());
    engine.addStatementListener(sent::add);
  }

  @AfterAll
  void closeEngine() {
    if (engine != null) {
      engine.close();
    }
  }

  private void insert(Connection c) throws SQLException {
    String[] cities = {"Lisbon", "Oslo", "Zürich", "Kyoto", null};
    try (PreparedStatement ps = c.prepareStatement("insert into " + directName("contract", "people")
        + " (id, name, city, born, score, active, visits) values (?, ?, ?, ?, ?, ?, ?)")) {
      for (int i = 1; i <= 20; i++) {
        ps.setInt(1, i);
        ps.setString(2, "person " + i);
        ps.setString(3, cities[i % cities.length]);
        ps.setObject(4, LocalDate.of(1970, 1, 1).plusDays(i * 397L));
        ps.setBigDecimal(5, new BigDecimal(i * 7 % 100 + "." + (i * 13 % 100 < 10 ? "0" : "") + (i * 13 % 100)));
        ps.setBoolean(6, i % 3 != 0);
        ps.setLong(7, 10_000_000_000L + i);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    try (PreparedStatement ps = c.prepareStatement("insert into " + directName("contract", "purchases")
        + " (id, person_id, amount, bought_at) values (?, ?, ?, ?)")) {
      for (int i = 1; i <= 60; i++) {
        ps.setInt(1, i);
        ps.setInt(2, i % 20 + 1);
        ps.setBigDecimal(3, BigDecimal.valueOf(i * 1234L, 2));
        ps.setObject(4, LocalDateTime.of(2024, 1, 1, 8, 0).plusHours(i * 7L).plusSeconds(i));
        ps.addBatch();
      }
      ps.executeBatch();
    }
    try (PreparedStatement ps = c.prepareStatement("insert into " + directName("contract", "numbers")
        + " (n) values (?)")) {
      for (int i = 1; i <= 2000; i++) {
        ps.setInt(1, i);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    try (PreparedStatement ps = c.prepareStatement("insert into " + directName("contract2", "cities")
        + " (name, country) values (?, ?)")) {
      String[][] rows = {{"Lisbon", "Portugal"}, {"Oslo", "Norway"}, {"Zürich", "Switzerland"},
          {"Kyoto", "Japan"}};
      for (String[] r : rows) {
        ps.setString(1, r[0]);
        ps.setString(2, r[1]);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    if (!c.getAutoCommit()) {
      c.commit();
    }
  }

  /** Opens an engine on this source with the given login and extra engine settings. */
  protected Gatehouse open(String user, String password, Map<String, Object> engineSettings) {
    Map<String, Object> source = new LinkedHashMap<>(sourceEntry(user, password));
    source.put("id", SOURCE);
    source.putIfAbsent("schemas", List.of("contract", "contract2"));
    Map<String, Object> root = new HashMap<>();
    root.put("sources", List.of(source));
    if (!engineSettings.isEmpty()) {
      root.put("engine", engineSettings);
    }
    GatehouseConfig config = ConfigLoader.withDiscoveredAdapters().fromMap(root);
    return Gatehouse.open(config);
  }

  /** Engine-side name of a contract table. */
  protected static String t(String schema, String table) {
    return SOURCE + "." + schema + "." + table;
  }

  protected List<List<Object>> rows(QueryResult r) {
    List<List<Object>> out = new ArrayList<>();
    try (r) {
      while (r.next()) {
        List<Object> row = new ArrayList<>();
        for (Object v : r.row()) {
          row.add(Values.normalize(v));
        }
        out.add(row);
      }
    }
    return out;
  }

  protected List<List<Object>> direct(String sql) throws SQLException {
    List<List<Object>> out = new ArrayList<>();
    try (Connection c = adminConnection(); Statement s = c.createStatement();
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

  protected List<SourceStatement> sentDuring(Runnable r) {
    sent.clear();
    r.run();
    return List.copyOf(sent);
  }

  // ---- results equal the source's own ----

  /** Queries written twice: once for Gatehouse, once for the source directly. */
  protected List<String[]> comparisonQueries() {
    String people = t("contract", "people");
    String purchases = t("contract", "purchases");
    String dPeople = directName("contract", "people");
    String dPurchases = directName("contract", "purchases");
    return List.of(
        new String[] {"select id, name, city, born, score, active, visits from " + people + " order by id",
            "select id, name, city, born, score, active, visits from " + dPeople + " order by id"},
        new String[] {"select city, count(*) as n, sum(score) as s, min(born) as b from " + people
            + " where city is not null group by city order by city",
            "select city, count(*) as n, sum(score) as s, min(born) as b from " + dPeople
            + " where city is not null group by city order by city"},
        new String[] {"select p.name, sum(u.amount) as total from " + people + " p join " + purchases
            + " u on u.person_id = p.id where u.amount > 100 group by p.name order by total desc, p.name",
            "select p.name, sum(u.amount) as total from " + dPeople + " p join " + dPurchases
            + " u on u.person_id = p.id where u.amount > 100 group by p.name order by total desc, p.name"},
        new String[] {"select id, bought_at from " + purchases + " where bought_at >= timestamp '2024-01-05 00:00:00' order by id",
            "select id, bought_at from " + dPurchases + " where bought_at >= timestamp '2024-01-05 00:00:00' order by id"},
        new String[] {"select id from " + people + " where name like 'person 1%' and active order by id desc",
            "select id from " + dPeople + " where name like 'person 1%' and active order by id desc"},
        new String[] {"select count(distinct city) from " + people, "select count(distinct city) from " + dPeople},
        new String[] {"select id from " + people + " where id in (select person_id from " + purchases
            + " where amount > 700) order by id",
            "select id from " + dPeople + " where id in (select person_id from " + dPurchases
            + " where amount > 700) order by id"},
        new String[] {"select id, name from " + people + " order by id limit 5 offset 3",
            "select id, name from " + dPeople + " order by id limit 5 offset 3"});
  }

  @Test
  void resultsEqualDirectExecution() throws Exception {
    for (String[] q : comparisonQueries()) {
      List<List<Object>> expected = direct(q[1]);
      List<List<Object>> actual = rows(engine.query(q[0]));
      assertFalse(expected.isEmpty(), () -> "the comparison must read data: " + q[1]);
      assertEquals(expected, actual, () -> "engine vs direct for: " + q[0]);
    }
  }

  // ---- pushdown ----

  @Test
  void filterProjectAndAggregateRunAsOneStatement() {
    List<SourceStatement> s = sentDuring(() -> rows(engine.query(
        "select city, count(*) from " + t("contract", "people") + " where score > 10 group by city")));
    assertEquals(1, s.size(), () -> "statements: " + s);
    String sql = s.get(0).sql().toUpperCase(Locale.ROOT);
    assertTrue(sql.contains("WHERE") && sql.contains("GROUP BY") && sql.contains("COUNT("), sql);
  }

  @Test
  void joinWithinTheSourceRunsAsOneStatement() {
    List<SourceStatement> s = sentDuring(() -> {
      QueryResult r = engine.query("select p.name, u.amount from " + t("contract", "people")
          + " p join " + t("contract", "purchases") + " u on p.id = u.person_id where u.id < 5");
      assertTrue(r.pushedDown(), "the whole query runs in the source");
      assertEquals(4, rows(r).size());
    });
    assertEquals(1, s.size(), () -> "statements: " + s);
    assertTrue(s.get(0).sql().toUpperCase(Locale.ROOT).contains("JOIN"), s.get(0).sql());
  }

  @Test
  void joinAcrossSchemasOfTheSourceRunsAsOneStatement() {
    assumeTrue(capabilities().contains(Capability.CROSS_SCHEMA_JOIN), "CROSS_SCHEMA_JOIN");
    List<SourceStatement> s = sentDuring(() -> {
      List<List<Object>> r = rows(engine.query("select p.id, c.country from "
          + t("contract", "people") + " p join " + t("contract2", "cities")
          + " c on p.city = c.name where p.id <= 5 order by p.id"));
      assertEquals(4, r.size());
      assertEquals("Norway", r.get(0).get(1));
    });
    assertEquals(1, s.size(), () -> "statements: " + s);
  }

  @Test
  void sortAndLimitArePushedDown() {
    List<SourceStatement> s = sentDuring(() -> {
      List<List<Object>> r = rows(engine.query("select id from " + t("contract", "people")
          + " order by score desc, id limit 3"));
      assertEquals(3, r.size());
    });
    assertEquals(1, s.size());
    String sql = s.get(0).sql().toUpperCase(Locale.ROOT);
    assertTrue(sql.contains("ORDER BY") && (sql.contains("LIMIT 3") || sql.contains("FETCH NEXT 3")), sql);
  }

  @Test
  void windowFunctionsArePushedDown() {
    assumeTrue(capabilities().contains(Capability.WINDOW_FUNCTIONS), "WINDOW_FUNCTIONS");
    List<SourceStatement> s = sentDuring(() -> {
      QueryResult r = engine.query("select id, rank() over (partition by city order by score desc) as r from "
          + t("contract", "people"));
      assertTrue(r.pushedDown());
      assertEquals(20, rows(r).size());
    });
    assertEquals(1, s.size());
    assertTrue(s.get(0).sql().toUpperCase(Locale.ROOT).contains("OVER"), s.get(0).sql());
  }

  // ---- the row cap ----

  @Test
  void rowCapReachesTheSourceAndReportsTruncation() {
    List<SourceStatement> s = sentDuring(() -> {
      QueryResult r = engine.query("select n from " + t("contract", "numbers"), List.of(),
          QueryOptions.defaults().withMaxRows(7));
      assertEquals(7, rows(r).size());
      assertTrue(r.truncated(), "2000 rows were cut to 7");
    });
    String sql = s.get(0).sql().toUpperCase(Locale.ROOT);
    assertTrue(sql.contains("LIMIT 8") || sql.contains("FETCH NEXT 8"), () -> "cap+1 at the source: " + sql);
  }

  @Test
  void limitBelowTheCapIsNotTruncated() {
    QueryResult r = engine.query("select n from " + t("contract", "numbers") + " order by n limit 5",
        List.of(), QueryOptions.defaults().withMaxRows(7));
    assertEquals(5, rows(r).size());
    assertFalse(r.truncated());
  }

  @Test
  void exactlyCapRowsIsNotTruncated() {
    QueryResult r = engine.query("select n from " + t("contract", "numbers") + " where n <= 7",
        List.of(), QueryOptions.defaults().withMaxRows(7));
    assertEquals(7, rows(r).size());
    assertFalse(r.truncated(), "7 rows exist and 7 were returned");
  }

  @Test
  void limitParameterIsClampedToTheCap() {
    QueryResult r = engine.query("select n from " + t("contract", "numbers") + " order by n limit ?",
        List.of(1_000_000), QueryOptions.defaults().withMaxRows(7));
    List<List<Object>> rows = rows(r);
    assertEquals(7, rows.size());
    assertTrue(r.truncated());
    assertEquals(1L, rows.get(0).get(0));
  }

  // ---- SQL semantics ----

  @Test
  void unquotedNamesMatchCaseInsensitively() {
    List<List<Object>> r = rows(engine.query("SELECT NAME FROM " + SOURCE.toUpperCase(Locale.ROOT)
        + ".Contract.PEOPLE WHERE ID = 2"));
    assertEquals(List.of(List.of("person 2")), r);
  }

  @Test
  void stringCaseResultsAreNotBlankPadded() {
    List<List<Object>> r = rows(engine.query("select case when id < 2 then 'a' else 'longer' end as k from "
        + t("contract", "people") + " where id <= 2 order by id"));
    assertEquals(List.of(List.of("a"), List.of("longer")), r);
  }

  @Test
  void parametersAreBound() {
    List<List<Object>> r = rows(engine.query("select id from " + t("contract", "people")
        + " where born > ? and name <> ? order by id", List.of(LocalDate.of(1990, 1, 1), "person 20"),
        QueryOptions.defaults()));
    assertFalse(r.isEmpty());
    assertTrue(r.stream().noneMatch(row -> row.get(0).equals(20L)));
  }

  @Test
  void exactTypesArePreserved() {
    try (QueryResult r = engine.query("select p.id, score, visits, born, active, bought_at from "
        + t("contract", "people") + " p join " + t("contract", "purchases")
        + " u on u.person_id = p.id where u.id = 1")) {
      assertTrue(r.next());
      assertEquals(integerColumnClass(), r.get(0).getClass());
      assertEquals(BigDecimal.class, r.get(1).getClass());
      assertEquals(Long.class, r.get(2).getClass(), "bigint stays long");
      assertEquals(10_000_000_002L, r.get(2));
      assertEquals(LocalDate.class, r.get(3).getClass());
      assertEquals(Boolean.class, r.get(4).getClass());
      assertEquals(LocalDateTime.class, r.get(5).getClass());
      assertEquals(LocalDateTime.of(2024, 1, 1, 15, 0, 1), r.get(5));
    }
  }

  // ---- errors ----

  @Test
  void unknownTableIsAValidationErrorWithPosition() {
    GatehouseException e = assertThrows(GatehouseException.class,
        () -> engine.query("select *\nfrom " + t("contract", "nope")));
    assertEquals(ErrorCode.SQL_VALIDATION, e.code());
    assertEquals(2, e.line());
    assertTrue(e.column() > 0);
  }

  @Test
  void nonQueriesAreRejectedAndNothingReachesTheSource() {
    List<SourceStatement> s = sentDuring(() -> {
      for (String sql : List.of("delete from " + t("contract", "people"),
          "update " + t("contract", "people") + " set name = 'x'",
          "insert into " + t("contract", "people") + " (id) values (99)",
          "select 1; delete from " + t("contract", "people"),
          "drop table " + t("contract", "people"))) {
        GatehouseException e = assertThrows(GatehouseException.class, () -> engine.query(sql));
        assertEquals(ErrorCode.QUERY_REJECTED, e.code(), sql);
      }
    });
    assertTrue(s.isEmpty(), () -> "nothing may reach the source: " + s);
  }

  @Test
  void testConnectionReportsOkWithLatency() {
    ConnectionCheck c = engine.testConnection(SOURCE);
    assertTrue(c.ok(), () -> String.valueOf(c));
    assertNotNull(c.latency());
    assertEquals(null, c.code());
  }

  @Test
  void wrongPasswordIsSourceAuthFailedAndNeverEchoed() {
    String secret = "wrong-Pa55-" + System.nanoTime();
    try (Gatehouse bad = open(readerUser(), secret, Map.of())) {
      ConnectionCheck c = bad.testConnection(SOURCE);
      assertFalse(c.ok());
      assertEquals(ErrorCode.SOURCE_AUTH_FAILED, c.code(), c.message());
      assertFalse(c.message().contains(secret));
      GatehouseException e = assertThrows(GatehouseException.class,
          () -> rows(bad.query("select id from " + t("contract", "people"))));
      assertEquals(ErrorCode.SOURCE_AUTH_FAILED, e.code());
      assertFalse(e.getMessage().contains(secret));
    }
  }

  // ---- read-only sessions and timeouts at the source ----

  @Test
  void sessionsAreReadOnlyEvenForAUserAllowedToWrite() throws Exception {
    assumeTrue(capabilities().contains(Capability.READ_ONLY_SESSIONS), "READ_ONLY_SESSIONS");
    try (Gatehouse admin = open(adminUser(), adminPassword(), Map.of());
        Connection c = admin.connector(SOURCE).connection();
        Statement s = c.createStatement()) {
      SQLException e = assertThrows(SQLException.class, () -> s.executeUpdate("insert into "
          + directName("contract", "numbers") + " (n) values (999999)"));
      assertEquals(ErrorCode.QUERY_REJECTED, admin.connector(SOURCE).translate(e).code(),
          () -> "the write must fail because the session is read-only: " + e.getSQLState());
    }
    assertEquals(List.of(List.of(0L)), direct("select count(*) from " + directName("contract", "numbers")
        + " where n = 999999"));
  }

  /** A query the source needs many seconds for, written for Gatehouse. */
  protected String slowQuery() {
    String n = t("contract", "numbers");
    return "select count(*) from " + n + " a, " + n + " b, " + n + " c where a.n + b.n + c.n > 17";
  }

  /** The same slow query in the source's own SQL. */
  protected String directSlowQuery() {
    String n = directName("contract", "numbers");
    return "select count(*) from " + n + " a, " + n + " b, " + n + " c where a.n + b.n + c.n > 17";
  }

  @Test
  void queryTimeoutStopsTheQueryAtTheSource() throws Exception {
    try (Gatehouse quick = open(readerUser(), readerPassword(), Map.of("queryTimeout", "1s"))) {
      long start = System.nanoTime();
      GatehouseException e = assertThrows(GatehouseException.class, () -> rows(quick.query(slowQuery())));
      assertEquals(ErrorCode.QUERY_TIMEOUT, e.code(), e.getMessage());
      assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 30,
          "the timeout must stop the query, not wait for it");
      assertEquals(0, runningAtSource(slowQueryPatternAtSource()),
          "nothing may be left running at the source");
    }
  }

  @Test
  void sessionStatementTimeoutHoldsWithoutTheEngine() throws Exception {
    assumeTrue(capabilities().contains(Capability.STATEMENT_TIMEOUT_AT_SOURCE),
        "STATEMENT_TIMEOUT_AT_SOURCE");
    try (Gatehouse quick = open(readerUser(), readerPassword(), Map.of("queryTimeout", "1s"))) {
      Connection c = quick.connector(SOURCE).connection();
      try {
        Statement s = c.createStatement();
        // No Statement.setQueryTimeout here: only the session's own setting can stop this.
        SQLException e = assertThrows(SQLException.class, () -> s.executeQuery(directSlowQuery()).next());
        assertEquals(ErrorCode.QUERY_TIMEOUT, quick.connector(SOURCE).translate(e).code(),
            () -> "SQLState " + e.getSQLState() + " / " + e.getErrorCode());
      } finally {
        try {
          c.close();
        } catch (SQLException e) {
          // MariaDB also fails the pool's rollback of a timed-out session; the pool drops it.
        }
      }
    }
  }

  /**
   * A LIKE pattern that matches {@link #slowQuery()} as the engine sends it to the source, in the
   * source's quoting of names.
   */
  protected abstract String slowQueryPatternAtSource();

  /**
   * How many statements matching the LIKE pattern {@code fragmentPattern} are running at the source
   * right now, other than the one asking: one query through the admin connection.
   */
  protected abstract int countRunningAtSource(String fragmentPattern) throws SQLException;

  /**
   * How many statements matching {@code fragmentPattern} are still running at the source, after
   * giving a cancelled statement up to about 5 seconds to end: polls
   * {@link #countRunningAtSource} every 100 ms until it reports none.
   */
  protected final int runningAtSource(String fragmentPattern)
      throws SQLException, InterruptedException {
    int running = 0;
    for (int attempt = 0; attempt < 50; attempt++) {
      running = countRunningAtSource(fragmentPattern);
      if (running == 0) {
        return 0;
      }
      Thread.sleep(100);
    }
    return running;
  }

  /** Small helper for subclasses. */
  protected static Set<Capability> all() {
    return EnumSet.allOf(Capability.class);
  }
}
