package io.gatehouse.core.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.core.QueryEvent;
import io.gatehouse.core.config.AuditConfig;
import io.gatehouse.core.exec.SourceStatement;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one JSON object per query, on one line: {@code time} (start, ISO-8601 UTC), {@code user},
 * {@code sources} (sorted), {@code sql} (the client's SQL with literals masked), {@code
 * sourceStatements} ([{source, sql}] as sent, literals masked), {@code rows}, {@code truncated},
 * {@code durationMs} and {@code outcome} ({@code OK} or the error code). Never result values or
 * parameter values, never credentials.
 *
 * <p>A listener of the engine: it must never fail a query, so a write error is logged once as a
 * warning and the line is dropped.
 */
public final class AuditLog implements Consumer<QueryEvent>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Logger target;
  private final Writer file;
  private volatile boolean warned;

  private AuditLog(Logger target, Writer file) {
    this.target = target;
    this.file = file;
  }

  /** The audit log a configuration asks for, or null for {@code destination: none}. */
  public static AuditLog open(AuditConfig config) {
    switch (config.destination()) {
      case NONE:
        return null;
      case FILE:
        try {
          BufferedWriter w = Files.newBufferedWriter(config.path(), StandardCharsets.UTF_8,
              StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
          return new AuditLog(null, w);
        } catch (IOException e) {
          throw new io.gatehouse.core.error.GatehouseException(
              io.gatehouse.core.error.ErrorCode.CONFIG_INVALID, "audit.path: the audit file "
                  + config.path() + " cannot be opened for appending (" + e.getClass().getSimpleName()
                  + "); check the directory and its permissions");
        }
      default:
        return new AuditLog(LoggerFactory.getLogger(config.logger()), null);
    }
  }

  /** The JSON line for one query (without the line end). */
  public static String line(QueryEvent e) {
    ObjectNode o = JSON.createObjectNode();
    o.put("time", e.start().toString());
    o.put("user", e.user());
    ArrayNode sources = o.putArray("sources");
    e.sources().stream().sorted().forEach(sources::add);
    o.put("sql", SqlMasker.mask(e.sql()));
    ArrayNode statements = o.putArray("sourceStatements");
    for (SourceStatement s : e.statements()) {
      statements.addObject().put("source", s.sourceId()).put("sql", SqlMasker.mask(s.sql()));
    }
    o.put("rows", e.rows());
    o.put("truncated", e.truncated());
    if (e.fromCache()) {
      // Only on hits, so lines of engines without a result cache keep their shape.
      o.put("fromCache", true);
    }
    o.put("durationMs", e.duration().toMillis());
    o.put("outcome", e.outcome() == null ? "OK" : e.outcome().name());
    return o.toString();
  }

  @Override
  public void accept(QueryEvent event) {
    try {
      String line = line(event);
      if (file != null) {
        synchronized (file) {
          file.write(line);
          file.write('\n');
          file.flush();
        }
      } else {
        target.info(line);
      }
    } catch (IOException | RuntimeException e) {
      if (!warned) {
        warned = true;
        LOG.warn("the audit log cannot be written ({}); audit lines are being lost",
            e.getClass().getSimpleName());
      }
    }
  }

  @Override
  public void close() {
    if (file != null) {
      synchronized (file) {
        try {
          file.close();
        } catch (IOException e) {
          LOG.warn("the audit file could not be closed cleanly ({})", e.getClass().getSimpleName());
        }
      }
    }
  }
}
