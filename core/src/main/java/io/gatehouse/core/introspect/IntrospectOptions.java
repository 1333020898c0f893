package io.gatehouse.core.introspect;

import io.gatehouse.core.config.TableFilter;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;

/**
 * What {@code introspect} reads.
 *
 * @param tables further include/exclude patterns (on top of the source's own, which always apply)
 * @param profile whether to read a bounded sample of each table for column statistics
 * @param sampleRows most rows read per table when profiling (also bounded by the engine's row cap)
 * @param sampleValues most distinct sample values reported per column
 */
public record IntrospectOptions(TableFilter tables, boolean profile, int sampleRows, int sampleValues) {
  public static final int DEFAULT_SAMPLE_ROWS = 10_000;
  public static final int DEFAULT_SAMPLE_VALUES = 5;

  public IntrospectOptions {
    tables = tables == null ? TableFilter.ALL : tables;
    if (sampleRows < 1) {
      throw new GatehouseException(ErrorCode.INVALID_PARAMETER,
          "sampleRows must be at least 1, got " + sampleRows);
    }
    if (sampleValues < 0) {
      throw new GatehouseException(ErrorCode.INVALID_PARAMETER,
          "sampleValues must not be negative, got " + sampleValues);
    }
  }

  /** Structure only: every visible table, no profiling. */
  public static IntrospectOptions defaults() {
    return new IntrospectOptions(TableFilter.ALL, false, DEFAULT_SAMPLE_ROWS, DEFAULT_SAMPLE_VALUES);
  }

  public IntrospectOptions withTables(TableFilter filter) {
    return new IntrospectOptions(filter, profile, sampleRows, sampleValues);
  }

  public IntrospectOptions withProfile(boolean on) {
    return new IntrospectOptions(tables, on, sampleRows, sampleValues);
  }

  public IntrospectOptions withSampleRows(int rows) {
    return new IntrospectOptions(tables, profile, rows, sampleValues);
  }

  public IntrospectOptions withSampleValues(int values) {
    return new IntrospectOptions(tables, profile, sampleRows, values);
  }
}
