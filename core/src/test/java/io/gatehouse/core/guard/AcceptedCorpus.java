package io.gatehouse.core.guard;

import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Read queries the guard must accept, with the top-level fetch it must leave in the tree. Shared by
 * {@link QueryGuardCapTest} (checks the rewrite) and {@link CappedQueriesValidateTest} (checks that
 * Calcite still validates and converts every rewritten tree).
 *
 * <p>Tables used: t, u, a, b (columns id, a, b, n) and "select" (columns "delete", "limit").
 */
final class AcceptedCorpus {
  static final long CAP = 100;

  /** One accepted statement and what the guard must report for it. */
  record Accepted(
      String sql,
      long cap,
      String kind,
      OptionalLong fetch,
      OptionalInt fetchParam,
      int params,
      boolean explain,
      List<String> contains) {

    /** Fragments the unparsed rewritten query must also contain (offsets, untouched inner limits). */
    Accepted alsoContains(String... fragments) {
      return new Accepted(sql, cap, kind, fetch, fetchParam, params, explain, List.of(fragments));
    }

    Accepted explained() {
      return new Accepted(sql, cap, kind, fetch, fetchParam, params, true, contains);
    }

    Accepted paramCount(int count) {
      return new Accepted(sql, cap, kind, fetch, fetchParam, count, explain, contains);
    }

    Accepted withCap(long newCap) {
      return new Accepted(sql, newCap, kind, fetch, fetchParam, params, explain, contains);
    }

    @Override
    public String toString() {
      return sql.replace('\n', ' ');
    }
  }

  private AcceptedCorpus() {}

  static Accepted fetch(String sql, String kind, long fetch) {
    return new Accepted(
        sql, CAP, kind, OptionalLong.of(fetch), OptionalInt.empty(), 0, false, List.of());
  }

  static Accepted param(String sql, String kind, int index) {
    return new Accepted(
        sql, CAP, kind, OptionalLong.empty(), OptionalInt.of(index), 1, false, List.of());
  }

  static Stream<Accepted> all() {
    return Stream.of(
        // plain selects: no LIMIT -> cap + 1
        fetch("select * from t", "SELECT", 101),
        fetch("select a, b from t where a > 1", "SELECT", 101),
        fetch("select count(*) from t group by a having count(*) > 1", "SELECT", 101),
        fetch("select a, row_number() over (order by b) from t", "SELECT", 101),
        fetch("select * from t limit all", "SELECT", 101),
        fetch("select * from t", "SELECT", 2).withCap(1),
        // LIMIT below / equal / above the cap
        fetch("select * from t limit 5", "ORDER_BY", 5),
        fetch("select * from t limit 100", "ORDER_BY", 100),
        fetch("select * from t limit 101", "ORDER_BY", 101),
        fetch("select * from t limit 500", "ORDER_BY", 101),
        fetch("select * from t limit 99999999999999999999", "ORDER_BY", 101),
        fetch("select * from t limit 0", "ORDER_BY", 0),
        fetch("select * from t limit 10", "ORDER_BY", 10).withCap(10),
        fetch("select * from t limit 11", "ORDER_BY", 11).withCap(10),
        fetch("select * from t limit 12", "ORDER_BY", 11).withCap(10),
        // OFFSET kept, only the fetch capped
        fetch("select * from t offset 7", "ORDER_BY", 101).alsoContains("OFFSET 7 ROWS"),
        fetch("select * from t limit 5, 10", "ORDER_BY", 10).alsoContains("OFFSET 5 ROWS"),
        fetch("select * from t limit 5, 1000", "ORDER_BY", 101).alsoContains("OFFSET 5 ROWS"),
        fetch("select * from t limit 10 offset 20", "ORDER_BY", 10).alsoContains("OFFSET 20 ROWS"),
        fetch("select * from t order by a offset 2 rows", "ORDER_BY", 101)
            .alsoContains("ORDER BY \"a\"", "OFFSET 2 ROWS"),
        // FETCH FIRST / NEXT
        fetch("select * from t fetch first 3 rows only", "ORDER_BY", 3),
        fetch("select * from t fetch next 1000 rows only", "ORDER_BY", 101),
        fetch("select * from t offset 2 rows fetch next 300 rows only", "ORDER_BY", 101)
            .alsoContains("OFFSET 2 ROWS"),
        // ORDER BY
        fetch("select * from t order by a", "ORDER_BY", 101).alsoContains("ORDER BY \"a\""),
        fetch("select * from t order by a desc limit 7", "ORDER_BY", 7)
            .alsoContains("ORDER BY \"a\" DESC"),
        fetch("SELECT * FROM t ORDER BY a FETCH FIRST 1000 ROWS ONLY", "ORDER_BY", 101),
        // set operations
        fetch("select a from t union select a from u", "UNION", 101),
        fetch("select a from t union all select a from u", "UNION", 101).alsoContains("UNION ALL"),
        fetch("select a from t union select a from u order by 1 limit 3", "ORDER_BY", 3),
        fetch("select a from t union all select a from u limit 1000", "ORDER_BY", 101),
        fetch("select a from t intersect select a from u", "INTERSECT", 101),
        fetch("select a from t intersect select a from u limit 4", "ORDER_BY", 4),
        fetch("select a from t except select a from u", "EXCEPT", 101),
        fetch("select a from t minus select a from u", "EXCEPT", 101),
        fetch("select a from t except select a from u order by a limit 2", "ORDER_BY", 2),
        fetch("(select a from t limit 2) union (select a from u)", "UNION", 101)
            .alsoContains("FETCH NEXT 2 ROWS ONLY"),
        // VALUES
        fetch("values (1), (2), (3)", "VALUES", 101),
        fetch("values (1, 2) limit 2", "ORDER_BY", 2),
        // WITH
        fetch("with x as (select a from t) select * from x", "WITH", 101),
        fetch("with x as (select a from t) select * from x limit 4", "ORDER_BY", 4),
        fetch("with x as (select a from t) select * from x order by a limit 400", "ORDER_BY", 101),
        fetch("with x as (select a from t) select a from x union select a from u", "WITH", 101),
        fetch("with x as (select 1 as n) values (2)", "WITH", 101),
        fetch("with x as (select a from t limit 2) select * from x", "WITH", 101)
            .alsoContains("FETCH NEXT 2 ROWS ONLY"),
        fetch("with x as (select 1 as n) (with y as (select n from x) select * from y)", "WITH", 101),
        fetch(
            "with recursive r (n) as (select 1 union all select n + 1 from r where n < 5)"
                + " select * from r",
            "WITH",
            101),
        // subqueries: inner limits untouched
        fetch("select * from (select * from t limit 3) s", "SELECT", 101)
            .alsoContains("FETCH NEXT 3 ROWS ONLY"),
        fetch("select * from (select * from t limit 500) s limit 50", "ORDER_BY", 50)
            .alsoContains("FETCH NEXT 500 ROWS ONLY"),
        fetch("select * from t where a in (select a from u limit 1000) order by a", "ORDER_BY", 101)
            .alsoContains("FETCH NEXT 1000 ROWS ONLY"),
        fetch("select * from t where exists (select 1 from u where u.a = t.a limit 1)", "SELECT", 101)
            .alsoContains("FETCH NEXT 1 ROWS ONLY"),
        // duplicate column names: no SELECT * FROM (q) wrapper
        fetch("select a.id, b.id from a join b on a.id = b.id", "SELECT", 101),
        fetch("select a.id, b.id from a, b limit 1000", "ORDER_BY", 101),
        fetch("select a.id, b.id from a, b order by 1 limit 5", "ORDER_BY", 5),
        // keywords in literals, comments and quoted identifiers are not statements
        fetch("select 'delete from t; drop table x' as s from t", "SELECT", 101)
            .alsoContains("'delete from t; drop table x'"),
        fetch("select 'limit 1' as s from t", "SELECT", 101),
        fetch("select a from t -- limit 1", "SELECT", 101),
        fetch("select a /* ; drop table t */ from t", "SELECT", 101),
        fetch("/* delete from t; */ select a from t", "SELECT", 101),
        fetch("select \"delete\", \"limit\" from \"select\"", "SELECT", 101),
        fetch("select \"limit\" from \"select\" limit 2", "ORDER_BY", 2),
        // trailing semicolons, parentheses, case
        fetch("select * from t;", "SELECT", 101),
        fetch("select * from t ;\n-- done\n", "SELECT", 101),
        fetch("select * from t;;", "SELECT", 101),
        fetch("(select a from t)", "SELECT", 101),
        fetch("(select a from t order by a limit 3)", "ORDER_BY", 3),
        fetch("SeLeCt * FrOm t LiMiT 5", "ORDER_BY", 5),
        fetch("SELECT *\n  FROM t\n WHERE a = 1\n LIMIT 1000", "ORDER_BY", 101),
        // EXPLAIN PLAN FOR <query>: the inner query, capped
        fetch("explain plan for select * from t", "SELECT", 101).explained(),
        fetch("explain plan for select * from t limit 5", "ORDER_BY", 5).explained(),
        fetch("EXPLAIN PLAN FOR select a from t union select a from u", "UNION", 101).explained(),
        fetch("explain plan as json for values (1)", "VALUES", 101).explained(),
        // LIMIT ?: left in place, reported
        param("select * from t limit ?", "ORDER_BY", 0),
        param("select * from t where a = ? limit ?", "ORDER_BY", 1).paramCount(2),
        param("select * from t limit ? offset ?", "ORDER_BY", 0).paramCount(2),
        param("select * from t order by a fetch next ? rows only", "ORDER_BY", 0),
        param("select a from t union select a from u limit ?", "ORDER_BY", 0),
        param("with x as (select a from t) select * from x limit ?", "ORDER_BY", 0),
        param("select a.id, b.id from a, b limit ?", "ORDER_BY", 0),
        param("explain plan for select * from t limit ?", "ORDER_BY", 0).explained(),
        fetch("select * from t limit 3 offset ?", "ORDER_BY", 3).paramCount(1),
        fetch("select * from t where a = ? and b = ?", "SELECT", 101).paramCount(2));
  }
}
