package io.gatehouse.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.guard.QueryGuard;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Which queries the result cache may keep, and how it copies and weighs rows. */
class ResultCacheRulesTest {
  private static boolean deterministic(String sql) {
    return ResultCache.deterministic(new QueryGuard().check(sql, 100).query());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "select id, current_timestamp from s.t",
      "select id from s.t where d > current_date",
      "select localtimestamp from s.t",
      "select rand() from s.t",
      "select id from s.t where id > rand_integer(10)",
      "select id from s.t order by random()",
      "select now() from s.t",
      "select gen_random_uuid() from s.t",
      "select count(*) from s.t where exists (select 1 from s.u where u.ts < current_timestamp)"})
  void volatileQueriesAreNotCached(String sql) {
    assertEquals(false, deterministic(sql), sql);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "select id, upper(name) from s.t where id = ?",
      "select count(*), max(d) from s.t group by x having count(*) > 1",
      "select \"current_date_col\" from s.t"})
  void deterministicQueriesAreCached(String sql) {
    assertTrue(deterministic(sql), sql);
  }

  @Test
  void rowsAreCopiedDeeplyWhereValuesAreMutable() {
    byte[] bytes = {1, 2};
    Object[] row = {1, "a", bytes, new Object[] {new byte[] {3}}};
    Object[] copy = ResultCache.copyRow(row);
    assertNotSame(row, copy);
    assertNotSame(bytes, copy[2]);
    assertArrayEquals(bytes, (byte[]) copy[2]);
    assertNotSame(((Object[]) row[3])[0], ((Object[]) copy[3])[0]);
    assertEquals("a", copy[1]);
  }

  @Test
  void weightGrowsWithTheValues() {
    long small = ResultCache.weigh(new Object[] {1, "ab"});
    long large = ResultCache.weigh(new Object[] {1, "a".repeat(1000)});
    assertTrue(large - small >= 1996, small + " vs " + large);
    assertTrue(ResultCache.weigh(new Object[] {new byte[4096]}) > 4096);
  }
}
