package io.gatehouse.core.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real syntax errors in something that starts like a query are SQL_SYNTAX, with the parser's
 * position and a one-line message (no "Was expecting one of" list, no stack trace).
 */
class QueryGuardSyntaxTest {
  private final QueryGuard guard = new QueryGuard();

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          select from t                          | 1 | 8  | Encountered "from" at line 1, column 8
          select * frm t                         | 1 | 14 | Encountered "t"
          select a,, b from t                    | 1 | 10 | Encountered ","
          select (1 + from t                     | 1 | 11 | at line 1, column 11
          select * from t where                  | 1 | 21 | Encountered "<EOF>"
          select * from t where a = 'x           | 1 | 25 | at line 1, column 25
          select 1 /* unterminated               | 1 | 25 | Lexical error at line 1, column 25
          select * from t limit -1               | 1 | 23 | Encountered "-"
          select * from t limit 1.5              | 1 | 23 | LIMIT/FETCH count must be a non-negative integer
          select * from t limit 5.0              | 1 | 23 | got 5.0
          select * from t limit 1e3              | 1 | 23 | got 1E3
          select top 5 * from t                  | 1 | 12 | Encountered "5"
          explain select 1                       | 1 | 9  | expecting "PLAN"
          1 + 1                                  | 1 | 1  | Non-query expression encountered in illegal context
          '"vacuum"'                             | 1 | 1  | Non-query expression
          `'abc'`                                | 1 | 1  | Non-query expression
          select a from t group by               | 1 | 24 | Encountered "<EOF>"
          """)
  void syntaxErrorsCarryThePosition(String sql, int line, int column, String fragment) {
    GatehouseException e = assertThrows(GatehouseException.class, () -> guard.check(sql, 10));
    assertEquals(ErrorCode.SQL_SYNTAX, e.code(), e::getMessage);
    assertEquals(line, e.line(), () -> "line of " + e.getMessage());
    assertEquals(column, e.column(), () -> "column of " + e.getMessage());
    assertTrue(e.detail().contains(fragment), () -> "expected '" + fragment + "' in " + e.detail());
    assertSingleLine(e);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          select a,\\n  b\\nfrom t\\nwhere a = = 1 | 4 | 9
          select a\\nfrom t\\nwhere              | 3 | 5
          \\n\\n   select *\\n   from t t2 t3    | 4 | 14
          """)
  void multiLinePositions(String escaped, int line, int column) {
    String sql = escaped.replace("\\n", "\n");
    GatehouseException e = assertThrows(GatehouseException.class, () -> guard.check(sql, 10));
    assertEquals(ErrorCode.SQL_SYNTAX, e.code(), e::getMessage);
    assertEquals(line, e.line(), e::getMessage);
    assertEquals(column, e.column(), e::getMessage);
    assertTrue(e.detail().contains("line " + line + ", column " + column), e::getMessage);
    assertSingleLine(e);
  }

  private static void assertSingleLine(GatehouseException e) {
    assertFalse(e.getMessage().contains("\n"), () -> "multi-line: " + e.getMessage());
    assertFalse(e.getMessage().contains("Was expecting"), e::getMessage);
    assertFalse(e.getMessage().contains("Exception"), e::getMessage);
    assertFalse(e.getMessage().contains("\tat "), e::getMessage);
  }
}
