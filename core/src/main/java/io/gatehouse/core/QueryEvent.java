package io.gatehouse.core;

import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.exec.SourceStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What happened to one query, reported to {@link Gatehouse#addQueryListener} listeners when it ends
 * (its result closed, or it failed): for metrics and the audit log. Holds no result values.
 *
 * @param user the session's user, or null
 * @param sql the client's SQL as sent
 * @param sources the sources the plan reads (empty when it failed before planning)
 * @param statements the SQL sent to sources
 * @param rows rows returned to the caller
 * @param truncated whether the row cap cut the result
 * @param outcome null when the query succeeded, else the error code
 * @param fromCache whether the rows came from the result cache (no statement reached a source)
 */
public record QueryEvent(Instant start, String user, String sql, Set<String> sources,
    List<SourceStatement> statements, long rows, boolean truncated, Duration duration,
    ErrorCode outcome, boolean fromCache) {

  public QueryEvent {
    sources = Set.copyOf(sources);
    statements = List.copyOf(statements);
  }

  /** A query that read its sources. */
  public QueryEvent(Instant start, String user, String sql, Set<String> sources,
      List<SourceStatement> statements, long rows, boolean truncated, Duration duration,
      ErrorCode outcome) {
    this(start, user, sql, sources, statements, rows, truncated, duration, outcome, false);
  }

  public boolean succeeded() {
    return outcome == null;
  }
}
