package io.gatehouse.adapter.h2;

import io.gatehouse.core.testing.SourceContractTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The adapter contract against H2 2.x in memory. H2 cannot make a session read-only for a login that
 * may write, so that capability is not claimed; the reader login's rights are the wall there.
 */
class H2ContractTest extends SourceContractTest {
  private static final String DB = "contract_h2";
  private static final String ADMIN_PASSWORD = "h2-admin-secret";
  private static final String READER_PASSWORD = "h2-reader-secret";
  private static final Connection KEEPER = open();

  private static Connection open() {
    try {
      return DriverManager.getConnection("jdbc:h2:mem:" + DB + ";DB_CLOSE_DELAY=-1", "SA", ADMIN_PASSWORD);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected Map<String, Object> sourceEntry(String user, String password) {
    return Map.of("type", "h2", "memory", DB, "user", user, "password", password);
  }

  @Override
  protected String readerUser() {
    return "READER";
  }

  @Override
  protected String readerPassword() {
    return READER_PASSWORD;
  }

  @Override
  protected String adminUser() {
    return "SA";
  }

  @Override
  protected String adminPassword() {
    return ADMIN_PASSWORD;
  }

  @Override
  protected Connection adminConnection() throws SQLException {
    return DriverManager.getConnection("jdbc:h2:mem:" + DB, "SA", ADMIN_PASSWORD);
  }

  @Override
  protected List<String> datasetDdl() {
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
        "create user if not exists READER password '" + READER_PASSWORD + "'",
        "grant select on schema contract to READER",
        "grant select on schema contract2 to READER");
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
    return "%\"A\".\"N\" + \"B\".\"N\"%";
  }

  @Override
  protected int countRunningAtSource(String fragmentPattern) throws SQLException {
    try (PreparedStatement ps = KEEPER.prepareStatement("select count(*) from information_schema.sessions"
        + " where upper(executing_statement) like upper(?) and session_id <> session_id()")) {
      ps.setString(1, fragmentPattern);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
