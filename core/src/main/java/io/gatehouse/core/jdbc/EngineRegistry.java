package io.gatehouse.core.jdbc;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.config.GatehouseConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;

/**
 * The engines behind {@code jdbc:gatehouse:config=PATH} connections, one per configuration file, so
 * that connections share pools and cached metadata. When the file changes, new connections get a
 * new engine; the old one is closed when its last connection closes.
 */
final class EngineRegistry {
  private static final Map<Path, Entry> ENGINES = new HashMap<>();

  private EngineRegistry() {}

  /** An engine with one reference taken; call {@link Lease#release()} when the connection closes. */
  static synchronized Lease acquire(Path configFile) {
    Path key = configFile.toAbsolutePath().normalize();
    FileTime stamp = stamp(key);
    Entry e = ENGINES.get(key);
    if (e == null || !e.stamp.equals(stamp)) {
      GatehouseConfig config = ConfigLoader.withDiscoveredAdapters().load(key);
      Entry fresh = new Entry(Gatehouse.open(config), stamp);
      if (e != null) {
        e.superseded = true;
        if (e.references == 0) {
          e.engine.close();
        }
      }
      ENGINES.put(key, fresh);
      e = fresh;
    }
    e.references++;
    return new Lease(e);
  }

  private static FileTime stamp(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  private static final class Entry {
    final Gatehouse engine;
    final FileTime stamp;
    int references;
    boolean superseded;

    Entry(Gatehouse engine, FileTime stamp) {
      this.engine = engine;
      this.stamp = stamp;
    }
  }

  /** One connection's hold on an engine. */
  static final class Lease {
    private final Entry entry;
    private boolean released;

    private Lease(Entry entry) {
      this.entry = entry;
    }

    Gatehouse engine() {
      return entry.engine;
    }

    void release() {
      synchronized (EngineRegistry.class) {
        if (released) {
          return;
        }
        released = true;
        entry.references--;
        if (entry.superseded && entry.references == 0) {
          entry.engine.close();
        }
      }
    }
  }
}
