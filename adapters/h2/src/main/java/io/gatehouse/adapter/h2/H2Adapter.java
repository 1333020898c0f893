package io.gatehouse.adapter.h2;

import io.gatehouse.core.config.ConfigObject;
import io.gatehouse.core.config.EngineConfig;
import io.gatehouse.core.config.Secret;
import io.gatehouse.core.config.SourceConfig;
import io.gatehouse.core.config.SourceSettings;
import io.gatehouse.core.spi.SourceAdapter;
import io.gatehouse.core.spi.SourceConnector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * H2 sources ({@code type: h2}): a database file ({@code path}, opened read-only) or an in-memory
 * database of this JVM ({@code memory}, how the built-in demo is served). Keys: {@code path} or
 * {@code memory}, {@code user} (default {@code sa}), {@code password}; {@code schemas} defaults to
 * {@code [PUBLIC]}.
 *
 * <p>There is deliberately no {@code url} key: H2 URL options such as {@code INIT=RUNSCRIPT} run
 * code, so the URL is built from validated names only.
 */
public final class H2Adapter implements SourceAdapter {
  private static final Pattern MEMORY_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,62}");

  @Override
  public String type() {
    return "h2";
  }

  @Override
  public SourceSettings readSettings(ConfigObject source) {
    String path = source.string("path");
    String memory = source.string("memory");
    String user = source.string("user");
    Secret password = source.secret("password");
    boolean ok = true;
    if ((path == null) == (memory == null)) {
      source.problem(path == null ? "path" : "memory", "give exactly one of 'path' (an H2 database"
          + " file, without .mv.db) and 'memory' (an in-memory database of this process)");
      ok = false;
    }
    Path file = null;
    if (path != null) {
      if (path.contains(";") || path.contains("=")) {
        source.problem("path", "must be a plain file path; ';' and '=' would add H2 URL options");
        ok = false;
      } else {
        file = Path.of(path.endsWith(".mv.db") ? path.substring(0, path.length() - 6) : path);
        if (!Files.isReadable(Path.of(file + ".mv.db"))) {
          source.problem("path", "no H2 database at " + file + ".mv.db; give the path of an existing"
              + " database file without the .mv.db suffix");
          ok = false;
        }
      }
    }
    if (memory != null && !MEMORY_NAME.matcher(memory).matches()) {
      source.problem("memory", "must be a name of letters, digits and '_' starting with a letter,"
          + " got '" + memory + "'");
      ok = false;
    }
    return ok ? new H2Settings(file, memory, user == null ? "sa" : user, password) : null;
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
