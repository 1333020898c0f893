package io.gatehouse.sqltests;

import io.gatehouse.core.testing.FixtureSupport;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * A PostgreSQL server of its own for the fault tests, which stop and start it: the shared fixture
 * must stay up for every other test. Same port and data directory across restarts, so the engine
 * under test reconnects to "the same source". initdb's trust authentication is kept (no password
 * checks: the faults here are about availability, not credentials). Stopping is PostgreSQL's fast
 * shutdown, which ends running statements and closes every session, as an administrator's restart
 * or a failover does.
 */
final class RestartablePostgres implements AutoCloseable {
  static final String USER = "postgres";
  static final String DATABASE = "postgres";

  private final Path dataDir;
  private final int port;
  private EmbeddedPostgres server;

  RestartablePostgres(Path dir) {
    this.dataDir = dir.resolve("data");
    try {
      this.port = FixtureSupport.freePort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return port;
  }

  synchronized boolean running() {
    return server != null;
  }

  synchronized void start() {
    if (server != null) {
      return;
    }
    try {
      Files.createDirectories(dataDir.getParent());
      Path log = dataDir.getParent().resolve("postgres.log");
      server = EmbeddedPostgres.builder()
          .setDataDirectory(dataDir)
          .setCleanDataDirectory(false) // a restart keeps the data, like a real server's
          .setRegisterShutdownHook(true)
          .setPort(port)
          .setPGStartupWait(Duration.ofSeconds(20))
          .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .setLocaleConfig("locale", "C")
          .setServerConfig("listen_addresses", "localhost")
          .setServerConfig("timezone", "UTC")
          .setServerConfig("fsync", "off")
          .setServerConfig("max_connections", "50")
          .setDataDirectoryCustomizer(d -> noUnixSocket(d.toPath()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the fault tests' PostgreSQL", e);
    }
  }

  /** Fast shutdown: running statements are ended and every session closed. */
  synchronized void stop() {
    if (server == null) {
      return;
    }
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException("could not stop the fault tests' PostgreSQL", e);
    } finally {
      server = null;
    }
  }

  @Override
  public void close() {
    stop();
  }

  Connection adminConnection() throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/" + DATABASE, USER,
        "");
  }

  /**
   * Sessions other than this check's whose last statement matches the LIKE pattern and which are
   * still busy with it: running it, or holding its transaction open ("idle in transaction"). Waits
   * up to five seconds for a cancelled statement to end.
   */
  int busySessions(String likePattern) throws SQLException, InterruptedException {
    return FixtureSupport.awaitZero(() -> {
      try (Connection c = adminConnection(); PreparedStatement ps = c.prepareStatement(
          "select count(*) from pg_stat_activity where pid <> pg_backend_pid()"
              + " and state in ('active', 'idle in transaction', 'idle in transaction (aborted)')"
              + " and query like ?")) {
        ps.setString(1, likePattern);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      }
    });
  }

  private static void noUnixSocket(Path dataDir) {
    // TCP only: a socket path under target/ can exceed the 107-byte limit.
    try {
      Files.writeString(dataDir.resolve("postgresql.conf"), "\nunix_socket_directories = ''\n",
          StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
