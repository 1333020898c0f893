package io.gatehouse.adapter.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.adapter.mysql.testing.MariaDbFixture;
import io.gatehouse.core.exec.SourceStatement;
import io.gatehouse.core.testing.SourceContractTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The adapter contract against a real MariaDB 11.4, through MySQL Connector/J. */
class MariaDbContractTest extends SourceContractTest {
  private final MariaDbFixture db = MariaDbFixture.get();

  @Override
  protected Map<String, Object> sourceEntry(String user, String password) {
    return Map.of("type", "mariadb", "host", db.host(), "port", db.port(), "user", user,
        "password", password, "tls", "disable", "pool", Map.of("connectionTimeout", "2s"));
  }

  @Override
  protected String readerUser() {
    return db.readerUser();
  }

  @Override
  protected String readerPassword() {
    return db.readerPassword();
  }

  @Override
  protected String adminUser() {
    return db.adminUser();
  }

  @Override
  protected String adminPassword() {
    return db.adminPassword();
  }

  @Override
  protected Connection adminConnection() throws SQLException {
    return db.adminConnection();
  }

  @Override
  protected List<String> datasetDdl() {
    String ro = "'" + db.readerUser() + "'@'%'";
    return List.of(
        "drop database if exists contract",
        "drop database if exists contract2",
        "create database contract character set utf8mb4 collate utf8mb4_bin",
        "create database contract2 character set utf8mb4 collate utf8mb4_bin",
        "create table contract.people(id int primary key, name varchar(40) not null,"
            + " city varchar(40), born date, score decimal(10,2), active boolean, visits bigint)",
        "create table contract.purchases(id int primary key, person_id int,"
            + " amount decimal(12,2), bought_at datetime(6))",
        "create table contract.numbers(n int primary key)",
        "create table contract2.cities(name varchar(40) primary key, country varchar(40))",
        "grant select on contract.* to " + ro,
        "grant select on contract2.* to " + ro);
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
    return "%`a`.`n` + `b`.`n`%";
  }

  @Override
  protected int countRunningAtSource(String fragmentPattern) throws SQLException {
    try (Connection c = db.adminConnection();
        PreparedStatement ps = c.prepareStatement("select count(*) from information_schema.processlist"
            + " where command in ('Query', 'Execute') and id <> connection_id() and info like ?")) {
      ps.setString(1, fragmentPattern);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /**
   * HAVING names its aggregate rather than a select-list alias, so a grouped subquery whose select
   * list drops the aggregate stays one SELECT: MariaDB turns such an IN into a semi-join, which it
   * does not do over a derived table (TPC-H Q18).
   */
  @Test
  void havingInAnInSubqueryIsWrittenWithoutADerivedTable() throws Exception {
    String sql = "select id from %s where id in (select person_id from %s group by person_id"
        + " having sum(amount) > 700) order by id";
    List<List<Object>> expected = direct(String.format(sql, directName("contract", "people"),
        directName("contract", "purchases")));
    assertFalse(expected.isEmpty(), "the fixture has such people");
    List<SourceStatement> s = sentDuring(() -> assertEquals(expected, rows(engine.query(
        String.format(sql, t("contract", "people"), t("contract", "purchases"))))));
    assertEquals(1, s.size(), () -> "statements: " + s);
    String sent = s.get(0).sql().toUpperCase(Locale.ROOT);
    assertTrue(sent.contains("HAVING SUM(") && !sent.contains(") AS `T"), sent);
  }
}
