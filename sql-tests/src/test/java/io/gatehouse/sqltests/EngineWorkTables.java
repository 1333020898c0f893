package io.gatehouse.sqltests;

import static io.gatehouse.sqltests.TwoSources.MARIADB;
import static io.gatehouse.sqltests.TwoSources.PG;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Tables for work the engine does itself, made once per run in a database {@code membudget} of the
 * shared PostgreSQL and MariaDB (kept apart from the fixtures' own databases, whose catalogs other
 * tests compare exactly):
 * <ul>
 *   <li>{@code items} (PostgreSQL) and {@code tags} (MariaDB), {@value #ROWS} rows each, ids 1..N;
 *       {@code items.label} equals {@code tags.tag} for the same id ({@code 'item number N'});
 *   <li>{@code names} in both: the same short texts that sort differently by collation and case.
 * </ul>
 */
final class EngineWorkTables {
  static final int ROWS = 60_000;
  /** Texts whose order differs between PostgreSQL, MariaDB's case-insensitive collation and Java. */
  static final String NAMES = "('apple'), ('Banana'), ('cherry'), ('Date'), ('_under'),"
      + " ('Zulu'), ('zeta'), ('Äpfel'), ('aardvark'), ('B2'), ('b1'), ('10'), ('9')";
  static final int NAME_COUNT = 13;
  private static boolean loaded;

  private EngineWorkTables() {}

  static synchronized void load() throws SQLException {
    if (loaded) {
      return;
    }
    try (Connection c = PG.adminConnection(); Statement s = c.createStatement()) {
      if (!exists(s, "select 1 from pg_database where datname = 'membudget'")) {
        s.execute("create database membudget");
        s.execute("grant connect on database membudget to " + PG.readerUser());
      }
    }
    try (Connection c = PG.adminConnection("membudget"); Statement s = c.createStatement()) {
      s.execute("drop table if exists items");
      s.execute("create table items (id int primary key, amount numeric(10,2), label text)");
      s.execute("insert into items select g, g % 1000 / 10.0, 'item number ' || g"
          + " from generate_series(1, " + ROWS + ") g");
      s.execute("analyze items");
      s.execute("drop table if exists names");
      s.execute("create table names (name varchar(40))");
      s.execute("insert into names values " + NAMES);
      s.execute("grant select on names to " + PG.readerUser());
      s.execute("grant select on items to " + PG.readerUser());
    }
    try (Connection c = MARIADB.adminConnection(); Statement s = c.createStatement()) {
      s.execute("create database if not exists membudget");
      s.execute("drop table if exists membudget.tags");
      s.execute("create table membudget.tags (id int primary key, tag varchar(40))");
      s.execute("set session max_recursive_iterations = " + (ROWS + 1));
      s.execute("insert into membudget.tags with recursive n(i) as (select 1 union all select i + 1"
          + " from n where i < " + ROWS + ") select i, concat('item number ', i) from n");
      s.execute("analyze table membudget.tags");
      s.execute("drop table if exists membudget.names");
      s.execute("create table membudget.names (name varchar(40))");
      s.execute("insert into membudget.names values " + NAMES);
      s.execute("grant select on membudget.* to '" + MARIADB.readerUser() + "'@'%'");
    }
    loaded = true;
  }

  private static boolean exists(Statement s, String sql) throws SQLException {
    try (var rs = s.executeQuery(sql)) {
      return rs.next();
    }
  }
}
