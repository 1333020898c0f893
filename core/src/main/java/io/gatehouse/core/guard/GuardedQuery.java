package io.gatehouse.core.guard;

import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.apache.calcite.sql.SqlNode;

/**
 * A statement that passed the {@link QueryGuard}: one read query, with its top-level fetch capped.
 *
 * <p>When the top-level LIMIT/FETCH is a {@code ?}, the cap cannot be written into the tree (the
 * value is only known at bind time, and nesting another capped ORDER BY around it breaks Calcite's
 * prepare), so {@link #fetchParameter()} names the parameter and the engine must pass the bound
 * value through {@link #clampFetchParameter(Object, long)} before executing.
 */
public final class GuardedQuery {
  private final SqlNode query;
  private final long rowCap;
  private final boolean explain;
  private final OptionalInt fetchParameter;
  private final OptionalLong fetchLiteral;
  private final int parameterCount;
  private final String kindName;
  private final OptionalLong planFetch;

  GuardedQuery(
      SqlNode query,
      long rowCap,
      boolean explain,
      OptionalInt fetchParameter,
      OptionalLong fetchLiteral,
      int parameterCount,
      String kindName,
      OptionalLong planFetch) {
    this.query = Objects.requireNonNull(query, "query");
    this.rowCap = rowCap;
    this.explain = explain;
    this.fetchParameter = Objects.requireNonNull(fetchParameter, "fetchParameter");
    this.fetchLiteral = Objects.requireNonNull(fetchLiteral, "fetchLiteral");
    this.parameterCount = parameterCount;
    this.kindName = Objects.requireNonNull(kindName, "kindName");
    this.planFetch = Objects.requireNonNull(planFetch, "planFetch");
  }

  /**
   * A fetch the planner must put on top of the plan because it could not go into the tree (a bare
   * UNION/INTERSECT/EXCEPT, whose duplicate column names Calcite's rewrite of a fetch would break).
   */
  public OptionalLong planFetch() {
    return planFetch;
  }

  /**
   * The top-level fetch when the row cap, not the user's own LIMIT, decides it ({@code rowCap + 1}),
   * else empty. A source whose optimizer treats a LIMIT as a promise that it may stop early gets
   * this fetch in a form that does not change its plan (see SourceConnector's
   * {@code capsGroupedStatementsFromOutside}).
   */
  public OptionalLong capFetch() {
    return fetchLiteral.isPresent() && fetchLiteral.getAsLong() == rowCap + 1
        ? fetchLiteral : OptionalLong.empty();
  }

  /** The rewritten, capped query tree to validate; for EXPLAIN, the inner query (capped). */
  public SqlNode query() {
    return query;
  }

  /** The row cap the query was checked with. */
  public long rowCap() {
    return rowCap;
  }

  /** True for {@code EXPLAIN PLAN FOR <query>}; {@link #query()} is then the explained query. */
  public boolean isExplain() {
    return explain;
  }

  /** Index ({@code SqlDynamicParam.getIndex()}) of a {@code ?} used as the top-level LIMIT/FETCH. */
  public OptionalInt fetchParameter() {
    return fetchParameter;
  }

  /**
   * The top-level fetch written into the tree, {@code min(user literal, rowCap + 1)}; empty when the
   * fetch is a parameter. A value {@code <= rowCap} means the result can never be truncated.
   */
  public OptionalLong fetchLiteral() {
    return fetchLiteral;
  }

  /** Number of {@code ?} markers in the statement. */
  public int parameterCount() {
    return parameterCount;
  }

  /**
   * The SqlKind name of the query as the user wrote it, before the cap rewrite (for EXPLAIN, of the
   * explained query): SELECT, UNION, INTERSECT, EXCEPT, VALUES, WITH or ORDER_BY.
   */
  public String kindName() {
    return kindName;
  }

  /**
   * Clamps the value bound to a LIMIT/FETCH parameter: it must be a non-null integral number
   * {@code >= 0}; the result is {@code min(value, rowCap + 1)} so that truncation stays detectable.
   *
   * @throws GatehouseException with {@link ErrorCode#ROW_LIMIT} for a missing, negative,
   *     fractional or non-numeric value
   */
  public static long clampFetchParameter(Object value, long rowCap) {
    QueryGuard.checkRowCap(rowCap);
    if (value == null) {
      throw rowLimit("the LIMIT/FETCH parameter must be bound to a value, got NULL");
    }
    BigDecimal number = integral(value);
    if (number.signum() < 0) {
      throw rowLimit("the LIMIT/FETCH parameter must not be negative, got " + value);
    }
    BigDecimal capPlusOne = BigDecimal.valueOf(rowCap).add(BigDecimal.ONE);
    return number.min(capPlusOne).longValueExact();
  }

  private static BigDecimal integral(Object value) {
    BigDecimal number;
    if (value instanceof BigDecimal d) {
      number = d;
    } else if (value instanceof BigInteger i) {
      number = new BigDecimal(i);
    } else if (value instanceof Long || value instanceof Integer
        || value instanceof Short || value instanceof Byte) {
      number = BigDecimal.valueOf(((Number) value).longValue());
    } else if ((value instanceof Double || value instanceof Float)
        && Double.isFinite(((Number) value).doubleValue())) {
      number = BigDecimal.valueOf(((Number) value).doubleValue());
    } else {
      throw rowLimit(
          "the LIMIT/FETCH parameter must be an integer, got a "
              + value.getClass().getSimpleName());
    }
    if (number.signum() != 0 && number.stripTrailingZeros().scale() > 0) {
      throw rowLimit("the LIMIT/FETCH parameter must be an integer, got " + number.toPlainString());
    }
    return number;
  }

  private static GatehouseException rowLimit(String message) {
    return new GatehouseException(ErrorCode.ROW_LIMIT, message);
  }

  @Override
  public String toString() {
    return "GuardedQuery{kind=" + kindName + ", explain=" + explain + ", rowCap=" + rowCap
        + ", fetchLiteral=" + fetchLiteral + ", fetchParameter=" + fetchParameter
        + ", parameterCount=" + parameterCount + "}";
  }
}
