package io.gatehouse.sqltests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.QueryOptions;
import io.gatehouse.core.QueryResult;
import io.gatehouse.core.exec.SourceStatement;
import io.gatehouse.core.testing.Values;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How the row cap reaches a source. MySQL and MariaDB get it outside a grouped statement
 * ({@code SELECT * FROM (... GROUP BY ...) AS t ORDER BY ... LIMIT n}), because a LIMIT steers
 * their optimizers to index range scans a grouping cannot profit from; a LIMIT the user wrote stays
 * where it was. Every statement still carries the cap. Rows, their order and the truncation flag
 * are the same whichever form is sent.
 */
class RowCapAtSourceTest {
  /** The rows of a query through the engine and the one statement its source received. */
  private record Sent(List<List<Object>> rows, String sql, boolean truncated) {}

  private static Sent run(String sql, QueryOptions options) {
    List<List<Object>> rows = new ArrayList<>();
    try (QueryResult r = TwoSources.ENGINE.session().query(sql, List.of(), options)) {
      while (r.next()) {
        List<Object> row = new ArrayList<>();
        for (Object v : r.row()) {
          row.add(Values.normalize(v));
        }
        rows.add(row);
      }
      List<SourceStatement> statements = r.sourceStatements();
      assertEquals(1, statements.size(), () -> "one statement: " + statements);
      return new Sent(rows, statements.get(0).sql().replaceAll("\\s+", " "), r.truncated());
    }
  }

  private static List<List<Object>> mariadb(String sql) throws SQLException {
    return TwoSources.direct(TwoSources.MARIADB.readerConnection(), sql);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // ORDER BY an aggregate's alias and a grouping column
      "select tier, count(*) as n, max(id) as top from crm.crm.accounts group by tier"
          + " order by n desc, tier"
          + "|select tier, count(*) as n, max(id) as top from crm.accounts group by tier"
          + " order by n desc, tier",
      // ORDER BY an ordinal and a column
      "select account_id, sum(duration_sec) as d from crm.crm.interactions group by account_id"
          + " order by 2 desc, account_id"
          // the engine sorts nulls as the largest values (first when descending)
          + "|select account_id, sum(duration_sec) as d from crm.interactions group by account_id"
          + " order by sum(duration_sec) is null desc, d desc, account_id",
      // nulls ordered against MariaDB's default (written as an IS NULL key), DISTINCT
      "select distinct employees from crm.crm.accounts order by employees desc nulls last"
          + "|select distinct employees from crm.accounts order by employees is null, employees desc",
      // no ORDER BY at all
      "select count(*) as n from crm.crm.contacts group by account_id"
          + "|select count(*) as n from crm.contacts group by account_id"})
  void aGroupedStatementGetsTheCapOutsideWithTheSameRows(String engineSql, String directSql)
      throws SQLException {
    Sent sent = run(engineSql, QueryOptions.defaults());
    assertTrue(sent.sql().startsWith("SELECT * FROM (SELECT "), sent.sql());
    assertTrue(sent.sql().matches("(?s).*\\) AS `t`( ORDER BY [^()]+)? LIMIT 100001"), sent.sql());
    List<List<Object>> expected = mariadb(directSql);
    List<List<Object>> actual = sent.rows();
    if (!engineSql.contains("order by")) {
      // rows in no particular order: compare them as sorted lists
      expected = sorted(expected);
      actual = sorted(actual);
    }
    TwoSources.assertRows(expected, actual);
    assertFalse(sent.truncated());
  }

  private static List<List<Object>> sorted(List<List<Object>> rows) {
    List<List<Object>> copy = new ArrayList<>(rows);
    copy.sort(java.util.Comparator.comparing(Object::toString));
    return copy;
  }

  @Test
  void withHavingTheGroupingIsADerivedTableAndTheCapStaysOutsideIt() throws SQLException {
    // Calcite writes HAVING plus a projection as a SELECT over a grouped derived table: the
    // grouping is computed whole already, so the statement keeps its shape.
    String sql = "select account_id, sum(duration_sec) as d from crm.crm.interactions"
        + " group by account_id having count(*) > 1 order by 2 desc, account_id";
    Sent sent = run(sql, QueryOptions.defaults());
    assertTrue(sent.sql().matches(".*GROUP BY [^()]* HAVING [^()]*\\) AS `\\w+` ORDER BY .*"
        + " LIMIT 100001"), sent.sql());
    TwoSources.assertRows(mariadb(sql.replace("crm.crm.", "crm.")), sent.rows());
  }

  @Test
  void theCapOutsideStillCutsAndSaysSo() throws SQLException {
    Sent sent = run("select account_id, count(*) as n from crm.crm.interactions group by account_id"
        + " order by account_id desc", QueryOptions.defaults().withMaxRows(3));
    assertTrue(sent.sql().startsWith("SELECT * FROM (SELECT "), sent.sql());
    assertTrue(sent.sql().matches(".*\\) AS `t` ORDER BY [^()]*`t`.`account_id` DESC LIMIT 4"),
        sent.sql());
    List<List<Object>> all = mariadb("select account_id, count(*) as n from crm.interactions"
        + " group by account_id order by account_id desc");
    assertTrue(all.size() > 3, "more groups than the cap");
    TwoSources.assertRows(all.subList(0, 3), sent.rows());
    assertTrue(sent.truncated());
  }

  @Test
  void theUsersOwnLimitStaysInTheStatement() throws SQLException {
    String sql = "select tier, count(*) as n from crm.crm.accounts group by tier order by n desc,"
        + " tier limit 2";
    Sent sent = run(sql, QueryOptions.defaults());
    assertFalse(sent.sql().startsWith("SELECT * FROM ("), sent.sql());
    assertTrue(sent.sql().endsWith("LIMIT 2"), sent.sql());
    TwoSources.assertRows(mariadb(sql.replace("crm.crm.", "crm.")), sent.rows());
  }

  @Test
  void aStatementThatIsNotGroupedKeepsTheCapInPlace() {
    Sent sent = run("select id, name from crm.crm.accounts where tier = 'gold' order by id",
        QueryOptions.defaults());
    assertFalse(sent.sql().startsWith("SELECT * FROM ("), sent.sql());
    assertTrue(sent.sql().endsWith("LIMIT 100001"), sent.sql());
    assertFalse(sent.rows().isEmpty());
  }

  @Test
  void aOneRowAggregateGetsTheCapOutsideToo() throws SQLException {
    // No GROUP BY, one row: a LIMIT inside still steered MariaDB to a range scan (TPC-H Q6).
    Sent sent = run("select count(*) as n, sum(employees) as e from crm.crm.accounts where id > 3",
        QueryOptions.defaults());
    assertTrue(sent.sql().startsWith("SELECT * FROM (SELECT COUNT(*)"), sent.sql());
    assertTrue(sent.sql().endsWith(") AS `t` LIMIT 100001"), sent.sql());
    TwoSources.assertRows(
        mariadb("select count(*) as n, sum(employees) as e from crm.accounts where id > 3"),
        sent.rows());
  }

  @Test
  void postgresqlKeepsTheCapOnTheGroupedStatement() {
    Sent sent = run("select country, count(*) as n from shop.public.customers group by country"
        + " order by country", QueryOptions.defaults());
    assertFalse(sent.sql().startsWith("SELECT * FROM ("), sent.sql());
    assertTrue(sent.sql().endsWith("FETCH NEXT 100001 ROWS ONLY"), sent.sql());
    assertFalse(sent.rows().isEmpty());
  }
}
