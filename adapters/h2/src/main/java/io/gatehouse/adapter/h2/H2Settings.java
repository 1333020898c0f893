package io.gatehouse.adapter.h2;

import io.gatehouse.core.config.Secret;
import io.gatehouse.core.config.SourceSettings;
import java.nio.file.Path;

/**
 * Where an H2 source is: a database file (opened read-only) or an in-memory database of this JVM.
 * Exactly one of {@code path} and {@code memory} is set.
 */
record H2Settings(Path path, String memory, String user, Secret password) implements SourceSettings {
  /** The JDBC URL, built only from validated names: no URL option ever comes from the config. */
  String url() {
    if (memory != null) {
      return "jdbc:h2:mem:" + memory + ";IFEXISTS=TRUE";
    }
    return "jdbc:h2:file:" + path.toAbsolutePath() + ";IFEXISTS=TRUE;ACCESS_MODE_DATA=r";
  }

  @Override
  public String toString() {
    return "H2Settings[" + (memory != null ? "memory=" + memory : "path=" + path) + ", user=" + user
        + ", password=" + (password == null ? "none" : "****") + "]";
  }
}
