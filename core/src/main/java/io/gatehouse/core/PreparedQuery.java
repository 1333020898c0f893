package io.gatehouse.core;

import io.gatehouse.core.guard.GuardedQuery;
import io.gatehouse.core.plan.PlannedQuery;
import java.util.List;

/**
 * A query guarded, validated and planned once, to run many times with different parameter values.
 * The row cap it was prepared with is part of its plan.
 */
public final class PreparedQuery {
  private final Session session;
  private final String sql;
  private final GuardedQuery guarded;
  private final PlannedQuery plan;
  private final long rowCap;
  private final List<Column> columns;
  private final List<Column> parameters;
  private final java.time.Duration planningTime;
  private final boolean planReused;
  private final PlanCache.Key planKey;
  private volatile Boolean deterministic;

  PreparedQuery(Session session, String sql, GuardedQuery guarded, PlannedQuery plan, long rowCap,
      List<Column> columns, List<Column> parameters, java.time.Duration planningTime,
      boolean planReused, PlanCache.Key planKey) {
    this.planKey = planKey;
    this.planningTime = planningTime;
    this.planReused = planReused;
    this.session = session;
    this.sql = sql;
    this.guarded = guarded;
    this.plan = plan;
    this.rowCap = rowCap;
    this.columns = List.copyOf(columns);
    this.parameters = List.copyOf(parameters);
  }

  public String sql() {
    return sql;
  }

  /** The result's columns. */
  public List<Column> columns() {
    return columns;
  }

  /** The type of each {@code ?}, in order. */
  public List<Column> parameters() {
    return parameters;
  }

  public long rowCap() {
    return rowCap;
  }

  /** Whether the whole query runs as one statement in one source. */
  public boolean pushedDown() {
    return plan != null && plan.isPushedDown();
  }

  /** How long guarding, validating and planning took (or finding the plan in the plan cache). */
  public java.time.Duration planningTime() {
    return planningTime;
  }

  /** Whether the plan came from the engine's plan cache rather than being made for this call. */
  public boolean planReused() {
    return planReused;
  }

  /** The physical plan, printed. */
  public String plan() {
    return plan == null ? "" : plan.plan();
  }

  GuardedQuery guarded() {
    return guarded;
  }

  PlannedQuery planned() {
    return plan;
  }

  /** What identifies the plan (also when the plan cache is off): part of a result cache key. */
  PlanCache.Key planKey() {
    return planKey;
  }

  /** Whether the query calls nothing whose answer changes from call to call (worked out once). */
  boolean deterministic() {
    Boolean d = deterministic;
    if (d == null) {
      d = ResultCache.deterministic(guarded.query());
      deterministic = d;
    }
    return d;
  }

  /** Runs the query with these parameter values, under the session's (and configured) limits. */
  public QueryResult execute(List<?> parameterValues) {
    return session.execute(this, parameterValues, QueryOptions.defaults());
  }

  public QueryResult execute(Object... parameterValues) {
    return execute(java.util.Arrays.asList(parameterValues));
  }

  /** Runs with options; {@code maxRows} here cannot exceed the cap the query was prepared with. */
  public QueryResult execute(List<?> parameterValues, QueryOptions options) {
    return session.execute(this, parameterValues, options);
  }
}
