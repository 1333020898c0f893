package io.gatehouse.adapter.mysql;

import io.gatehouse.core.config.NetworkSourceSettings;
import io.gatehouse.core.spi.JdbcSourceConnector;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Tells MySQL from MariaDB before the pool is built, because their session variables for read-only
 * and statement timeouts have different names. One short connection, once per source.
 */
final class MySqlFlavor {
  private MySqlFlavor() {}

  static boolean isMariaDb(String url, Properties base, NetworkSourceSettings settings,
      JdbcSourceConnector connector) {
    Properties p = new Properties();
    p.putAll(base);
    if (settings.password() != null) {
      p.setProperty("password", settings.password().revealAsString());
    }
    try {
      Driver driver = new com.mysql.cj.jdbc.Driver();
      try (Connection c = driver.connect(url, p)) {
        return c.getMetaData().getDatabaseProductVersion().toLowerCase(java.util.Locale.ROOT)
            .contains("mariadb");
      }
    } catch (SQLException e) {
      throw connector.translate(e);
    } finally {
      p.remove("password");
    }
  }
}
