package io.gatehouse.core.config;

import java.time.Duration;

/**
 * Connection pool bounds for one source ({@code pool:}). The pool is created on first use, so a
 * source that is down at startup does not stop the engine.
 */
public record PoolConfig(
    int maxSize, int minIdle, Duration connectionTimeout, Duration idleTimeout, Duration maxLifetime) {

  public static PoolConfig defaults() {
    return new PoolConfig(10, 0, Duration.ofSeconds(5), Duration.ofMinutes(10), Duration.ofMinutes(30));
  }

  static PoolConfig read(ConfigObject o) {
    PoolConfig d = defaults();
    if (o == null) {
      return d;
    }
    int before = o.problems().size();
    int maxSize = o.integer("maxSize", 1, 1000, d.maxSize());
    boolean maxSizeValid = o.problems().size() == before;
    int minIdle = o.integer("minIdle", 0, 1000, d.minIdle());
    // Compared only with a maxSize the user wrote validly, not with the default that replaced a bad one.
    if (minIdle > maxSize && maxSizeValid) {
      o.problem("minIdle", "must not exceed maxSize (" + maxSize + "), got " + minIdle
          + "; lower minIdle or raise maxSize");
      minIdle = Math.min(minIdle, maxSize);
    }
    // HikariCP's own lower bounds: 250ms to connect, 10s idle, 30s lifetime.
    Duration connectionTimeout = o.duration("connectionTimeout", Duration.ofMillis(250),
        Duration.ofMinutes(10), d.connectionTimeout());
    Duration idleTimeout = o.duration("idleTimeout", Duration.ofSeconds(10), Duration.ofDays(1),
        d.idleTimeout());
    Duration maxLifetime = o.duration("maxLifetime", Duration.ofSeconds(30), Duration.ofDays(7),
        d.maxLifetime());
    o.finish();
    return new PoolConfig(maxSize, minIdle, connectionTimeout, idleTimeout, maxLifetime);
  }
}
