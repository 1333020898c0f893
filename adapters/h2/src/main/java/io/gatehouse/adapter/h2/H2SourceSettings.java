package io.gatehouse.adapter.h2;

import io.gatehouse.core.config.Secret;
import io.gatehouse.core.config.SourceSettings;
import java.nio.file.Path;

/**
 * The settings of one H2 source: either a database file or an in-memory database of this JVM, never
 * both, and never a JDBC URL (see {@link H2Adapter}).
 *
 * @param path the database file without its {@code .mv.db} suffix, absolute and normalised; null for
 *     an in-memory source
 * @param memory the name of the in-memory database (letters, digits and {@code _}); null for a file
 * @param user the login (H2 folds it to upper case, as it does unquoted names)
 * @param password null when none is configured (H2's empty password)
 */
public record H2SourceSettings(Path path, String memory, String user, Secret password)
    implements SourceSettings {

  /** Whether the source is an in-memory database of this JVM rather than a file. */
  public boolean inMemory() {
    return memory != null;
  }

  /**
   * The JDBC URL, built only from validated parts: the path holds no {@code ;} and the memory name
   * only letters, digits and {@code _}, so no H2 URL option can be smuggled in. A file is opened only
   * if it exists ({@code IFEXISTS}) and read-only ({@code ACCESS_MODE_DATA=r}); an in-memory database
   * only if this JVM already created it.
   */
  String url() {
    return inMemory()
        ? "jdbc:h2:mem:" + memory + ";IFEXISTS=TRUE"
        : "jdbc:h2:file:" + path + ";IFEXISTS=TRUE;ACCESS_MODE_DATA=r";
  }

  /** What the source is, for messages: {@code H2 database file /data/shop.mv.db} and the like. */
  String describe() {
    return inMemory() ? "in-memory H2 database '" + memory + "'" : "H2 database file " + path + ".mv.db";
  }

  @Override
  public String toString() {
    return "H2SourceSettings[" + (inMemory() ? "memory=" + memory : "path=" + path) + ", user=" + user
        + ", password=" + (password == null ? "none" : "****") + "]";
  }
}
