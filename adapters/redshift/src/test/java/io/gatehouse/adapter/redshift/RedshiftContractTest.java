package io.gatehouse.adapter.redshift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.adapter.postgresql.testing.PostgresFixture;
import io.gatehouse.adapter.redshift.testing.RedshiftTestServer;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.testing.SourceContractTest;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The adapter contract with Amazon's real Redshift JDBC driver, against a real PostgreSQL 16 behind
 * the {@link io.gatehouse.adapter.redshift.testing.StartupRewritingProxy} (which only drops the
 * startup parameters PostgreSQL refuses and performs SCRAM for the driver).
 */
class RedshiftContractTest extends SourceContractTest {
  private final RedshiftTestServer server = RedshiftTestServer.get();
  private final PostgresFixture pg = server.postgres();

  @Override
  protected Map<String, Object> sourceEntry(String user, String password) {
    return server.sourceEntry(user, password);
  }

  @Override
  protected String readerUser() {
    return pg.readerUser();
  }

  @Override
  protected String readerPassword() {
    return pg.readerPassword();
  }

  @Override
  protected String adminUser() {
    return pg.adminUser();
  }

  @Override
  protected String adminPassword() {
    return pg.adminPassword();
  }

  @Override
  protected Connection adminConnection() throws SQLException {
    return pg.adminConnection();
  }

  @Override
  protected List<String> datasetDdl() {
    String ro = pg.readerUser();
    // Written so that Redshift would accept it too (no serial, no arrays).
    return List.of(
        "drop schema if exists contract cascade",
        "drop schema if exists contract2 cascade",
        "create schema contract",
        "create schema contract2",
        "create table contract.people(id int primary key, name varchar(40) not null,"
            + " city varchar(40), born date, score decimal(10,2), active boolean, visits bigint)",
        "create table contract.purchases(id int primary key, person_id int,"
            + " amount decimal(12,2), bought_at timestamp)",
        "create table contract.numbers(n int primary key)",
        "create table contract2.cities(name varchar(40) primary key, country varchar(40))",
        "grant usage on schema contract, contract2 to " + ro,
        "grant select on all tables in schema contract to " + ro,
        "grant select on all tables in schema contract2 to " + ro);
  }

  @Override
  protected String directName(String schema, String table) {
    return schema + "." + table;
  }

  @Override
  protected Set<Capability> capabilities() {
    return all();
  }

  @Override
  protected String slowQueryPatternAtSource() {
    return "%a\".\"n\" + \"b\".\"n\"%";
  }

  @Override
  protected int countRunningAtSource(String fragmentPattern) throws SQLException {
    try {
      return pg.activeStatements(fragmentPattern);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void theRealRedshiftDriverTalkedToPostgresThroughTheProxy() {
    rows(engine.query("select count(*) from " + t("contract", "people")));
    Set<String> dropped = server.plain().droppedParameters();
    assertTrue(dropped.contains("driver_version") && dropped.contains("client_protocol_version"),
        () -> "the Redshift driver's own startup parameters were sent: " + dropped);
    Map<String, String> startup = server.plain().startups().get(server.plain().startups().size() - 1);
    assertEquals("gatehouse", startup.get("application_name"), startup::toString);
  }

  @Test
  void largeResultsAreReadThroughACursorInFetchSizeBatches() {
    try (Gatehouse small = open(readerUser(), readerPassword(),
        Map.of("fetchSize", 100, "maxRows", 5000))) {
      rows(small.query("select count(*) from " + t("contract", "numbers"))); // catalog read
      int before = server.plain().executes();
      List<List<Object>> all = rows(small.query("select n from " + t("contract", "numbers")));
      assertEquals(2000, all.size());
      int batches = server.plain().executes() - before;
      // 2000 rows / 100 per fetch; the driver's ring buffer would read them with one Execute.
      assertTrue(batches >= 20, () -> "fetches of 100 rows through a cursor: " + batches);
    }
  }
}
