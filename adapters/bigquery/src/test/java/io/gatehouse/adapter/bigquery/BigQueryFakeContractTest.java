package io.gatehouse.adapter.bigquery;

import io.gatehouse.adapter.bigquery.fake.FakeBigQuery;
import io.gatehouse.adapter.bigquery.fake.ServiceAccountKey;
import io.gatehouse.adapter.bigquery.testing.FakeBigQueryFixture;
import io.gatehouse.core.testing.SourceContractTest;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The adapter contract against the <b>fake</b> BigQuery ({@link FakeBigQuery}): the real client
 * library over HTTP, the SQL Gatehouse generates executed by the fake over the contract dataset.
 * Direct comparisons read the fake's fixture database (H2) directly.
 *
 * <p>All capabilities are claimed: window functions and cross-dataset joins are GoogleSQL;
 * {@code jobTimeoutMs} is the timeout at the source; and sessions are read-only because only
 * statements whose dry run BigQuery types as SELECT are run (there is no read-only session in
 * BigQuery; see docs/adapters/bigquery.md).
 */
class BigQueryFakeContractTest extends SourceContractTest {
  private static final String READER_PASSWORD = "reader";

  private final FakeBigQuery fake = FakeBigQueryFixture.fake();

  @Override
  protected Map<String, Object> sourceEntry(String user, String password) {
    String key = READER_PASSWORD.equals(password) ? FakeBigQueryFixture.reader().json()
        // A key the fake does not know, carrying the "password" so that a leak would show.
        : ServiceAccountKey.create(FakeBigQueryFixture.PROJECT, user, fake.tokenUri(), password).json();
    return FakeBigQueryFixture.sourceEntry(key);
  }

  @Override
  protected String readerUser() {
    return "gatehouse-reader";
  }

  @Override
  protected String readerPassword() {
    return READER_PASSWORD;
  }

  @Override
  protected String adminUser() {
    return "gatehouse-reader";
  }

  @Override
  protected String adminPassword() {
    return READER_PASSWORD;
  }

  @Override
  protected Connection adminConnection() throws SQLException {
    return fake.adminConnection();
  }

  @Override
  protected List<String> datasetDdl() {
    return List.of(
        "drop schema if exists contract cascade",
        "drop schema if exists contract2 cascade",
        "create schema contract",
        "create schema contract2",
        "create table contract.people(id int primary key, name varchar(40) not null,"
            + " city varchar(40), born date, score decimal(10,2), active boolean, visits bigint)",
        "create table contract.purchases(id int primary key, person_id int, amount decimal(12,2),"
            + " bought_at timestamp)",
        "create table contract.numbers(n int primary key)",
        "create table contract2.cities(name varchar(40) primary key, country varchar(40))");
  }

  @Override
  protected String directName(String schema, String table) {
    return schema + "." + table;
  }

  @Override
  protected Set<Capability> capabilities() {
    return EnumSet.allOf(Capability.class);
  }

  @Override
  protected Class<?> integerColumnClass() {
    return Long.class; // INT64 is BigQuery's only integer type
  }

  /** Sent through the facade to BigQuery, so in GoogleSQL with the project. */
  @Override
  protected String directSlowQuery() {
    String n = "`" + FakeBigQueryFixture.PROJECT + "`.contract.numbers";
    return "select count(*) from " + n + " a, " + n + " b, " + n + " c where a.n + b.n + c.n > 17";
  }

  @Override
  protected String slowQueryPatternAtSource() {
    return "%numbers%numbers%numbers%";
  }

  @Override
  protected int countRunningAtSource(String fragmentPattern) {
    return fake.runningJobsLike(fragmentPattern);
  }
}
