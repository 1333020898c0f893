package io.gatehouse.core.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code server:} section: where the JDBC server listens, its TLS keystore, and its users.
 *
 * @param tls null when the server speaks plain HTTP
 * @param limits connection and statement limits of the server
 */
public record ServerConfig(String bind, int port, Tls tls, List<User> users, Limits limits) {
  public static final String DEFAULT_BIND = "127.0.0.1";
  public static final int DEFAULT_PORT = 8765;
  private static final Pattern USER_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.@-]{0,63}");

  public ServerConfig {
    users = List.copyOf(users);
  }

  public static ServerConfig defaults() {
    return new ServerConfig(DEFAULT_BIND, DEFAULT_PORT, null, List.of(), Limits.defaults());
  }

  /**
   * How much the server lets clients hold.
   *
   * @param maxConnections open JDBC connections in total
   * @param maxConnectionsPerUser open JDBC connections of one user
   * @param maxStatementsPerConnection open statements of one connection
   * @param idleTimeout a connection unused this long is closed by the server
   * @param shutdownGrace on shutdown, how long running queries may finish
   */
  public record Limits(int maxConnections, int maxConnectionsPerUser, int maxStatementsPerConnection,
      java.time.Duration idleTimeout, java.time.Duration shutdownGrace) {
    public static Limits defaults() {
      return new Limits(200, 20, 100, java.time.Duration.ofMinutes(30), java.time.Duration.ofSeconds(30));
    }

    static Limits read(ConfigObject o) {
      Limits d = defaults();
      int max = o.integer("maxConnections", 1, 100_000, d.maxConnections());
      int perUser = o.integer("maxConnectionsPerUser", 1, 100_000, d.maxConnectionsPerUser());
      if (perUser > max) {
        o.problem("maxConnectionsPerUser", "must not exceed maxConnections (" + max + "), got " + perUser);
      }
      return new Limits(max, Math.min(perUser, max),
          o.integer("maxStatementsPerConnection", 1, 100_000, d.maxStatementsPerConnection()),
          o.duration("idleTimeout", java.time.Duration.ofSeconds(10), java.time.Duration.ofDays(7),
              d.idleTimeout()),
          o.duration("shutdownGrace", java.time.Duration.ZERO, java.time.Duration.ofHours(1),
              d.shutdownGrace()));
    }
  }

  /** A PKCS12 keystore holding the server's certificate and key. */
  public record Tls(Path keystore, Secret password) {}

  /**
   * A user of the server.
   *
   * @param passwordHash a bcrypt or argon2id hash, never the password itself
   * @param sources the ids of the sources this user may query and browse
   */
  public record User(String name, String passwordHash, List<String> sources) {
    public User {
      sources = List.copyOf(sources);
    }

    @Override
    public String toString() {
      return "User[name=" + name + ", passwordHash=****, sources=" + sources + "]";
    }
  }

  /**
   * @param sourceIds the ids of the configured sources as written; users' {@code sources} match them
   *     ignoring case
   */
  static ServerConfig read(ConfigObject o, Set<String> sourceIds) {
    if (o == null) {
      return defaults();
    }
    Set<String> knownIds = new HashSet<>();
    sourceIds.forEach(id -> knownIds.add(id.toLowerCase(Locale.ROOT)));
    String defined = sourceIds.isEmpty() ? "no sources are defined"
        : "defined sources: " + String.join(", ", sourceIds);
    String bind = o.string("bind");
    Integer port = o.integer("port", 1, 65535, DEFAULT_PORT);
    Tls tls = null;
    ConfigObject t = o.object("tls");
    if (t != null) {
      String keystore = t.requiredString("keystore", "path of a PKCS12 file with the server certificate and key");
      Secret password = t.secret("password");
      Path keystorePath = keystore == null ? null : Path.of(keystore);
      if (keystorePath != null && (!Files.isRegularFile(keystorePath) || !Files.isReadable(keystorePath))) {
        t.problem("keystore", "file " + keystore + " does not exist or cannot be read; give the path"
            + " of a readable PKCS12 file with the server certificate and key");
      }
      t.finish();
      tls = keystorePath == null ? null : new Tls(keystorePath, password);
    }
    List<User> users = new ArrayList<>();
    Map<String, String> names = new HashMap<>();
    for (ConfigObject u : o.objectList("users")) {
      String name = u.requiredString("name", "the login name");
      if (name != null && !USER_NAME.matcher(name).matches()) {
        u.problem("name", "must start with a letter and hold only letters, digits, '_', '.', '@' or '-' (at most 64), got '" + name + "'");
      } else if (name != null) {
        String previous = names.putIfAbsent(name.toLowerCase(Locale.ROOT), u.path());
        if (previous != null) {
          u.problem("name", "user '" + name + "' is defined twice (also by " + previous
              + "); user names must be unique, ignoring case: merge the two entries");
        }
      }
      String hash = u.requiredString("passwordHash", "create one with: gatehouse user add NAME");
      if (hash != null && !(hash.startsWith("$argon2") || hash.startsWith("$2a$")
          || hash.startsWith("$2b$") || hash.startsWith("$2y$"))) {
        u.problem("passwordHash", "must be an argon2id or bcrypt hash (create one with: gatehouse user add NAME), not a password");
      }
      List<String> sources = u.stringList("sources");
      for (String source : sources) {
        if (!knownIds.contains(source.toLowerCase(Locale.ROOT))) {
          int at = u.indexInList("sources", source);
          u.problem(at < 0 ? "sources" : "sources[" + at + "]", "unknown source '" + source
              + "'; use the id of a source under 'sources:' (" + defined + ")");
        }
      }
      u.finish();
      users.add(new User(name, hash, sources));
    }
    Limits limits = Limits.read(o);
    o.finish();
    return new ServerConfig(bind == null ? DEFAULT_BIND : bind, port == null ? DEFAULT_PORT : port, tls,
        users, limits);
  }
}
