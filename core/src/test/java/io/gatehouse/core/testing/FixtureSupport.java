package io.gatehouse.core.testing;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the embedded-server fixtures of the adapter modules (one PostgreSQL, one MariaDB per JVM)
 * do the same way: where their data lives, how a JVM claims a run directory and how one left by a
 * killed run is cleaned up, and how their fixture scripts are split into statements. Everything
 * about the server itself stays in the fixture.
 *
 * <p>Layout: a fixture keeps each server instance in its own run directory
 * {@code <base>/<fixture>/run-<uuid>}, holding a lock on {@code fixture.lock} in it for as long as
 * the server runs. Several JVMs (surefire forks, an IDE run next to a build, a shared
 * {@value #DIR_PROPERTY}) can therefore use one base directory, and a directory whose lock nobody
 * holds belongs to a run that is gone.
 */
public final class FixtureSupport {
  /** System property: directory under which the fixtures keep their data directories. */
  public static final String DIR_PROPERTY = "gatehouse.fixture.dir";

  private static final String RUN_PREFIX = "run-";
  private static final String LOCK_FILE = "fixture.lock";

  private FixtureSupport() {}

  // ---- directories ----

  /**
   * Creates and returns the directory under which one fixture keeps its run directories:
   * {@code <root>/<name>}, where root is the system property {@value #DIR_PROPERTY} if set, else
   * {@code target} when it exists (Maven runs tests in the module directory, so {@code mvn clean}
   * removes the data), else {@code gatehouse-fixtures} under {@code java.io.tmpdir}.
   */
  public static Path createBaseDirectory(String name) {
    String configured = System.getProperty(DIR_PROPERTY);
    Path root;
    if (configured != null && !configured.isBlank()) {
      root = Paths.get(configured);
    } else if (Files.isDirectory(Paths.get("target"))) {
      root = Paths.get("target");
    } else {
      root = Paths.get(System.getProperty("java.io.tmpdir"), "gatehouse-fixtures");
    }
    Path baseDir = root.toAbsolutePath().resolve(name);
    try {
      Files.createDirectories(baseDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + baseDir, e);
    }
    return baseDir;
  }

  /**
   * A fresh run directory under {@code baseDir} (not yet created). Every start attempt gets its own,
   * so an attempt that failed half-way never leaves files the next one trips over.
   */
  public static Path newRunDirectory(Path baseDir) {
    return baseDir.resolve(RUN_PREFIX + UUID.randomUUID());
  }

  /**
   * Creates {@code runDir} and locks it for this JVM, so that {@link #cleanStaleRuns} in another JVM
   * leaves it alone. Keep the lock until the server is stopped, then hand it to {@link #discardRun}.
   * Blocks only if another JVM locked the same directory, which fresh directories rule out.
   */
  public static FileLock lockRunDirectory(Path runDir) throws IOException {
    Files.createDirectories(runDir);
    FileChannel channel = FileChannel.open(runDir.resolve(LOCK_FILE),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      return channel.lock();
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * Releases the lock of a run directory (either may be null after a failed start) and deletes the
   * directory: the end of a run, whether the server stopped normally or never started.
   */
  public static void discardRun(Path runDir, FileLock lock) {
    releaseQuietly(lock);
    deleteRecursively(runDir);
  }

  /**
   * Removes run directories under {@code baseDir} that no live JVM holds the lock of: left by a test
   * run that was killed before its shutdown hook ran. If the server of such a run is still running
   * (an orphan that would keep its port and files), it is stopped first: {@code pidFile} is where,
   * relative to the run directory, the server writes its process id, and the process is stopped
   * only if its command contains {@code serverCommand}, since the id may since have been reused.
   * Best effort throughout: what cannot be removed is only disk space.
   */
  public static void cleanStaleRuns(Path baseDir, Path pidFile, String serverCommand,
      Duration stopWait) {
    List<Path> runs = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(baseDir, RUN_PREFIX + "*")) {
      dirs.forEach(runs::add);
    } catch (IOException e) {
      return;
    }
    for (Path run : runs) {
      try (FileChannel channel = FileChannel.open(run.resolve(LOCK_FILE),
              StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = channel.tryLock()) {
        if (lock == null) {
          continue; // another JVM is using it
        }
        killOrphan(run.resolve(pidFile), serverCommand, stopWait);
        deleteRecursively(run);
      } catch (OverlappingFileLockException e) {
        // held by this JVM
      } catch (IOException e) {
        // leave it; it is only disk space
      }
    }
  }

  private static void killOrphan(Path pidFile, String serverCommand, Duration stopWait) {
    if (!Files.isRegularFile(pidFile)) {
      return;
    }
    try {
      long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
      Optional<ProcessHandle> process = ProcessHandle.of(pid);
      if (process.isPresent() && process.get().info().command().orElse("").contains(serverCommand)) {
        ProcessHandle p = process.get();
        p.destroy(); // SIGTERM: the server's normal shutdown
        p.onExit().get(stopWait.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (Exception e) {
      // best effort
    }
  }

  /** Deletes a directory tree, as far as it can: used on cleanup paths that must not fail. */
  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // best effort
    }
  }

  // ---- start and stop ----

  /**
   * A TCP port that was free a moment ago. Another process may take it before the server binds it;
   * the fixtures therefore retry a failed start with a new port.
   */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** A count read from a server, such as the statements still running there. */
  @FunctionalInterface
  public interface ServerCount {
    int read() throws java.sql.SQLException;
  }

  /**
   * Reads {@code count} until it is zero, for up to five seconds (a cancelled statement takes a
   * moment to end), and returns the last value read.
   */
  public static int awaitZero(ServerCount count) throws java.sql.SQLException, InterruptedException {
    int last = count.read();
    for (int attempt = 0; attempt < 50 && last != 0; attempt++) {
      Thread.sleep(100);
      last = count.read();
    }
    return last;
  }

  /**
   * Closes (or stops) a server, ignoring failures: for cleanup after a failed start and for the
   * shutdown hook, where an exception would only hide the original problem. Null is ignored.
   */
  public static void closeQuietly(Closeable server) {
    if (server != null) {
      try {
        server.close();
      } catch (IOException | RuntimeException e) {
        // best effort
      }
    }
  }

  private static void releaseQuietly(FileLock lock) {
    if (lock == null) {
      return;
    }
    try {
      if (lock.isValid()) {
        lock.release();
      }
      lock.channel().close();
    } catch (IOException e) {
      // best effort
    }
  }

  // ---- fixture scripts ----

  /**
   * Splits a fixture script, a resource next to {@code owner}, into statements: a statement ends
   * with a line whose last character is ';'; blank lines and lines starting with "--" are skipped.
   * The scripts are written to that rule, so no SQL parser (and none of its dialect questions) is
   * needed, and every statement can be executed and reported on its own.
   */
  public static List<String> readScript(Class<?> owner, String name) throws IOException {
    InputStream in = owner.getResourceAsStream(name);
    if (in == null) {
      throw new IOException("fixture script not on the classpath: " + name);
    }
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("--")) {
          continue;
        }
        current.append(line).append('\n');
        if (trimmed.endsWith(";")) {
          String sql = current.toString().strip();
          statements.add(sql.substring(0, sql.length() - 1));
          current.setLength(0);
        }
      }
    }
    if (!current.toString().isBlank()) {
      throw new IOException(name + " does not end with ';'");
    }
    return statements;
  }
}
