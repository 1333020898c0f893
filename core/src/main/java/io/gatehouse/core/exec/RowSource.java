package io.gatehouse.core.exec;

/** Rows of a running query, as API values. Not thread-safe; one reader. */
public interface RowSource extends AutoCloseable {
  /** Advances; false at the end. */
  boolean next();

  /** The current row; the array is owned by the caller. */
  Object[] row();

  @Override
  void close();
}
