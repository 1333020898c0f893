package io.gatehouse.server;

import io.gatehouse.core.config.ServerConfig;
import io.gatehouse.server.auth.PasswordHasher;

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
}
