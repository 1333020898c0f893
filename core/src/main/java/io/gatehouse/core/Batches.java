package io.gatehouse.core;

import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import io.gatehouse.core.exec.Failures;
import io.gatehouse.core.spi.SourceConnector;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a batch: several read queries against one source in one read-only REPEATABLE READ
 * transaction on one pooled connection, so that they all see one snapshot of the source.
 *
 * <p>Each query is guarded, planned, row-capped, timed and reported to query listeners like any
 * other; it must be pushed down whole to the batch's source, since a query the engine computes
 * from several statements (or over several sources) could not be held to the one snapshot. A query
 * that fails at the source is rolled back to a savepoint taken before it, so the transaction (and
 * its snapshot) stays usable for the queries after it.
 */
final class Batches {
  /** The connection a batch's queries run on. */
  record Pin(String sourceId, Connection connection) {}

  private Batches() {}

  static List<BatchResult> run(Session session, String sourceId, List<BatchQuery> queries,
      QueryOptions options) {
    if (queries == null || queries.isEmpty()) {
      throw new GatehouseException(ErrorCode.INVALID_PARAMETER,
          "a batch needs at least one query");
    }
    SourceRuntime source = sourceId == null ? null : session.source(sourceId);
    if (source == null) {
      throw new GatehouseException(ErrorCode.INVALID_PARAMETER, "no source '" + sourceId
          + "' for the batch; sources: " + String.join(", ", session.sourceIds()));
    }
    BatchResult[] results = new BatchResult[queries.size()];
    PreparedQuery[] prepared = new PreparedQuery[queries.size()];
    boolean anyRunnable = false;
    for (int i = 0; i < queries.size(); i++) {
      BatchQuery q = queries.get(i);
      if (q == null) {
        results[i] = BatchResult.failed(null, new GatehouseException(ErrorCode.QUERY_REJECTED,
            "query " + (i + 1) + " of the batch is null"));
        continue;
      }
      try {
        PreparedQuery pq = session.prepare(q.sql(), options);
        GatehouseException refused = refusal(pq, source.id(), i);
        if (refused != null) {
          session.engine().fire(new QueryEvent(Instant.now(), session.user(), q.sql(),
              pq.planned().sources(), List.of(), 0, false, Duration.ZERO, refused.code()));
          results[i] = BatchResult.failed(q.sql(), refused);
        } else {
          prepared[i] = pq;
          anyRunnable = true;
        }
      } catch (GatehouseException e) {
        results[i] = BatchResult.failed(q.sql(), e);
      }
    }
    if (anyRunnable) {
      runOnOneConnection(session, source, queries, options, prepared, results);
    }
    return List.of(results);
  }

  /** Why a planned query cannot run in a batch of {@code sourceId}, or null when it can. */
  private static GatehouseException refusal(PreparedQuery pq, String sourceId, int index) {
    Set<String> read = pq.planned().sources();
    String which = "query " + (index + 1) + " of the batch";
    if (pq.guarded().isExplain()) {
      return new GatehouseException(ErrorCode.UNSUPPORTED, which + " is an EXPLAIN; a batch runs"
          + " queries at its source: run EXPLAIN on its own");
    }
    if (!read.equals(Set.of(sourceId))) {
      return new GatehouseException(ErrorCode.UNSUPPORTED, which + " reads "
          + (read.isEmpty() ? "no source" : "source(s) " + String.join(", ", new java.util.TreeSet<>(read)))
          + ", but a batch reads only its own source '" + sourceId + "' (one transaction there);"
          + " run it outside the batch");
    }
    if (!pq.pushedDown()) {
      return new GatehouseException(ErrorCode.UNSUPPORTED, which + " cannot be sent to source '"
          + sourceId + "' as one statement (the engine would compute part of it), so it could not"
          + " see the batch's snapshot; simplify it or run it outside the batch");
    }
    return null;
  }

  private static void runOnOneConnection(Session session, SourceRuntime source,
      List<BatchQuery> queries, QueryOptions options, PreparedQuery[] prepared,
      BatchResult[] results) {
    SourceConnector connector = source.connector();
    // The batch is one query for the source's concurrency limit: it holds one slot throughout.
    Runnable slot = SourceSlots.acquire(Map.of(source.id(), source), Set.of(source.id()),
        session.user(), options);
    try (Connection c = connector.connection()) {
      boolean[] savepoints = {begin(c, source.id())};
      try {
        for (int i = 0; i < prepared.length; i++) {
          if (prepared[i] != null) {
            results[i] = runOne(session, source.id(), c, savepoints, prepared[i], queries.get(i),
                options);
          }
        }
      } finally {
        // Ends the read-only transaction; the pool resets the isolation level on return.
        try {
          c.rollback();
        } catch (SQLException e) {
          // The pool evicts a broken connection on its own.
        }
      }
    } catch (SQLException e) {
      throw connector.translate(e);
    } finally {
      slot.run();
    }
  }

  /** Starts the read-only REPEATABLE READ transaction; whether the source has savepoints. */
  private static boolean begin(Connection c, String sourceId) throws SQLException {
    // Whatever the pool's validity check may have begun is ended, so the isolation level applies
    // to the transaction the first query opens (PostgreSQL takes the snapshot there).
    c.rollback();
    if (c.getAutoCommit()) {
      c.setAutoCommit(false);
    }
    c.setReadOnly(true);
    var meta = c.getMetaData();
    if (!meta.supportsTransactionIsolationLevel(Connection.TRANSACTION_REPEATABLE_READ)) {
      throw new GatehouseException(ErrorCode.UNSUPPORTED, "source '" + sourceId + "' ("
          + meta.getDatabaseProductName() + ") has no REPEATABLE READ transactions, so a batch"
          + " there could not see one snapshot; run the queries one by one");
    }
    c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    return meta.supportsSavepoints();
  }

  /**
   * Runs one query of the batch.
   *
   * @param savepoints whether to take a savepoint before the query; set to false for the rest of
   *     the batch when the source refuses one (MariaDB refuses SAVEPOINT in a READ ONLY
   *     transaction, but a failed statement does not abort its transaction either)
   */
  private static BatchResult runOne(Session session, String sourceId, Connection c,
      boolean[] savepoints, PreparedQuery pq, BatchQuery q, QueryOptions options) {
    Savepoint sp = null;
    if (savepoints[0]) {
      try {
        sp = c.setSavepoint();
      } catch (SQLException e) {
        savepoints[0] = false;
      }
    }
    try (QueryResult r = session.execute(pq, q.parameters(), options, new Pin(sourceId, c))) {
      List<Object[]> rows = r.toList();
      if (sp != null) {
        c.releaseSavepoint(sp);
      }
      return new BatchResult(q.sql(), pq.columns(), rows, r.truncated(), null);
    } catch (RuntimeException | Error | SQLException e) {
      GatehouseException g = e instanceof SQLException s
          ? session.engine().connector(sourceId).translate(s) : Failures.toGatehouse(e);
      if (sp != null) {
        try {
          // A failed statement aborts a PostgreSQL transaction; back to before it, snapshot kept.
          c.rollback(sp);
        } catch (SQLException ignored) {
          // The next query reports the broken transaction itself.
        }
      }
      return BatchResult.failed(q.sql(), g);
    }
  }
}
