package io.gatehouse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.adapter.bigquery.testing.FakeBigQueryFixture;
import io.gatehouse.adapter.bigquery.testing.ShopDataset;
import io.gatehouse.adapter.h2.DemoDatabase;
import io.gatehouse.adapter.mysql.testing.MariaDbFixture;
import io.gatehouse.adapter.postgresql.testing.PostgresFixture;
import io.gatehouse.adapter.redshift.testing.RedshiftTestServer;
import io.gatehouse.adapter.snowflake.FakeSnowflakeFixture;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.config.GatehouseConfig;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The whole server with every adapter on one class path, one source of each type, queried through
 * the stock Avatica remote JDBC driver as a BI tool would: PostgreSQL and MariaDB are the shared
 * embedded servers; H2 is the built-in demo database; <b>Redshift is Amazon's real driver through a
 * proxy in front of the shared PostgreSQL</b> ({@code StartupRewritingProxy}); <b>Snowflake and
 * BigQuery are local fakes of their protocols</b> ({@code FakeSnowflake}, {@code FakeBigQuery}),
 * driven by the real snowflake-jdbc driver and Google's real client library.
 *
 * <p>The point is the class path: Google's client, snowflake-jdbc, Calcite and Avatica each bring
 * protobuf, Guava, Jackson or gRPC, and a conflict shows up only when they run together (as the
 * server ships them), not in each adapter's own module.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Server with all adapters (Snowflake and BigQuery are local fakes, Redshift is a proxy"
    + " in front of PostgreSQL)")
class AllAdaptersServerTest {
  private static final String PASSWORD = "all-adapters-analyst-73";
  private static final List<String> SOURCES = List.of("shop", "crm", "demo", "rs", "sf", "bq");

  private final PostgresFixture pg = PostgresFixture.get();
  private final MariaDbFixture maria = MariaDbFixture.get();
  private final RedshiftTestServer redshift = RedshiftTestServer.get();
  private FakeSnowflakeFixture snowflake;
  private DemoDatabase demo;
  private Gatehouse engine;
  private GatehouseServer server;

  @BeforeAll
  void start() throws Exception {
    snowflake = new FakeSnowflakeFixture();
    loadSnowflakeShop();
    ShopDataset.load(FakeBigQueryFixture.fake());
    // its own name: another test of this JVM may start (and close) the default demo
    demo = DemoDatabase.start("all_adapters_demo");

    Map<String, Object> rs = new LinkedHashMap<>(redshift.sourceEntry(pg.readerUser(), pg.readerPassword()));
    rs.put("id", "rs");
    rs.put("schemas", List.of("public", "sales"));
    Map<String, Object> sf = new LinkedHashMap<>(snowflake.source(FakeSnowflakeFixture.READER,
        snowflake.readerPassword));
    sf.put("id", "sf");
    sf.put("schemas", List.of("shop"));
    Map<String, Object> bq = new LinkedHashMap<>(FakeBigQueryFixture.sourceEntry(
        FakeBigQueryFixture.reader().json()));
    bq.put("id", "bq");
    bq.put("datasets", List.of("shop"));

    GatehouseConfig config = ConfigLoader.withDiscoveredAdapters().fromMap(Map.of(
        "sources", List.of(
            Map.of("id", "shop", "type", "postgresql", "host", pg.host(), "port", pg.port(),
                "database", pg.database(), "user", pg.readerUser(), "password", pg.readerPassword(),
                "tls", "disable", "schemas", List.of("public", "sales")),
            Map.of("id", "crm", "type", "mariadb", "host", maria.host(), "port", maria.port(),
                "user", maria.readerUser(), "password", maria.readerPassword(), "tls", "disable",
                "schemas", List.of("crm")),
            demo.sourceConfig("demo"), rs, sf, bq),
        "server", Map.of("users", List.of(Map.of("name", "analyst",
            "passwordHash", TestCredentials.hashOf(PASSWORD), "sources", SOURCES)))));
    engine = Gatehouse.open(config);
    server = new GatehouseServer(engine, config.server(), TestCredentials.forUsers(config.server()),
        null, 0, false);
    server.start();
  }

  /** Five customers in the fake Snowflake, written with Snowflake's own DDL by its admin. */
  private void loadSnowflakeShop() throws SQLException {
    try (Connection c = snowflake.adminConnection(); Statement s = c.createStatement()) {
      s.execute("create schema shop");
      s.execute("create table shop.customers (id number(9,0) primary key, name varchar(40) not null,"
          + " country varchar(20))");
      s.execute("insert into shop.customers values (1, 'Ana', 'PT'), (2, 'Bruno', 'PT'),"
          + " (3, 'Chloe', 'FR'), (4, 'Akira', 'JP'), (5, 'Alex', null)");
    }
  }

  @AfterAll
  void stop() {
    // the Redshift proxies and the fake BigQuery are per-JVM fixtures with their own shutdown hooks
    if (server != null) {
      server.close();
    }
    if (engine != null) {
      engine.close();
    }
    if (demo != null) {
      demo.close();
    }
    if (snowflake != null) {
      snowflake.close();
    }
  }

  /**
   * The stock Avatica remote driver, as BI tools connect, in the protobuf encoding: that runs
   * Avatica's wire format on the protobuf-java the other libraries share.
   */
  private Connection connect() throws SQLException {
    return TestCredentials.connect(server.url(), "analyst", PASSWORD, "protobuf");
  }

  /** Every value as text, so sources with different numeric types compare alike. */
  private List<List<String>> query(String sql) throws SQLException {
    List<List<String>> out = new ArrayList<>();
    try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(rs.getString(i));
        }
        out.add(row);
      }
    }
    return out;
  }

  @Test
  void postgresql() throws Exception {
    assertEquals(List.of(List.of("WAW", "Warszawa", "100")), query("select r.code, r.name,"
        + " (select count(*) from shop.public.customers) from shop.sales.regions r where r.id = 12"));
  }

  @Test
  void mariadb() throws Exception {
    assertEquals(List.of(List.of("Globex Ltd #1", "silver")),
        query("select name, tier from crm.crm.accounts where id = 1"));
    assertEquals(List.of(List.of("85")), query("select count(*) from crm.crm.accounts"));
  }

  @Test
  void h2DemoDatabase() throws Exception {
    assertEquals(List.of(List.of("Mateo Schmidt", "mateo.schmidt.1@example.com", "United States")),
        query("select name, email, country from demo.public.customers where id = 1"));
  }

  @Test
  void redshiftThroughTheProxyInFrontOfPostgresql() throws Exception {
    assertEquals(List.of(List.of("BER", "Jürgen Müller")),
        query("select code, manager from rs.sales.regions where id = 9"));
    assertEquals(List.of(List.of("100")), query("select count(*) from rs.public.customers"));
    // Redshift's own driver made those connections: only it sends these startup parameters
    assertTrue(redshift.plain().droppedParameters().contains("driver_version"),
        () -> "dropped: " + redshift.plain().droppedParameters());
  }

  @Test
  void snowflakeLocalFake() throws Exception {
    assertEquals(List.of(List.of("Akira", "JP"), Arrays.asList("Alex", null), List.of("Ana", "PT")),
        query("select name, country from sf.shop.customers where name like 'A%' order by name"));
  }

  @Test
  void bigqueryLocalFake() throws Exception {
    // ShopDataset: customer i is 'customer i' in countries[i % 5] = {PT, NO, JP, CH, null}
    assertEquals(List.of(List.of("customer 3", "CH")),
        query("select name, country from bq.shop.customers where id = 3"));
    assertEquals(List.of(List.of("200")), query("select count(*) from bq.shop.orders"));
  }

  @Test
  void crossSourceJoins() throws Exception {
    // crm accounts 1..80 belong to shop customers 1..80; accounts 81..85 to no customer
    assertEquals(List.of(List.of("80")), query("select count(*) from shop.public.customers c"
        + " join crm.crm.accounts a on a.customer_id = c.id"));
    // The two Google/Snowflake stacks in one statement. BigQuery order i belongs to customer
    // i % 30 + 1 (i = 1..200): customer 1 has 6 orders, customers 2..5 have 7 each.
    assertEquals(List.of(List.of("Akira", "7"), List.of("Alex", "7"), List.of("Ana", "6"),
            List.of("Bruno", "7"), List.of("Chloe", "7")),
        query("select c.name, count(*) from sf.shop.customers c join bq.shop.orders o"
            + " on o.customer_id = c.id group by c.name order by c.name"));
  }

  @Test
  void metadataListsEverySourceAsACatalog() throws Exception {
    Set<String> catalogs = new TreeSet<>();
    Set<String> tables = new TreeSet<>();
    try (Connection c = connect(); ResultSet rs = c.getMetaData().getTables(null, null, "%", null)) {
      while (rs.next()) {
        catalogs.add(rs.getString("TABLE_CAT"));
        tables.add(rs.getString("TABLE_CAT") + "." + rs.getString("TABLE_SCHEM") + "."
            + rs.getString("TABLE_NAME"));
      }
    }
    assertTrue(catalogs.containsAll(SOURCES), () -> "catalogs: " + catalogs);
    // Names as each source spells them: H2 and Snowflake fold unquoted names to upper case (queries
    // above match them ignoring case).
    for (String t : List.of("shop.public.customers", "crm.crm.accounts", "demo.PUBLIC.customers",
        "rs.sales.regions", "sf.shop.CUSTOMERS", "bq.shop.orders")) {
      assertTrue(tables.contains(t), () -> t + " not in " + tables);
    }
  }

  @Test
  void everySourceIsReady() throws Exception {
    HttpResponse<String> h = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(server.url() + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, h.statusCode(), h.body());
    for (String id : SOURCES) {
      assertTrue(h.body().contains("\"" + id + "\":{\"status\":\"UP\""), () -> id + ": " + h.body());
    }
  }

  /**
   * One copy of each conflict-prone library on the class path, at the root pom's pinned version
   * (snowflake-jdbc carries its own copies relocated under {@code net.snowflake}, which do not
   * count). Checked by resource lookup, not through compile-time constants, which javac inlines.
   */
  @Test
  void theClassPathHoldsOneProtobufOneGuavaOneJacksonOneGrpc() throws Exception {
    List<URL> protobuf = copiesOf("com/google/protobuf/Message.class");
    assertEquals(1, protobuf.size(), protobuf::toString);
    assertTrue(protobuf.get(0).toString().contains("/protobuf-java-4.33.2.jar!"), protobuf::toString);
    assertEquals(jarOf(com.google.protobuf.Message.class), jarOf(protobuf.get(0)));

    List<URL> guava = copiesOf("com/google/common/base/Preconditions.class");
    assertEquals(1, guava.size(), guava::toString);
    assertTrue(guava.get(0).toString().contains("/guava-33.5.0-jre.jar!"), guava::toString);
    assertEquals(jarOf(com.google.common.base.Preconditions.class), jarOf(guava.get(0)));

    List<URL> jackson = copiesOf("com/fasterxml/jackson/databind/ObjectMapper.class");
    assertEquals(1, jackson.size(), jackson::toString);
    // Google's client keeps only gRPC's API and Context (its transports are excluded in the
    // BigQuery adapter's pom): those, once.
    List<URL> grpc = copiesOf("io/grpc/Context.class");
    assertEquals(1, grpc.size(), grpc::toString);
  }

  private static List<URL> copiesOf(String resource) throws Exception {
    return Collections.list(AllAdaptersServerTest.class.getClassLoader().getResources(resource));
  }

  private static String jarOf(Class<?> c) {
    return c.getProtectionDomain().getCodeSource().getLocation().getPath();
  }

  /** The jar part of a {@code jar:file:/.../x.jar!/entry} resource URL. */
  private static String jarOf(URL resource) throws Exception {
    String s = resource.toString();
    return new URL(s.substring("jar:".length(), s.indexOf("!/"))).getPath();
  }
}
