package io.gatehouse.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Literals become {@code ?}; names, keywords, markers and the shape of the SQL stay. */
class SqlMaskerTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      select * from t where name = 'Zebra'                  | select * from t where name = ?
      select 'it''s' , 'x'                                  | select ? , ?
      select a from t where n = 42 and m > -3.5             | select a from t where n = ? and m > -?
      select 1e10, .5, 2.5E-3, 7.                           | select ?, ?, ?, ?
      select t1.c2 from t1 join "col 9" on "a""1" = x9      | select t1.c2 from t1 join "col 9" on "a""1" = x9
      select `c3` from `db`.`t 4` where `x` = 'y'           | select `c3` from `db`.`t 4` where `x` = ?
      select * from t where d = DATE '2020-01-01'           | select * from t where d = DATE ?
      select INTERVAL '1' DAY, TIMESTAMP '2024-01-01 10:00' | select INTERVAL ? DAY, TIMESTAMP ?
      select E'a\\'b', N'x', X'ff', U&'d', B'101'           | select ?, ?, ?, ?, ?
      select x'ff', 0xFF, 0b101                             | select ?, ?, ?
      select $$secret$$, $tag$more $$ text$tag$, $1         | select ?, ?, $1
      select * from t where a = ? and b in (?, ?)           | select * from t where a = ? and b in (?, ?)
      select ARRAY[1, 2] from t                             | select ARRAY[?, ?] from t
      select 'C:\\' , 5                                     | select ?
      """)
  void masks(String sql, String masked) {
    assertEquals(masked, SqlMasker.mask(sql));
  }

  @Test
  void commentsBecomeOneSpaceWhateverTheyHold() {
    assertEquals("select a from t \nwhere x = ?",
        SqlMasker.mask("select a /* password=Hunter2 */from t -- the key is 'abc'\nwhere x = 3"));
    assertEquals("select ? ", SqlMasker.mask("select 1 /* outer /* inner 'x' */ still 42 */"));
    assertFalse(SqlMasker.mask("select 1 -- Hunter2").contains("Hunter2"));
  }

  @Test
  void unterminatedLiteralsAndCommentsMaskToTheEnd() {
    assertEquals("select ?", SqlMasker.mask("select 'never closed and secret"));
    assertEquals("select ? ", SqlMasker.mask("select 1 /* never closed secret"));
    assertEquals("select ?", SqlMasker.mask("select $q$ never closed secret"));
    assertEquals("select \"unclosed name", SqlMasker.mask("select \"unclosed name"));
  }

  @Test
  void sqlThatDoesNotParseIsMaskedToo() {
    assertEquals("selec ? frm where x = ?;drop table y",
        SqlMasker.mask("selec 'a' frm where x = 1;drop table y"));
    assertEquals("", SqlMasker.mask(""));
    assertNull(SqlMasker.mask(null));
  }

  @Test
  void aDistinctiveLiteralNeverSurvives() {
    String canary = "Zebra-Canary-7731";
    for (String sql : new String[] {
        "select * from t where name = '" + canary + "'",
        "select * from t where name = E'" + canary + "\\''",
        "select * from `t` where `name` = '" + canary + "\\'s'",
        "select * from t where name like '%" + canary + "%' escape '\\'",
        "select $x$" + canary + "$x$",
        "select 987654321, 'a''" + canary + "'"}) {
      String masked = SqlMasker.mask(sql);
      assertFalse(masked.contains(canary) || masked.contains("987654321"), masked);
    }
  }
}
