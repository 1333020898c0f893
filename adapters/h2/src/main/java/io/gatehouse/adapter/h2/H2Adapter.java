package io.gatehouse.adapter.h2;

import io.gatehouse.core.config.ConfigObject;
import io.gatehouse.core.config.EngineConfig;
import io.gatehouse.core.config.Secret;
import io.gatehouse.core.config.SourceConfig;
import io.gatehouse.core.config.SourceSettings;
import io.gatehouse.core.spi.SourceAdapter;
import io.gatehouse.core.spi.SourceConnector;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * H2 sources ({@code type: h2}): an H2 2.x database file, opened read-only, or an in-memory H2
 * database that this JVM created (Gatehouse's built-in demo, {@link DemoDatabase}).
 *
 * <p>Keys: exactly one of {@code path} (the database file without {@code .mv.db}; it must exist; a
 * relative path is resolved against the working directory when the configuration is read) or
 * {@code memory} (the database's name: letters, digits and {@code _}); {@code user} (default
 * {@code sa}), {@code password} (a secret, default none); {@code schemas} defaults to
 * {@code [PUBLIC]}, H2's own spelling.
 *
 * <p>A JDBC URL is never accepted, nor any URL option: H2 reads settings from its URL, and some of
 * them run code or touch files ({@code INIT=RUNSCRIPT FROM ...} runs a script, {@code
 * ACCESS_MODE_DATA=rw} would make the file writable). The URL is built by the adapter from the two
 * validated names only, so nothing can be appended to it.
 */
public final class H2Adapter implements SourceAdapter {
  /** Names of in-memory databases: nothing H2 could read as a URL option or a path. */
  static final Pattern MEMORY_NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");

  static final String DEFAULT_USER = "sa";

  @Override
  public String type() {
    return "h2";
  }

  @Override
  public SourceSettings readSettings(ConfigObject o) {
    if (o.has("url")) {
      o.problem("url", "is not accepted for H2 sources: H2 URL options can run code (INIT=RUNSCRIPT);"
          + " give 'path' (a database file) or 'memory' (an in-memory database of this JVM) instead");
    }
    boolean hasPath = o.has("path");
    boolean hasMemory = o.has("memory");
    String pathText = o.string("path");
    String memory = o.string("memory");
    String user = o.string("user");
    Secret password = o.secret("password");
    if (hasPath && hasMemory) {
      o.problem("memory", "cannot be combined with 'path'; give one of the two");
      return null;
    }
    if (!hasPath && !hasMemory) {
      o.problem("path", "is required unless 'memory' is given (the H2 database file without its"
          + " .mv.db suffix, or the name of an in-memory database of this JVM)");
      return null;
    }
    Path path = null;
    if (pathText != null) {
      path = databasePath(o, pathText);
      if (path == null) {
        return null;
      }
    }
    if (memory != null && !MEMORY_NAME.matcher(memory).matches()) {
      o.problem("memory", "must hold only letters, digits and '_' (at most 64), got '" + memory + "'");
      return null;
    }
    if (pathText == null && memory == null) {
      return null; // an empty or non-text value, already reported
    }
    return new H2SourceSettings(path, memory, user == null ? DEFAULT_USER : user, password);
  }

  /** The database path, absolute, when it names an existing H2 2.x file; null after a problem. */
  private static Path databasePath(ConfigObject o, String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == ';' || Character.isISOControl(c)) {
        o.problem("path", "must not contain ';' or control characters: H2 would read what follows as"
            + " URL options; got '" + text + "'");
        return null;
      }
    }
    if (text.endsWith(".mv.db")) {
      o.problem("path", "must not end with .mv.db (H2 adds it); write '"
          + text.substring(0, text.length() - ".mv.db".length()) + "'");
      return null;
    }
    Path path;
    try {
      path = Path.of(text).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      o.problem("path", "is not a valid file path: '" + text + "'");
      return null;
    }
    Path file = Path.of(path + ".mv.db");
    if (!Files.isRegularFile(file)) {
      if (Files.isRegularFile(Path.of(path + ".h2.db"))) {
        o.problem("path", "names an H2 1.x database (" + path + ".h2.db), which H2 2.x cannot open;"
            + " export it with H2 1.4's Script tool and create an H2 2.x database from the script");
      } else {
        o.problem("path", "no H2 database file " + file + "; give the path of an existing database"
            + " without its .mv.db suffix");
      }
      return null;
    }
    if (!Files.isReadable(file)) {
      o.problem("path", "the file " + file + " cannot be read; check its permissions");
      return null;
    }
    return path;
  }

  @Override
  public List<String> defaultSchemas(SourceSettings settings) {
    return List.of("PUBLIC");
  }

  @Override
  public SourceConnector connector(SourceConfig source, EngineConfig engine) {
    return new H2Connector(source, engine);
  }
}
