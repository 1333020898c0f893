package io.gatehouse.adapter.bigquery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.adapter.bigquery.fake.FakeBigQuery;
import io.gatehouse.adapter.bigquery.testing.FakeBigQueryFixture;
import io.gatehouse.adapter.bigquery.testing.ShopDataset;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.QueryResult;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The two cost walls against the <b>fake</b> BigQuery, whose dry runs size the tables a query reads
 * (rows times BigQuery's storage size of each column): a query whose estimate is above
 * {@code maximumBytesBilled} is refused with COST_LIMIT_EXCEEDED after the dry run, before any
 * job exists; a query the dry run cannot size (an external table) runs with
 * {@code maximumBytesBilled} on the job, and BigQuery's own refusal is the same code.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BigQueryCostWallTest {
  /** 200,000 rows of an INT64 (8 bytes) and a 60-character STRING (2 + 60 bytes). */
  private static final long EVENTS_BYTES = 200_000L * (8 + 2 + 60);
  private final FakeBigQuery fake = FakeBigQueryFixture.fake();
  private Gatehouse engine;

  @BeforeAll
  void open() throws Exception {
    ShopDataset.load(fake);
    try (Connection c = fake.adminConnection(); Statement s = c.createStatement()) {
      s.execute("drop schema if exists big cascade");
      s.execute("create schema big");
      s.execute("create table big.events(id bigint primary key, payload varchar(100))");
      s.execute("insert into big.events select x, repeat('x', 60) from system_range(1, 200000)");
      s.execute("create table big.external_events as select * from big.events");
    }
    fake.markExternal("big", "external_events");
    engine = FakeBigQueryFixture.openEngine(List.of("big", "shop"), Map.of("maximumBytesBilled", "10MB", "jobTimeout", "20s"));
  }

  @AfterAll
  void close() {
    engine.close();
  }

  @Test
  void aQueryEstimatedAboveTheCapIsRefusedBeforeAnyJobRuns() {
    fake.clearLog();
    GatehouseException e = assertThrows(GatehouseException.class,
        () -> engine.query("select count(*), max(payload) from bq.big.events").close());
    assertEquals(ErrorCode.COST_LIMIT_EXCEEDED, e.code(), e.getMessage());
    assertEquals("54000", e.sqlState());
    assertEquals(1018, e.code().vendorCode());
    assertTrue(e.getMessage().contains("(" + EVENTS_BYTES + " bytes)"), e.getMessage());
    assertTrue(e.getMessage().contains("maximumBytesBilled of 10.0 MiB (10485760 bytes)"), e.getMessage());
    assertEquals(1, fake.dryRuns().size(), "the dry run");
    assertEquals(List.of(), fake.queries(), "no job may run");
  }

  @Test
  void theJobCarriesTheCapAndBigQueryRefusesWhatTheDryRunCouldNotSize() {
    fake.clearLog();
    GatehouseException e = assertThrows(GatehouseException.class,
        () -> engine.query("select count(*), max(payload) from bq.big.external_events").close());
    assertEquals(ErrorCode.COST_LIMIT_EXCEEDED, e.code(), e.getMessage());
    assertTrue(e.getMessage().contains("BigQuery stopped the query at maximumBytesBilled"), e.getMessage());
    assertEquals(1, fake.queries().size(), "the dry run estimated 0 bytes, so the job was sent");
    JsonNode job = fake.jobConfigurations().get(1);
    assertEquals(10L * 1024 * 1024, job.path("query").path("maximumBytesBilled").asLong());
  }

  @Test
  void jobsCarryCapTimeoutLabelsAndGoogleSql() throws Exception {
    fake.clearLog();
    try (QueryResult r = engine.query("select count(*) from bq.shop.customers")) {
      assertTrue(r.next());
      assertEquals(30L, r.get(0));
    }
    List<JsonNode> jobs = fake.jobConfigurations();
    assertEquals(2, jobs.size(), "a dry run, then the job");
    JsonNode dry = jobs.get(0);
    JsonNode run = jobs.get(1);
    assertTrue(dry.path("dryRun").asBoolean());
    assertTrue(!run.path("dryRun").asBoolean(false));
    assertEquals(false, run.path("query").path("useLegacySql").asBoolean(true));
    assertEquals(10L * 1024 * 1024, run.path("query").path("maximumBytesBilled").asLong());
    long timeout = run.path("jobTimeoutMs").asLong();
    assertTrue(timeout > 0 && timeout <= 20_000, "jobTimeout bounds the job: " + timeout);
    assertEquals("gatehouse", run.path("labels").path("app").asText());
    assertEquals("data-platform", run.path("labels").path("team").asText());
    assertEquals("gatehouse", dry.path("labels").path("app").asText());
  }
}
