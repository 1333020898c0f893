package io.gatehouse.server;

import java.util.Optional;

/** Checks HTTP BASIC credentials; empty when they are wrong (never says which part). */
@FunctionalInterface
public interface CredentialCheck {
  Optional<Principal> check(String user, char[] password, String remoteAddress);
}
