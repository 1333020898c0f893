package io.gatehouse.server;

import io.gatehouse.core.config.ServerConfig;
import io.gatehouse.server.auth.Authenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The server's credential check: {@code server.users} and their hashes, through the Authenticator. */
public final class Credentials {
  private static final Logger AUDIT = LoggerFactory.getLogger("gatehouse.audit");

  private Credentials() {}

  /** A check over the configured users, or null when there are none (anonymous, loopback only). */
  public static CredentialCheck of(ServerConfig server) {
    if (server.users().isEmpty()) {
      return null;
    }
    Authenticator authenticator = new Authenticator(server.users(), (user, remote, reason) ->
        AUDIT.info("{\"event\":\"auth_failed_detail\",\"remote\":\"{}\",\"reason\":\"{}\"}", remote, reason));
    return (user, password, remote) -> authenticator.authenticate(user, password, remote)
        .map(a -> new Principal(a.name(), a.sourceIds(), false));
  }
}
