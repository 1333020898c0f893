package io.gatehouse.server;

import io.gatehouse.core.config.ServerConfig;
import io.gatehouse.server.auth.PasswordHasher;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Server tests log in exactly as users do: argon2id hashes in the config, the real Authenticator. */
final class TestCredentials {
  private static final PasswordHasher HASHER = new PasswordHasher();

  private TestCredentials() {}

  static String hashOf(String password) {
    return HASHER.hash(password.toCharArray());
  }

  static CredentialCheck forUsers(ServerConfig server) {
    return Credentials.of(server);
  }

  /**
   * A connection through the stock Avatica remote driver with HTTP BASIC login, as a BI tool opens
   * one.
   *
   * @param serialization {@code protobuf} or {@code json}
   */
  static Connection connect(String url, String user, String password, String serialization)
      throws SQLException {
    Properties p = new Properties();
    p.setProperty("url", url);
    p.setProperty("serialization", serialization);
    p.setProperty("authentication", "BASIC");
    p.setProperty("avatica_user", user);
    p.setProperty("avatica_password", password);
    return DriverManager.getConnection("jdbc:avatica:remote:", p);
  }
}
