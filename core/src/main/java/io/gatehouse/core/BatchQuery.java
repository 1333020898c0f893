package io.gatehouse.core;

import java.util.Arrays;
import java.util.List;

/** One query of a batch ({@link Session#batch}): SQL and its positional {@code ?} values. */
public record BatchQuery(String sql, List<?> parameters) {
  public BatchQuery {
    parameters = parameters == null ? List.of() : parameters;
  }

  public BatchQuery(String sql) {
    this(sql, List.of());
  }

  public static BatchQuery of(String sql, Object... parameters) {
    return new BatchQuery(sql, Arrays.asList(parameters));
  }
}
