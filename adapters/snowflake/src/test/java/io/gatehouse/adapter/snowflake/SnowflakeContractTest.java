package io.gatehouse.adapter.snowflake;

import io.gatehouse.core.testing.SourceContractTest;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;

/**
 * The adapter contract, driving the real snowflake-jdbc driver against {@link FakeSnowflakeFixture},
 * a local FAKE of Snowflake's protocol that executes the SQL it receives over the contract's data.
 *
 * <p>The dataset is created with Snowflake's DDL and unquoted names, so Snowflake folds them to
 * CONTRACT.PEOPLE...; the contract configures and queries them in lower case, which is the folding
 * the adapter must handle. Integer columns are declared NUMBER(9,0) and NUMBER(18,0) (Snowflake's
 * INT is NUMBER(38,0), which the adapter maps exactly to DECIMAL(38,0)).
 *
 * <p>Not claimed: {@link Capability#READ_ONLY_SESSIONS}. Snowflake has no read-only session; a
 * session is as writable as its role (see {@code SnowflakeSessionTest} for the posture that is
 * enforced: the configured role only, secondary roles off).
 */
class SnowflakeContractTest extends SourceContractTest {
  private final FakeSnowflakeFixture fixture;

  SnowflakeContractTest() throws Exception {
    fixture = new FakeSnowflakeFixture();
  }

  @AfterAll
  void stopFake() {
    fixture.close();
  }

  @Override
  protected Map<String, Object> sourceEntry(String user, String password) {
    return fixture.source(user, password);
  }

  @Override
  protected String readerUser() {
    return FakeSnowflakeFixture.READER;
  }

  @Override
  protected String readerPassword() {
    return fixture.readerPassword;
  }

  @Override
  protected String adminUser() {
    return FakeSnowflakeFixture.ADMIN;
  }

  @Override
  protected String adminPassword() {
    return fixture.adminPassword;
  }

  @Override
  protected Connection adminConnection() throws SQLException {
    return fixture.adminConnection();
  }

  @Override
  protected List<String> datasetDdl() {
    return List.of(
        "create or replace schema contract",
        "create or replace schema contract2",
        "create table contract.people(id number(9,0) primary key, name varchar(40) not null,"
            + " city varchar(40), born date, score number(10,2), active boolean, visits number(18,0))",
        "create table contract.purchases(id number(9,0) primary key, person_id number(9,0),"
            + " amount number(12,2), bought_at timestamp_ntz)",
        "create table contract.numbers(n number(9,0) primary key)",
        "create table contract2.cities(name varchar(40) primary key, country varchar(40))");
  }

  @Override
  protected String directName(String schema, String table) {
    return schema + "." + table;
  }

  @Override
  protected Set<Capability> capabilities() {
    return EnumSet.of(Capability.WINDOW_FUNCTIONS, Capability.CROSS_SCHEMA_JOIN,
        Capability.STATEMENT_TIMEOUT_AT_SOURCE);
  }

  @Override
  protected String slowQueryPatternAtSource() {
    return "%\"NUMBERS\"%";
  }

  @Override
  protected int countRunningAtSource(String fragmentPattern) {
    Pattern p = Pattern.compile(Pattern.quote(fragmentPattern).replace("%", "\\E.*\\Q"), Pattern.DOTALL);
    return (int) fixture.fake.runningStatements().stream().filter(s -> p.matcher(s).matches()).count();
  }
}
