package io.gatehouse.core.exec;

/**
 * One query's account with the {@link EngineMemory}: the bytes its operators hold, reserved from the
 * engine's budget in chunks and all given back when the query stops. Used by the thread reading the
 * query's rows; {@link #close} may come from another (a timeout, a cancel).
 */
public final class QueryMemory implements AutoCloseable {
  private final EngineMemory engine;
  private long held;
  private long reserved;
  private boolean closed;

  QueryMemory(EngineMemory engine) {
    this.engine = engine;
  }

  /** Counts {@code bytes} more held by the query; RESOURCE_LIMIT when the budget cannot take them. */
  public void charge(long bytes) {
    long need = held + bytes;
    if (need > reserved) {
      long more = Math.max(EngineMemory.CHUNK, need - reserved);
      synchronized (this) {
        if (closed) {
          return; // the query has stopped; its rows are being dropped
        }
        engine.reserve(more, held, reserved);
        reserved += more;
      }
    }
    held = need;
  }

  /** Bytes the query holds now (estimated). */
  public long held() {
    return held;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      engine.release(reserved);
      reserved = 0;
    }
  }
}
