package io.gatehouse.core.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Everything that is not exactly one read query is refused with QUERY_REJECTED, and the message
 * names what was refused. Some of these Calcite parses into a tree (INSERT, UPDATE, SET, ...), the
 * others it cannot parse at all (CREATE, DROP, VACUUM, ...); both paths must refuse.
 */
class QueryGuardRejectionTest {
  private static final String READ_ONLY = "Gatehouse accepts only read queries";
  private static final String MULTIPLE = "multiple statements are not allowed";
  private static final String LOCKS = "Gatehouse never takes locks";

  private final QueryGuard guard = new QueryGuard();

  static Stream<Arguments> rejected() {
    return Stream.of(
        // INSERT / UPSERT / REPLACE
        reject("insert into t values (1)", "INSERT statements are not allowed"),
        reject("insert into t (a, b) values (1, 2), (3, 4)", "INSERT statements"),
        reject("insert into t select * from u", "INSERT statements"),
        reject("INSERT INTO t SELECT * FROM u WHERE a > 1;", "INSERT statements"),
        reject("insert into t (a) with x as (select 1) select * from x", "INSERT statements"),
        reject("upsert into t values (1)", "UPSERT statements are not allowed"),
        reject("upsert into t select * from u", "UPSERT statements"),
        reject("insert t values (1)", "INSERT statements"),
        reject("insert overwrite table t select * from u", "INSERT statements"),
        reject("replace into t values (1)", "REPLACE statements"),
        // UPDATE
        reject("update t set a = 1", "UPDATE statements are not allowed"),
        reject("update t set a = a + 1 where b in (select b from u)", "UPDATE statements"),
        reject("UPDATE t SET a = 1;", "UPDATE statements"),
        // DELETE, also behind comments that look like a select
        reject("delete from t", "DELETE statements are not allowed"),
        reject("delete from t where a = 1", "DELETE statements"),
        reject("delete t", "DELETE statements"),
        reject("/* select */ delete from t", "DELETE statements"),
        reject("-- select\ndelete from t", "DELETE statements"),
        reject("/* select 1; */ delete from t -- select", "DELETE statements"),
        reject("  \n\t-- select * from t\n  /* ; */ DeLeTe FROM t", "DELETE statements"),
        // MERGE, CALL
        reject(
            "merge into t using u on t.a = u.a when matched then update set b = u.b"
                + " when not matched then insert (a, b) values (u.a, u.b)",
            "MERGE statements are not allowed"),
        reject("call p(1)", "CALL statements are not allowed"),
        reject("call sys.kill(1)", "CALL statements"),
        // SET / RESET / ALTER ... SET (SqlSetOption) and other SETs Calcite cannot parse
        reject("set x = 1", "SET statements are not allowed"),
        reject("set schema = 'x'", "SET statements"),
        reject("alter system set x = 1", "ALTER SYSTEM SET statements"),
        reject("alter session set x = 'y'", "ALTER SESSION SET statements"),
        reject("alter session reset all", "ALTER SESSION RESET statements"),
        reject("reset x", "RESET statements"),
        reject("reset all", "RESET statements"),
        reject("set role admin", "SET statements"),
        reject("set transaction read only", "SET statements"),
        reject("set search_path to x", "SET statements"),
        reject("set session authorization bob", "SET statements"),
        // DDL
        reject("create table t (a int)", "CREATE statements are not allowed"),
        reject("create view v as select 1", "CREATE statements"),
        reject("create or replace view v as select * from t", "CREATE statements"),
        reject("create index i on t (a)", "CREATE statements"),
        reject("create schema s", "CREATE statements"),
        reject("drop table t", "DROP statements are not allowed"),
        reject("drop schema s cascade", "DROP statements"),
        reject("alter table t add column b int", "ALTER statements are not allowed"),
        reject("alter table t rename to u", "ALTER statements"),
        reject("alter user bob with password 'x'", "ALTER statements"),
        reject("truncate table t", "TRUNCATE statements are not allowed"),
        reject("truncate t", "TRUNCATE statements"),
        reject("comment on table t is 'x'", "COMMENT statements"),
        reject("analyze t", "ANALYZE statements"),
        // privileges
        reject("grant select on t to bob", "GRANT statements are not allowed"),
        reject("grant all privileges on t to bob", "GRANT statements"),
        reject("revoke all on t from bob", "REVOKE statements are not allowed"),
        // transactions
        reject("begin", "BEGIN statements are not allowed"),
        reject("begin transaction", "BEGIN statements"),
        reject("commit", "COMMIT statements are not allowed"),
        reject("commit work", "COMMIT statements"),
        reject("rollback", "ROLLBACK statements are not allowed"),
        reject("start transaction", "START statements"),
        reject("savepoint s1", "SAVEPOINT statements"),
        reject("release savepoint s1", "RELEASE statements"),
        // other engine and session commands
        reject("copy t to stdout", "COPY statements are not allowed"),
        reject("copy t from '/etc/passwd'", "COPY statements"),
        reject("vacuum", "VACUUM statements are not allowed"),
        reject("vacuum full t", "VACUUM statements"),
        reject("lock table t in exclusive mode", "LOCK statements are not allowed"),
        reject("lock tables t write", "LOCK statements"),
        reject("show tables", "SHOW statements are not allowed"),
        reject("show search_path", "SHOW statements"),
        reject("use db", "USE statements are not allowed"),
        reject("do $$ begin perform 1; end $$", "DO statements"),
        reject("prepare p as select 1", "PREPARE statements"),
        reject("execute p", "EXECUTE statements"),
        reject("load data infile 'x' into table t", "LOAD statements"),
        reject("handler t open", "HANDLER statements"),
        reject("describe t", "DESCRIBE statements are not allowed"),
        reject("describe table t", "DESCRIBE statements"),
        reject("describe schema s", "DESCRIBE SCHEMA statements"),
        reject("table t", "TABLE statements"),
        reject("table t limit 3", "TABLE statements"),
        // EXPLAIN of anything but a query
        reject("explain plan for delete from t", "EXPLAIN of DELETE statements is not allowed"),
        reject("explain plan for insert into t values (1)", "EXPLAIN of INSERT"),
        reject("explain plan for update t set a = 1", "EXPLAIN of UPDATE"),
        reject(
            "explain plan for merge into t using u on t.a = u.a when matched then update set b = 1",
            "EXPLAIN of MERGE"),
        reject("explain plan for create table t (a int)", "EXPLAIN of CREATE"),
        reject("explain plan for describe t", "EXPLAIN of DESCRIBE"),
        reject("explain plan for explain plan for select 1", "EXPLAIN of EXPLAIN"),
        // several statements, parsable or not, with comments in between
        reject("select 1; select 2", MULTIPLE + ": found 2 statements"),
        reject("select 1; select 2; select 3", "found 3 statements"),
        reject("select 1; delete from t", MULTIPLE),
        reject("delete from t; select 1", MULTIPLE),
        reject("select 1;; select 2", MULTIPLE),
        reject("select 'a;b'; select 2", MULTIPLE),
        reject("select 1; insert into t values (1)", MULTIPLE),
        reject("select * from t; drop table t", MULTIPLE + ": another statement starts at line 1"),
        reject("select 1; /* gap */ -- more\n drop table t", "starts at line 2, column 2"),
        reject("select 1;\n-- c\nvacuum", "starts at line 3, column 1"),
        reject("select 1; selec 2", MULTIPLE),
        reject("select 1; create table x (a int);", MULTIPLE),
        // locking and writing clauses
        reject("select * from t for update", "SELECT ... FOR UPDATE is not allowed: " + LOCKS),
        reject("select * from t for share", "SELECT ... FOR SHARE is not allowed"),
        reject("select * from t where a = 1 for update nowait", "FOR UPDATE"),
        reject("select * from t order by a limit 1 for update", "FOR UPDATE"),
        reject("select * from t for update of t skip locked", "FOR UPDATE"),
        reject("select * from t for no key update", "FOR NO KEY UPDATE"),
        reject("select * from t for key share", "FOR KEY SHARE"),
        reject("select * from (select * from t for update) s", LOCKS),
        reject("values (1) for update", LOCKS),
        reject("select * into newtab from t", "SELECT INTO is not allowed: it creates a table"),
        reject("select a, b into newtab from t where a > 1", "SELECT INTO is not allowed"),
        // DML hidden inside a query shape
        reject("with x as (delete from t returning *) select * from x", "DELETE is not allowed"),
        reject("with x as (insert into t values (1)) select 1", "INSERT is not allowed"),
        reject("with x as (select 1) delete from t", "DELETE statements"),
        reject("with x as (select 1) insert into t select * from x", "INSERT statements"),
        reject("select * from (delete from t)", "DELETE is not allowed inside a query"),
        reject("select * from t where a in (update t set a = 1)", "UPDATE is not allowed"),
        reject("select * from t where a in ((delete from t))", "DELETE is not allowed"),
        // no statement at all
        reject("", "empty statement"),
        reject("   \n\t ", "empty statement"),
        reject("-- only a comment", "empty statement"),
        reject("/* nothing */", "empty statement"),
        reject(";", "empty statement"),
        reject(";;", "empty statement"));
  }

  private static Arguments reject(String sql, String fragment) {
    return Arguments.of(sql, fragment);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("rejected")
  void rejects(String sql, String fragment) {
    GatehouseException e = assertThrows(GatehouseException.class, () -> guard.check(sql, 100));
    assertEquals(ErrorCode.QUERY_REJECTED, e.code(), e::getMessage);
    assertTrue(e.getMessage().startsWith("QUERY_REJECTED: "), e::getMessage);
    assertTrue(e.detail().contains(fragment), () -> "expected '" + fragment + "' in: " + e.detail());
    assertFalse(e.getMessage().contains("\n"), "single-line message");
    assertFalse(e.getMessage().contains("Exception"), "no internals in the message");
    assertNull(e.getCause(), "no cause attached");
    boolean namesAKind =
        !e.detail().startsWith("multiple") && !e.detail().startsWith("EXPLAIN of")
            && e.detail().contains(" statements are not allowed");
    if (namesAKind) {
      assertTrue(e.detail().contains(READ_ONLY), e::getMessage);
    }
  }
}
