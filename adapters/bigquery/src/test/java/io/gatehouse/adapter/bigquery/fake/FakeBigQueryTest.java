package io.gatehouse.adapter.bigquery.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.Job;
import com.google.cloud.bigquery.JobId;
import com.google.cloud.bigquery.JobInfo;
import com.google.cloud.bigquery.JobStatus;
import com.google.cloud.bigquery.JobStatistics.QueryStatistics;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.TableResult;
import io.gatehouse.adapter.bigquery.testing.FakeBigQueryFixture;
import io.gatehouse.adapter.bigquery.testing.ShopDataset;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The <b>fake</b> BigQuery itself, driven by the real client without Gatehouse: it authenticates,
 * answers by executing the SQL it receives (so wrong SQL fails), and sizes dry runs.
 */
class FakeBigQueryTest {
  private static FakeBigQuery fake;

  @BeforeAll
  static void load() throws Exception {
    fake = FakeBigQueryFixture.fake();
    ShopDataset.load(fake);
  }

  private static BigQuery client(String keyJson) throws Exception {
    return BigQueryOptions.newBuilder().setProjectId(fake.project()).setHost(fake.endpoint())
        .setCredentials(ServiceAccountCredentials.fromStream(
            new ByteArrayInputStream(keyJson.getBytes(StandardCharsets.UTF_8))))
        .build().getService();
  }

  private static QueryJobConfiguration sql(String text) {
    return QueryJobConfiguration.newBuilder(text).setUseLegacySql(false).build();
  }

  /**
   * The calls Gatehouse makes (jobs.insert, jobs.get until done, tabledata.list); the fake does
   * not implement jobs.query, the client's shortcut in {@code BigQuery.query}.
   */
  private static TableResult run(BigQuery bq, String text) throws Exception {
    JobId id = JobId.of("test_" + UUID.randomUUID().toString().replace("-", ""));
    Job job = bq.create(JobInfo.of(id, sql(text)));
    while (job.getStatus().getState() != JobStatus.State.DONE) {
      Thread.sleep(20);
      job = bq.getJob(id);
    }
    if (job.getStatus().getError() != null) {
      throw new BigQueryException(400, job.getStatus().getError().getMessage(),
          job.getStatus().getError());
    }
    QueryStatistics stats = job.getStatistics();
    return bq.listTableData(((QueryJobConfiguration) job.getConfiguration()).getDestinationTable(),
        stats.getSchema());
  }

  @Test
  void itExecutesTheSqlItReceives() throws Exception {
    TableResult r = run(client(FakeBigQueryFixture.reader().json()), (
        "SELECT country, COUNT(*) AS n FROM `my-proj-1`.shop.customers WHERE country IS NOT NULL"
            + " GROUP BY country ORDER BY country"));
    List<String> rows = new ArrayList<>();
    for (FieldValueList row : r.iterateAll()) {
      rows.add(row.get("country").getStringValue() + "=" + row.get("n").getLongValue());
    }
    assertEquals(List.of("CH=6", "JP=6", "NO=6", "PT=6"), rows);
  }

  @Test
  void wrongSqlFailsAsAtBigQuery() throws Exception {
    BigQuery bq = client(FakeBigQueryFixture.reader().json());
    BigQueryException unknownTable = assertThrows(BigQueryException.class,
        () -> run(bq, "SELECT 1 FROM `my-proj-1`.shop.nope"));
    assertEquals("notFound", unknownTable.getError().getReason());
    BigQueryException otherProject = assertThrows(BigQueryException.class,
        () -> run(bq, "SELECT id FROM `other-proj`.shop.customers"));
    assertEquals("notFound", otherProject.getError().getReason());
    BigQueryException syntax = assertThrows(BigQueryException.class,
        () -> run(bq, "SELEC id FROM `my-proj-1`.shop.customers"));
    assertEquals("invalidQuery", syntax.getError().getReason());
    BigQueryException unknownColumn = assertThrows(BigQueryException.class,
        () -> run(bq, "SELECT no_such_column FROM `my-proj-1`.shop.customers"));
    assertEquals("invalidQuery", unknownColumn.getError().getReason());
    BigQueryException legacy = assertThrows(BigQueryException.class, () -> bq.create(JobInfo.of(
        QueryJobConfiguration.of("SELECT id FROM [my-proj-1:shop.customers]"))));
    assertEquals("invalidQuery", legacy.getError().getReason(), "only GoogleSQL");
  }

  @Test
  void aDryRunReportsTheBytesOfTheTablesRead() throws Exception {
    BigQuery bq = client(FakeBigQueryFixture.reader().json());
    Job dry = bq.create(JobInfo.of(QueryJobConfiguration.newBuilder(
        "SELECT id FROM `my-proj-1`.shop.customers").setUseLegacySql(false).setDryRun(true).build()));
    QueryStatistics s = dry.getStatistics();
    assertEquals(QueryStatistics.StatementType.SELECT, s.getStatementType());
    // 30 rows: id INT64 (8), name STRING (2 + 10 or 11), country STRING (2 + 2, 6 NULL), signup DATE (8)
    long names = 9 * (2 + 10) + 21 * (2 + 11);
    long countries = 30 * 2 + 24 * 2;
    assertEquals(30 * 8 + names + countries + 30 * 8, s.getTotalBytesProcessed());
  }

  @Test
  void aKeyItDoesNotKnowGetsNoToken() throws Exception {
    String unknown = ServiceAccountKey.create(fake.project(), "stranger", fake.tokenUri(), "x").json();
    BigQueryException e = assertThrows(BigQueryException.class,
        () -> run(client(unknown), "SELECT 1 FROM `my-proj-1`.shop.customers"));
    assertTrue(String.valueOf(e.getMessage()).contains("invalid_grant"), e.getMessage());
  }
}
