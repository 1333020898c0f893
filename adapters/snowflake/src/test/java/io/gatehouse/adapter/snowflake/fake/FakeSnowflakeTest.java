package io.gatehouse.adapter.snowflake.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fake Snowflake itself, driven by the real snowflake-jdbc driver without Gatehouse. */
class FakeSnowflakeTest {
  private static FakeSnowflake fake;

  @BeforeAll
  static void start() throws Exception {
    fake = new FakeSnowflake("fakeacct", "analytics");
    fake.createRole("SYSADMIN", true);
    fake.addPasswordUser("admin", "admin-pw", "SYSADMIN");
  }

  @AfterAll
  static void stop() {
    fake.close();
  }

  private static Connection connect(String user, String password) throws SQLException {
    Properties p = new Properties();
    p.put("user", user);
    p.put("password", password);
    p.put("db", "analytics");
    p.put("warehouse", "wh");
    p.put("JDBC_QUERY_RESULT_FORMAT", "JSON");
    return DriverManager.getConnection("jdbc:snowflake://127.0.0.1:" + fake.port()
        + "/?account=fakeacct&ssl=off", p);
  }

  @Test
  void realDriverCreatesInsertsAndQueries() throws Exception {
    try (Connection c = connect("admin", "admin-pw"); Statement s = c.createStatement()) {
      s.execute("create schema smoke");
      s.execute("create table smoke.t (id number(9,0) primary key, name varchar(20), amount number(12,2),"
          + " d date, ts timestamp_ntz)");
      try (PreparedStatement ps = c.prepareStatement("insert into smoke.t (id, name, amount) values (?, ?, ?)")) {
        for (int i = 1; i <= 3; i++) {
          ps.setInt(1, i);
          ps.setString(2, "n" + i);
          ps.setBigDecimal(3, new BigDecimal(i + ".25"));
          ps.addBatch();
        }
        ps.executeBatch();
      }
      try (ResultSet rs = s.executeQuery("select id, name, amount from analytics.smoke.t where id > 1 order by id")) {
        assertTrue(rs.next());
        assertEquals(2, rs.getInt(1));
        assertEquals("n2", rs.getString(2));
        assertEquals(new BigDecimal("2.25"), rs.getBigDecimal(3));
        assertTrue(rs.next());
        assertEquals(3, rs.getInt("ID"));
      }
    }
  }

  @Test
  void wrongPasswordIsRefused() {
    SQLException e = assertThrows(SQLException.class, () -> connect("admin", "nope"));
    assertEquals(390100, e.getErrorCode(), e.getMessage());
  }
}
