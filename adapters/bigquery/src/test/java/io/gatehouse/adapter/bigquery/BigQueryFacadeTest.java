package io.gatehouse.adapter.bigquery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.adapter.bigquery.fake.FakeBigQuery;
import io.gatehouse.adapter.bigquery.testing.FakeBigQueryFixture;
import io.gatehouse.adapter.bigquery.testing.ShopDataset;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.spi.SourceConnector;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The JDBC facade itself, against the <b>fake</b> BigQuery: writes never run (the dry run's
 * statement type stops them), results stream page by page, and what the facade does not implement
 * says so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BigQueryFacadeTest {
  private final FakeBigQuery fake = FakeBigQueryFixture.fake();
  private Gatehouse engine;
  private SourceConnector connector;

  @BeforeAll
  void open() throws Exception {
    ShopDataset.load(fake);
    try (Connection c = fake.adminConnection(); Statement s = c.createStatement()) {
      s.execute("create schema if not exists paging");
      s.execute("create table if not exists paging.numbers as select x as n from system_range(1, 2500)");
    }
    engine = FakeBigQueryFixture.openEngine(List.of("shop", "paging"), Map.of());
    connector = engine.connector("bq");
  }

  @AfterAll
  void close() {
    engine.close();
  }

  @Test
  void aWriteSentAsAQueryIsStoppedByTheDryRunsStatementType() throws Exception {
    fake.clearLog();
    try (Connection c = connector.connection(); Statement s = c.createStatement()) {
      SQLException e = assertThrows(SQLException.class, () -> s.executeQuery(
          "insert into `my-proj-1`.shop.customers (id, name) values (999, 'intruder')"));
      assertEquals(ErrorCode.QUERY_REJECTED, connector.translate(e).code());
    }
    assertEquals(1, fake.dryRuns().size());
    assertEquals(List.of(), fake.queries(), "no job was inserted");
    try (Connection c = fake.adminConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from shop.customers where id = 999")) {
      rs.next();
      assertEquals(0, rs.getInt(1));
    }
  }

  @Test
  void updatesAndBatchesAreRefusedWithoutReachingBigQuery() throws Exception {
    fake.clearLog();
    try (Connection c = connector.connection(); Statement s = c.createStatement()) {
      SQLException e = assertThrows(SQLException.class,
          () -> s.executeUpdate("delete from `my-proj-1`.shop.orders where true"));
      assertEquals(ErrorCode.QUERY_REJECTED, connector.translate(e).code());
      assertThrows(SQLException.class, () -> s.addBatch("delete from x where true"));
      assertTrue(c.isReadOnly());
      c.setReadOnly(false);
      assertTrue(c.isReadOnly(), "read-only cannot be turned off");
    }
    assertEquals(List.of(), fake.requests().stream().filter(r -> r.contains("/jobs")).toList());
  }

  @Test
  void resultsArriveOnePageAtATimeAsTheyAreRead() throws Exception {
    fake.clearLog();
    try (Connection c = connector.connection();
        java.sql.PreparedStatement ps = c.prepareStatement(
            "select n from `my-proj-1`.paging.numbers where n > ? order by n")) {
      ps.setFetchSize(1000);
      ps.setLong(1, 0);
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next());
        assertEquals(1L, rs.getLong(1));
        assertEquals(1, dataRequests(), "one page requested for the first row");
        long n = 1;
        while (rs.next()) {
          n++;
          assertEquals(n, rs.getLong(1));
          if (n == 1000 || n == 1001) {
            assertEquals(n == 1000 ? 1 : 2, dataRequests(), "the next page only when needed");
          }
        }
        assertEquals(2500, n);
      }
    }
    assertEquals(3, dataRequests(), "2,500 rows in pages of 1,000");
  }

  private long dataRequests() {
    return fake.requests().stream().filter(r -> r.contains("/data?")).count();
  }

  @Test
  void whatTheFacadeDoesNotImplementSaysSo() throws Exception {
    try (Connection c = connector.connection()) {
      SQLFeatureNotSupportedException e = assertThrows(SQLFeatureNotSupportedException.class,
          () -> c.prepareCall("call x()"));
      assertTrue(e.getMessage().contains("Connection.prepareCall"), e.getMessage());
      assertThrows(SQLFeatureNotSupportedException.class,
          () -> c.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_READ_ONLY));
      assertTrue(c.isValid(5));
    }
  }

  @Test
  void closingTheConnectionReturnsItsPermit() throws Exception {
    Connection c = connector.connection();
    assertEquals(1, connector.poolStats().active());
    c.close();
    assertTrue(c.isClosed());
    assertEquals(0, connector.poolStats().active());
    assertFalse(c.isValid(1));
  }
}
