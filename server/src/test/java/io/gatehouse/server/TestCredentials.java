package io.gatehouse.server;

import io.gatehouse.core.config.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

/** Credentials for server tests: real hashes of the users' passwords, checked like the server does. */
final class TestCredentials {
  private TestCredentials() {}

  static String hashOf(String password) {
    try {
      return "$2a$test$" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(password.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static CredentialCheck forUsers(ServerConfig server) {
    return (user, password, remote) -> {
      for (ServerConfig.User u : server.users()) {
        if (u.name().equals(user) && u.passwordHash().equals(hashOf(new String(password)))) {
          return Optional.of(new Principal(u.name(), u.sources(), false));
        }
      }
      return Optional.empty();
    };
  }
}
