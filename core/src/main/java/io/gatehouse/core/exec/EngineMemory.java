package io.gatehouse.core.exec;

import io.gatehouse.core.config.Durations;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's memory budget ({@code engine.memoryBudget}): the bytes that rows held by the engine's
 * own operators (the build side of a cross-source join, a sort, a window, a set difference, the
 * groups of an aggregate) may take, across all queries of the engine together.
 *
 * <p>A query reserves from it in chunks as its operators take rows in ({@link QueryMemory}) and gives
 * everything back when it stops. The query whose reservation would pass the budget ends with
 * RESOURCE_LIMIT; the others go on. Rows that only stream through the engine (a source's result on
 * its way to the client) are never counted: they are not held.
 *
 * <p>Sizes are estimates from the values themselves ({@link RowSizes}), close to what the JVM holds
 * for them, so the budget should stay well below the heap ({@code -Xmx}); the engine warns at start
 * when it does not.
 */
public final class EngineMemory {
  /** Reservations are taken from the shared counter in chunks, so rows do not contend on it. */
  static final long CHUNK = 256 * 1024;

  private final long budget;
  private final AtomicLong reserved = new AtomicLong();

  public EngineMemory(long budget) {
    if (budget <= 0) {
      throw new IllegalArgumentException("memory budget must be positive");
    }
    this.budget = budget;
  }

  /** No limit: for engines built without a configuration (tests of single classes). */
  public static EngineMemory unlimited() {
    return new EngineMemory(Long.MAX_VALUE);
  }

  public long budget() {
    return budget;
  }

  /** Bytes reserved by running queries now. */
  public long reserved() {
    return reserved.get();
  }

  /** A new query's account. */
  public QueryMemory open() {
    return new QueryMemory(this);
  }

  /**
   * Reserves {@code bytes} more for a query that holds {@code held} of the {@code own} bytes it has
   * reserved so far.
   *
   * @throws GatehouseException RESOURCE_LIMIT when the budget would be passed
   */
  void reserve(long bytes, long held, long own) {
    long now = reserved.addAndGet(bytes);
    if (now > budget && budget != Long.MAX_VALUE) {
      reserved.addAndGet(-bytes);
      long others = Math.max(0, now - bytes - own);
      throw new GatehouseException(ErrorCode.RESOURCE_LIMIT, "the query needs more memory in the"
          + " engine than engine.memoryBudget (" + Durations.formatBytes(budget) + ") allows for"
          + " the work the engine does itself (joins, sorts and aggregates across sources): it held "
          + megabytes(held) + (others > 0 ? " while other queries held " + megabytes(others) : "") + ". Filter more rows at the sources, add a LIMIT,"
          + " or raise engine.memoryBudget");
    }
  }

  private static String megabytes(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1048576.0);
  }

  void release(long bytes) {
    if (bytes > 0) {
      reserved.addAndGet(-bytes);
    }
  }
}
