package io.gatehouse.core;

import io.gatehouse.core.error.GatehouseException;
import io.gatehouse.core.exec.Failures;
import io.gatehouse.core.exec.QueryExecution;
import io.gatehouse.core.exec.RowSource;
import io.gatehouse.core.exec.SourceStatement;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of a query, streamed: the source is read as the caller advances, so a large result never
 * has to fit in memory. Close it (try-with-resources) to return the source connection early.
 *
 * <p>At most {@link #rowCap()} rows are returned. The engine fetches one row more than the cap, so
 * {@link #truncated()} tells for certain whether the cap cut the result; it is final once
 * {@link #next()} has returned false or {@code rowCap} rows have been read.
 */
public final class QueryResult implements AutoCloseable {
  private final List<Column> columns;
  private final RowSource rows;
  private final long rowCap;
  private final QueryExecution execution;
  private final boolean pushedDown;
  private final boolean fromCache;
  private long count;
  private boolean truncated;
  private boolean atCap;
  private boolean done;
  private boolean closed;
  private Object[] current;

  private final java.util.function.BiConsumer<QueryResult, io.gatehouse.core.error.ErrorCode> onEnd;
  private io.gatehouse.core.error.ErrorCode failure;

  QueryResult(List<Column> columns, RowSource rows, long rowCap, QueryExecution execution,
      boolean pushedDown,
      java.util.function.BiConsumer<QueryResult, io.gatehouse.core.error.ErrorCode> onEnd) {
    this(columns, rows, rowCap, execution, pushedDown, false, onEnd);
  }

  QueryResult(List<Column> columns, RowSource rows, long rowCap, QueryExecution execution,
      boolean pushedDown, boolean fromCache,
      java.util.function.BiConsumer<QueryResult, io.gatehouse.core.error.ErrorCode> onEnd) {
    this.fromCache = fromCache;
    this.columns = List.copyOf(columns);
    this.rows = rows;
    this.rowCap = rowCap;
    this.execution = execution;
    this.pushedDown = pushedDown;
    this.onEnd = onEnd;
  }

  public List<Column> columns() {
    return columns;
  }

  /** Advances to the next row; false when there are no more (or the cap was reached). */
  public boolean next() {
    if (done) {
      return false;
    }
    if (atCap) {
      finish();
      return false;
    }
    try {
      if (!rows.next()) {
        finish();
        return false;
      }
      current = rows.row();
      count++;
      if (count >= rowCap) {
        // Read one row past the cap to know whether rows were cut; it is never returned.
        truncated = rows.next();
        atCap = true;
      }
      return true;
    } catch (Throwable t) {
      GatehouseException g = Failures.toGatehouse(t);
      done = true;
      failure = g.code();
      close();
      throw g;
    }
  }

  /** The value of a column (0-based) in the current row. */
  public Object get(int column) {
    if (current == null) {
      throw new IllegalStateException("no current row: call next() first");
    }
    return current[column];
  }

  /** The value of the column with this label (case-insensitive) in the current row. */
  public Object get(String label) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equalsIgnoreCase(label)) {
        return get(i);
      }
    }
    throw new IllegalArgumentException("no column labelled '" + label + "'");
  }

  /** A copy of the current row. */
  public Object[] row() {
    if (current == null) {
      throw new IllegalStateException("no current row: call next() first");
    }
    return current.clone();
  }

  /** Reads all remaining rows (at most the cap) and closes the result. */
  public List<Object[]> toList() {
    List<Object[]> out = new ArrayList<>();
    try {
      while (next()) {
        out.add(current.clone());
      }
    } finally {
      close();
    }
    return out;
  }

  /** Rows returned so far. */
  public long rowCount() {
    return count;
  }

  /** The row cap this query ran with. */
  public long rowCap() {
    return rowCap;
  }

  /** Whether the row cap cut rows from the result. */
  public boolean truncated() {
    return truncated;
  }

  /** Whether the whole query ran as one statement in one source. */
  public boolean pushedDown() {
    return pushedDown;
  }

  /**
   * Whether the rows came from the engine's result cache: no statement reached any source for this
   * query (see {@code engine.resultCache}).
   */
  public boolean fromCache() {
    return fromCache;
  }

  /**
   * Whether every row there was to read (up to the cap, and the one past it that decides
   * {@link #truncated()}) was read without a failure: only such a result is complete.
   */
  boolean readToTheEnd() {
    return failure == null && (done || atCap);
  }

  /** The SQL statements sent to sources for this query so far. */
  public List<SourceStatement> sourceStatements() {
    return execution == null ? List.of() : execution.sent();
  }

  /**
   * Whether the query's time limit has passed. The limit covers reading the rows too, so a result
   * left unread past it can only fail: its holder may close it to give the source connection back.
   */
  public boolean timedOut() {
    return execution != null && execution.timedOut();
  }

  /** Cancels the query; statements running at sources are cancelled there. */
  public void cancel() {
    if (execution != null) {
      execution.cancel();
    }
  }

  private void finish() {
    done = true;
    current = null;
    close();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      rows.close();
    } catch (RuntimeException e) {
      // Closing must not hide the result the caller already has; the pool recovers the connection.
    } finally {
      if (execution != null) {
        execution.close();
      }
      if (onEnd != null) {
        onEnd.accept(this, failure);
      }
    }
  }
}
