package io.gatehouse.adapter.h2;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Opens the pool's H2 sessions and checks each one before the pool gets it.
 *
 * <p>H2 2.x has no read-only session: {@code Connection.setReadOnly} does nothing and
 * {@code SET READONLY} is not implemented. What is read-only is a whole database opened with
 * {@code ACCESS_MODE_DATA=r}, and only if this JVM did not have it open already: H2 shares one open
 * database between all connections of a JVM and ignores the setting of later ones. So a file source's
 * session is used only if {@code READONLY()} is true; otherwise it is closed and refused, rather than
 * silently handed out writable. In-memory databases are always writable; the login's rights are what
 * keeps them unchanged (an admin login is reported to the connector).
 *
 * <p>Every session starts with the source's statement timeout ({@code SET QUERY_TIMEOUT}, enforced by
 * H2 itself).
 */
final class H2Sessions implements DataSource {
  private static final Driver DRIVER = new org.h2.Driver();

  private final H2SourceSettings settings;
  private final long timeoutMillis;
  private final Consumer<String> adminLogin;
  private volatile int loginTimeoutSeconds = 5;

  /**
   * @param adminLogin called with the login's name when an in-memory source logs in as an H2 admin
   */
  H2Sessions(H2SourceSettings settings, long timeoutMillis, Consumer<String> adminLogin) {
    this.settings = settings;
    this.timeoutMillis = timeoutMillis;
    this.adminLogin = adminLogin;
  }

  /** The statement that gives a session the source's statement timeout, in milliseconds. */
  static String timeoutSql(long millis) {
    return "SET QUERY_TIMEOUT " + Math.max(1, Math.min(Integer.MAX_VALUE, millis));
  }

  @Override
  public Connection getConnection() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", settings.user());
    char[] password = settings.password() == null ? new char[0] : settings.password().reveal();
    p.put("password", password);
    Connection c;
    try {
      c = DRIVER.connect(settings.url(), p);
    } finally {
      Arrays.fill(password, '\0');
      p.clear();
    }
    try (Statement s = c.createStatement()) {
      s.execute(timeoutSql(timeoutMillis));
      try (ResultSet rs = s.executeQuery("SELECT READONLY(), (SELECT IS_ADMIN FROM"
          + " INFORMATION_SCHEMA.USERS WHERE USER_NAME = CURRENT_USER), CURRENT_USER")) {
        rs.next();
        boolean readOnly = rs.getBoolean(1);
        boolean admin = rs.getBoolean(2);
        if (!settings.inMemory() && !readOnly) {
          throw new NotReadOnlyException();
        }
        if (settings.inMemory() && admin) {
          adminLogin.accept(rs.getString(3));
        }
      }
      return c;
    } catch (SQLException | RuntimeException e) {
      try {
        c.close();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** A file source's session that H2 opened writable, because this JVM already had the file open. */
  static final class NotReadOnlyException extends SQLException {
    private static final long serialVersionUID = 1L;

    NotReadOnlyException() {
      // 08004: the connection was refused, by Gatehouse rather than the server.
      super("the H2 database is already open for writing in this JVM; it cannot be opened read-only",
          "08004");
    }
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("the login is taken from the source's configuration");
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  /** Kept for the pool, which sets it and waits this long for connection attempts on shutdown. */
  @Override
  public void setLoginTimeout(int seconds) {
    loginTimeoutSeconds = seconds;
  }

  @Override
  public int getLoginTimeout() {
    return loginTimeoutSeconds;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("not a wrapper of " + iface.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }
}
