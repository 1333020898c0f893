package io.gatehouse.server.auth;

import java.util.List;

/**
 * A user whose password was checked.
 *
 * @param name the name as the configuration writes it (logins match names ignoring case)
 * @param sourceIds the ids of the sources this user may query and browse, as configured
 */
public record AuthenticatedUser(String name, List<String> sourceIds) {
  public AuthenticatedUser {
    sourceIds = List.copyOf(sourceIds);
  }
}
