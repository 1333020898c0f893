package io.gatehouse.adapter.postgresql;

import io.gatehouse.adapter.postgresql.testing.PostgresFixture;
import io.gatehouse.core.testing.SourceContractTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The adapter contract against a real PostgreSQL 16. */
class PostgresContractTest extends SourceContractTest {
  private final PostgresFixture pg = PostgresFixture.get();

  @Override
  protected Map<String, Object> sourceEntry(String user, String password) {
    return Map.of("type", "postgresql", "host", pg.host(), "port", pg.port(),
        "database", pg.database(), "user", user, "password", password, "tls", "disable",
        "pool", Map.of("connectionTimeout", "2s"));
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
    return List.of(
        "drop schema if exists contract cascade",
        "drop schema if exists contract2 cascade",
        "create schema contract",
        "create schema contract2",
        "create table contract.people(id int primary key, name varchar(40) not null,"
            + " city varchar(40), born date, score numeric(10,2), active boolean, visits bigint)",
        "create table contract.purchases(id int primary key, person_id int,"
            + " amount numeric(12,2), bought_at timestamp)",
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
    try (Connection c = pg.adminConnection();
        PreparedStatement ps = c.prepareStatement("select count(*) from pg_stat_activity"
            + " where state = 'active' and pid <> pg_backend_pid() and query like ?")) {
      ps.setString(1, fragmentPattern);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
