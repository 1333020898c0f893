package io.gatehouse.core.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the audit log goes: {@code audit: { destination: logger | file | none, path, logger }}.
 *
 * <p>The default is {@code logger} (name {@value #DEFAULT_LOGGER}, at INFO): every query is audited
 * unless the configuration turns it off in writing, and the logging configuration decides where
 * the lines land (the shipped one writes them to stderr).
 *
 * @param path the JSON-lines file for {@code file}, else null
 * @param logger the SLF4J logger name for {@code logger}, else null
 */
public record AuditConfig(Destination destination, Path path, String logger) {
  public static final String DEFAULT_LOGGER = "gatehouse.audit";

  /** Where audit lines are written. */
  public enum Destination { LOGGER, FILE, NONE }

  public static AuditConfig defaults() {
    return new AuditConfig(Destination.LOGGER, null, DEFAULT_LOGGER);
  }

  static AuditConfig read(ConfigObject o) {
    if (o == null) {
      return defaults();
    }
    Map<String, Destination> names = new LinkedHashMap<>();
    names.put("logger", Destination.LOGGER);
    names.put("file", Destination.FILE);
    names.put("none", Destination.NONE);
    Destination d = o.choice("destination", names, Destination.LOGGER);
    String path = o.string("path");
    String logger = o.string("logger");
    o.finish();
    if (d == null) {
      return defaults();
    }
    switch (d) {
      case FILE -> {
        if (path == null) {
          o.problem("path", "is required when destination is 'file': the JSON-lines file to append to");
          return defaults();
        }
        Path p = Path.of(path).toAbsolutePath();
        Path dir = p.getParent();
        if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
          o.problem("path", "directory " + dir + " does not exist or is not writable; create it or"
              + " choose another path");
        } else if (Files.isDirectory(p)) {
          o.problem("path", "is a directory; give the path of a file");
        }
        if (logger != null) {
          o.problem("logger", "applies only to destination 'logger'; remove it");
        }
        return new AuditConfig(d, p, null);
      }
      case LOGGER -> {
        if (path != null) {
          o.problem("path", "applies only to destination 'file'; remove it or set destination: file");
        }
        return new AuditConfig(d, null, logger == null ? DEFAULT_LOGGER : logger);
      }
      default -> {
        if (path != null || logger != null) {
          o.problem(path != null ? "path" : "logger", "has no effect with destination 'none'; remove it");
        }
        return new AuditConfig(d, null, null);
      }
    }
  }
}
