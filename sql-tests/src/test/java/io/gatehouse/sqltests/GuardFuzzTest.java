package io.gatehouse.sqltests;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.QueryResult;
import io.gatehouse.core.audit.SqlMasker;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import io.gatehouse.core.exec.SourceStatement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Guard fuzzing: thousands of SQL texts made by mutating and combining queries, DML, DDL, comments,
 * literals and nesting run through the engine against the real PostgreSQL and MariaDB, with every
 * statement sent to a source recorded. The properties:
 *
 * <ul>
 *   <li>every statement a source receives is one read query: it starts with SELECT or WITH, holds
 *       no second statement and no writing or locking clause;
 *   <li>a query pushed down whole reaches its source carrying the row cap ({@code LIMIT} or
 *       {@code FETCH} of at most cap + 1), and no result ever has more rows than the cap;
 *   <li>every failure is a coded {@link GatehouseException}: nothing else escapes.
 * </ul>
 *
 * <p>The seed is fixed, so CI runs the same cases every time; {@code -Dfuzz.seed=N} and
 * {@code -Dfuzz.cases=N} run others, for longer runs by hand. The counts per outcome are printed.
 */
class GuardFuzzTest {
  private static final long CAP = 25;
  private static final long SEED = Long.getLong("fuzz.seed", 20261125L);
  private static final int CASES = Integer.getInteger("fuzz.cases", 2000);

  private static final String[] QUERIES = {
      "select id, name from shop.public.customers where country = 'US'",
      "select * from shop.public.orders o join shop.public.customers c on c.id = o.customer_id",
      "select status, count(*) from shop.public.orders group by status having count(*) > 1",
      "select name from crm.crm.accounts order by name",
      "with t as (select id from shop.public.products) select * from t",
      "select id from shop.public.customers union all select id from shop.public.orders",
      "values (1, 'a'), (2, 'b')",
      "select * from (select id, row_number() over (order by id) rn from shop.public.customers) x",
      "select c.id from shop.public.customers c where exists (select 1 from shop.public.orders o"
          + " where o.customer_id = c.id)",
      "select a.id, b.id from shop.public.customers a join crm.crm.accounts b on a.id = b.id",
      "select 1",
      "select count(*) from shop.public.events",
      "select * from shop.public.type_samples",
  };

  private static final String[] WRITES = {
      "delete from shop.public.customers",
      "update shop.public.customers set name = 'x'",
      "insert into shop.public.customers (id) values (999)",
      "insert into shop.public.customers select * from shop.public.customers",
      "drop table shop.public.customers",
      "create table shop.public.evil (x int)",
      "alter table shop.public.customers add column y int",
      "truncate table shop.public.orders",
      "grant all on shop.public.customers to public",
      "merge into shop.public.customers t using shop.public.orders s on t.id = s.id"
          + " when matched then delete",
      "select * from shop.public.customers for update",
      "select * into shop.public.copy from shop.public.customers",
      "call shop.public.proc()",
      "set role postgres",
      "commit",
      "explain select 1",
      "copy shop.public.customers to '/tmp/x'",
      "lock table shop.public.customers",
  };

  private static final String[] FRAGMENTS = {
      ";", "--", "/*", "*/", "'", "\"", "'; drop table shop.public.customers; --", "/* ; */",
      "-- ;\n", "(", ")", ",", " or 1=1", " union select 1", " limit 100000", " limit -1",
      " offset 5", " fetch first 1000000 rows only", " for update", " where", " order by 1",
      " 1e400", " 99999999999999999999999999", " null", " $$x$$", " e'\\''", " ?", " \\", "\u0000",
      " \u00e9", " select", " from", " into", " returning *", " limit all",
  };

  private static final Pattern WRITING = Pattern.compile(
      "\\b(insert|update|delete|merge|drop|create|alter|truncate|grant|revoke|copy|call|lock|into"
          + "|execute|set|for\\s+(update|share|no\\s+key\\s+update|key\\s+share))\\b");
  private static final Pattern CAP_AT_END = Pattern.compile(
      "(?:limit\\s+(\\d+)(?:\\s+offset\\s+\\d+)?|fetch\\s+(?:next|first)\\s+(\\d+)\\s+rows?\\s+only)\\s*$");

  @Test
  void onlyCappedReadsReachTheSourcesAndEveryFailureIsCoded() {
    List<SourceStatement> sent = new CopyOnWriteArrayList<>();
    Map<ErrorCode, Integer> outcomes = new EnumMap<>(ErrorCode.class);
    int ok = 0;
    int pushed = 0;
    int statements = 0;
    Random random = new Random(SEED);
    try (Gatehouse engine = Gatehouse.open(ConfigLoader.withDiscoveredAdapters().fromMap(Map.of(
        "engine", Map.of("maxRows", CAP, "queryTimeout", "5s"),
        "audit", Map.of("destination", "none"),
        "sources", List.of(TwoSources.postgresSource("shop", "public", "sales"),
            TwoSources.mariadbSource("crm", "crm")))))) {
      engine.addStatementListener(sent::add);
      for (int i = 0; i < CASES; i++) {
        String sql = generate(random);
        sent.clear();
        try (QueryResult r = engine.query(sql)) {
          long rows = 0;
          while (r.next()) {
            rows++;
          }
          assertTrue(rows <= CAP, () -> "more rows than the cap for: " + sql);
          if (r.pushedDown()) {
            pushed++;
            for (SourceStatement s : sent) {
              assertCapped(sql, s.sql());
            }
          }
          ok++;
        } catch (GatehouseException e) {
          outcomes.merge(e.code(), 1, Integer::sum);
        } catch (Throwable t) {
          fail("case " + i + " (seed " + SEED + ") escaped as " + t.getClass().getName()
              + " instead of a coded error; SQL: " + sql, t);
        }
        statements += sent.size();
        for (SourceStatement s : sent) {
          assertRead(sql, s.sql());
        }
      }
    }
    System.out.printf("guard fuzzing, seed %d: %d cases, %d answered (%d pushed down whole),"
        + " %d statements reached sources, failures by code %s%n", SEED, CASES, ok, pushed,
        statements, outcomes);
    assertTrue(ok > CASES / 20, "the generator should also make queries that run: " + ok);
    assertTrue(outcomes.getOrDefault(ErrorCode.QUERY_REJECTED, 0) > CASES / 20,
        "and statements the guard refuses: " + outcomes);
  }

  /** One statement, a read: what the source received, with literals and comments masked out. */
  private static void assertRead(String client, String sent) {
    String masked = withoutQuotedNames(SqlMasker.mask(sent)).toLowerCase(Locale.ROOT).strip();
    String start = masked.replaceFirst("^[(\\s]+", "");
    if (!(start.startsWith("select") || start.startsWith("with"))) {
      fail("a source received something other than a query: " + sent + "\nfrom: " + client);
    }
    if (masked.contains(";")) {
      fail("a source received more than one statement: " + sent + "\nfrom: " + client);
    }
    Matcher m = WRITING.matcher(masked);
    if (m.find()) {
      fail("a source received '" + m.group() + "': " + sent + "\nfrom: " + client);
    }
  }

  /** A query pushed down whole must carry the cap itself. */
  private static void assertCapped(String client, String sent) {
    Matcher m = CAP_AT_END.matcher(sent.toLowerCase(Locale.ROOT).strip());
    if (!m.find()) {
      fail("a whole query reached its source without the row cap: " + sent + "\nfrom: " + client);
    }
    long limit = Long.parseLong(m.group(1) != null ? m.group(1) : m.group(2));
    if (limit > CAP + 1) {
      fail("the limit " + limit + " exceeds the cap " + CAP + ": " + sent + "\nfrom: " + client);
    }
  }

  private static String withoutQuotedNames(String sql) {
    return sql.replaceAll("\"(?:[^\"]|\"\")*\"", "\"n\"").replaceAll("`(?:[^`]|``)*`", "`n`");
  }

  // --- the generator ---

  private static String pick(Random r, String[] from) {
    return from[r.nextInt(from.length)];
  }

  static String generate(Random r) {
    String base = r.nextInt(4) == 0 ? pick(r, WRITES) : pick(r, QUERIES);
    int mutations = r.nextInt(4);
    for (int i = 0; i < mutations; i++) {
      base = mutate(r, base);
    }
    return base;
  }

  private static String mutate(Random r, String sql) {
    switch (r.nextInt(10)) {
      case 0: // a second statement
        return sql + (r.nextBoolean() ? "; " : ";\n") + pick(r, r.nextBoolean() ? WRITES : QUERIES);
      case 1: // nesting
        return "select * from (" + sql + ") as t" + r.nextInt(10);
      case 2: // a comment somewhere
        return insertAt(r, sql, r.nextBoolean() ? "/* " + pick(r, WRITES) + " */" : "-- " + pick(r, WRITES) + "\n");
      case 3: // a fragment somewhere
        return insertAt(r, sql, pick(r, FRAGMENTS));
      case 4: // a fragment at the end
        return sql + pick(r, FRAGMENTS);
      case 5: // a CTE around it
        return "with w as (" + sql + ") select * from w";
      case 6: // a set operation
        return sql + (r.nextBoolean() ? " union all " : " except ") + pick(r, QUERIES);
      case 7: // case changes
        return r.nextBoolean() ? sql.toUpperCase(Locale.ROOT) : sql;
      case 8: // drop a token
        String[] words = sql.split(" ");
        if (words.length < 3) {
          return sql;
        }
        int k = r.nextInt(words.length);
        List<String> kept = new ArrayList<>(List.of(words));
        kept.remove(k);
        return String.join(" ", kept);
      default: // a literal holding SQL
        return sql + " where 'x' <> '" + pick(r, WRITES).replace("'", "''") + "'";
    }
  }

  private static String insertAt(Random r, String sql, String what) {
    int at = r.nextInt(sql.length() + 1);
    return sql.substring(0, at) + " " + what + " " + sql.substring(at);
  }
}
