package io.gatehouse.core.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The bind-time half of the row cap: the value bound to {@code LIMIT ?}. */
class ClampFetchParameterTest {
  private static final long CAP = 100;

  static Stream<Arguments> valid() {
    return Stream.of(
        Arguments.of(3, 3L),
        Arguments.of(0, 0L),
        Arguments.of(100, 100L),
        Arguments.of(101L, 101L),
        Arguments.of(5_000L, 101L),
        Arguments.of(Long.MAX_VALUE, 101L),
        Arguments.of(new BigDecimal("5"), 5L),
        Arguments.of(new BigDecimal("5.00"), 5L),
        Arguments.of(new BigDecimal("1E+3"), 101L),
        Arguments.of(new BigInteger("99999999999999999999999"), 101L),
        Arguments.of((short) 7, 7L),
        Arguments.of((byte) 1, 1L),
        Arguments.of(8.0d, 8L));
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @MethodSource("valid")
  void clampsToCapPlusOne(Object value, long expected) {
    assertEquals(expected, GuardedQuery.clampFetchParameter(value, CAP));
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of(null, "NULL"),
        Arguments.of(-1, "negative"),
        Arguments.of(-1L, "negative"),
        Arguments.of(new BigDecimal("-3"), "negative"),
        Arguments.of(new BigDecimal("2.5"), "integer"),
        Arguments.of(2.5d, "integer"),
        Arguments.of(Double.NaN, "integer"),
        Arguments.of(Double.POSITIVE_INFINITY, "integer"),
        Arguments.of("10", "integer"),
        Arguments.of(Boolean.TRUE, "integer"),
        Arguments.of(new Object(), "integer"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("invalid")
  void refusesBadValues(Object value, String fragment) {
    GatehouseException e =
        assertThrows(
            GatehouseException.class, () -> GuardedQuery.clampFetchParameter(value, CAP));
    assertEquals(ErrorCode.ROW_LIMIT, e.code());
    assertTrue(e.detail().contains(fragment), e::getMessage);
  }

  @Test
  void capOfOneAllowsTwoRows() {
    assertEquals(2, GuardedQuery.clampFetchParameter(50, 1));
  }

  @Test
  void invalidCapIsRefused() {
    GatehouseException e =
        assertThrows(GatehouseException.class, () -> GuardedQuery.clampFetchParameter(5, 0));
    assertEquals(ErrorCode.ROW_LIMIT, e.code());
  }

  @Test
  void endToEndWithTheGuard() {
    GuardedQuery q = new QueryGuard().check("select * from t limit ?", 10);
    assertEquals(0, q.fetchParameter().getAsInt());
    assertEquals(11, GuardedQuery.clampFetchParameter(1_000_000, q.rowCap()));
    assertEquals(4, GuardedQuery.clampFetchParameter(4, q.rowCap()));
  }
}
