package io.gatehouse.server;

import java.util.List;

/**
 * Who an HTTP request comes from, once authenticated.
 *
 * @param sources the ids of the sources the user may use
 * @param allSources true for the anonymous user of a server without users (loopback only)
 */
public record Principal(String name, List<String> sources, boolean allSources) {
  public Principal {
    sources = List.copyOf(sources);
  }

  /** The user of a server that has no users configured; it may only listen on loopback. */
  public static Principal anonymous() {
    return new Principal("anonymous", List.of(), true);
  }
}
