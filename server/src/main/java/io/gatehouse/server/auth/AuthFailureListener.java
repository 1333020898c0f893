package io.gatehouse.server.auth;

/**
 * Told of every rejected login attempt, for the audit log. The caller of
 * {@link Authenticator#authenticate} only learns that the attempt failed; the reason is for the
 * server's log and must never reach the client.
 */
@FunctionalInterface
public interface AuthFailureListener {
  /**
   * @param user the user name as given (may be null or not a valid name; never the password),
   *     with control characters replaced by '?' and cut at 100 characters, so it cannot break a
   *     log line
   * @param remoteAddress the client's address as given to the authenticator, made safe the same
   *     way
   * @param reason why, e.g. {@code unknown user}, {@code wrong password}, {@code locked out ...}
   */
  void onAuthFailure(String user, String remoteAddress, String reason);
}
