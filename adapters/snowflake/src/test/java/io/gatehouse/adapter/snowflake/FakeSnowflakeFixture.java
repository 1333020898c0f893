package io.gatehouse.adapter.snowflake;

import io.gatehouse.adapter.snowflake.fake.FakeSnowflake;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import net.snowflake.client.jdbc.SnowflakeDriver;

/**
 * A {@link FakeSnowflake} (a local fake of Snowflake's HTTP protocol, not Snowflake) set up as the
 * adapter tests need it: account GATEHOUSE_FAKE with database ANALYTICS, a read-only role
 * GATEHOUSE_READER for the reader, and SYSADMIN, which may write, for the admin. The reader is also
 * granted SYSADMIN, so only {@code USE SECONDARY ROLES NONE} keeps its sessions from writing.
 *
 * <p>Public (and in this module's test jar) for the server's test that runs every adapter at once.
 */
public final class FakeSnowflakeFixture implements AutoCloseable {
  static final String ACCOUNT = "gatehouse_fake";
  static final String DATABASE = "analytics";
  static final String WAREHOUSE = "compute_wh";
  public static final String READER = "gatehouse_reader";
  static final String READER_ROLE = "gatehouse_reader_role";
  static final String ADMIN = "admin";
  static final String ADMIN_ROLE = "sysadmin";

  final FakeSnowflake fake;
  public final String readerPassword = "reader-Pw-" + System.nanoTime();
  final String adminPassword = "admin-Pw-" + System.nanoTime();

  public FakeSnowflakeFixture() throws Exception {
    fake = new FakeSnowflake(ACCOUNT, DATABASE);
    fake.createRole(READER_ROLE, false);
    fake.createRole(ADMIN_ROLE, true);
    fake.addPasswordUser(READER, readerPassword, READER_ROLE).grant(ADMIN_ROLE);
    fake.addPasswordUser(ADMIN, adminPassword, ADMIN_ROLE);
  }

  /** A source entry (without id) for the fake, logging in with a password. */
  public Map<String, Object> source(String user, String password) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "snowflake");
    m.put("account", ACCOUNT);
    m.put("host", "127.0.0.1");
    m.put("port", fake.port());
    m.put("tls", "disable");
    m.put("user", user);
    if (password != null) {
      m.put("password", password);
    }
    m.put("database", DATABASE);
    m.put("warehouse", WAREHOUSE);
    m.put("role", user.equals(ADMIN) ? ADMIN_ROLE : READER_ROLE);
    m.put("pool", Map.of("connectionTimeout", "2s"));
    return m;
  }

  /** A plain driver connection as the admin, with the adapter's java.time support. */
  public Connection adminConnection() throws SQLException {
    return adminConnectionAs(ADMIN, adminPassword, ADMIN_ROLE);
  }

  /** A plain driver connection (secondary roles as the user's default) for the given login. */
  Connection adminConnectionAs(String user, String password, String role) throws SQLException {
    Properties p = new Properties();
    p.put("user", user);
    p.put("password", password);
    p.put("db", DATABASE);
    p.put("warehouse", WAREHOUSE);
    p.put("role", role);
    p.put("JDBC_QUERY_RESULT_FORMAT", "JSON");
    SnowflakeJdbc.SESSION_FORMATS.forEach(p::put);
    return SnowflakeJdbc.wrap(new SnowflakeDriver().connect("jdbc:snowflake://127.0.0.1:" + fake.port()
        + "/?account=" + ACCOUNT + "&ssl=off", p));
  }

  @Override
  public void close() {
    fake.close();
  }
}
