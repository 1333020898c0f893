package io.gatehouse.adapter.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.adapter.mysql.testing.MariaDbFixture;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.QueryResult;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.introspect.IntrospectOptions;
import io.gatehouse.core.introspect.SourceModel;
import io.gatehouse.core.introspect.SourceModel.Column;
import io.gatehouse.core.introspect.SourceModel.Table;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Introspection of a real MariaDB database made for it: composite primary and foreign keys, a
 * unique key, defaults, comments, a view, a table hidden by a pattern, and refresh after DDL.
 */
class MariaDbIntrospectionTest {
  private static final MariaDbFixture DB = MariaDbFixture.get();
  private static final String DATABASE = "intro_db";
  private static Gatehouse engine;

  @BeforeAll
  static void setUp() throws SQLException {
    admin("drop database if exists " + DATABASE,
        "create database " + DATABASE,
        "create table intro_db.parent (a int, b varchar(10), name varchar(40) not null default 'x'"
            + " comment 'What it is called', primary key (a, b)) comment 'Parents of children'",
        "create table intro_db.child (id bigint primary key, pa int, pb varchar(10),"
            + " amount decimal(10,3) default 0, flag tinyint(1), code char(4), unique key child_code (code),"
            + " constraint child_parent_fk foreign key (pa, pb) references intro_db.parent (a, b))",
        "create view intro_db.child_view as select id, amount from intro_db.child",
        "create table intro_db.scratch_tmp (x int)",
        "insert into intro_db.parent values (1, 'k', 'n'), (2, 'k', 'm')",
        "grant select, show view on " + DATABASE + ".* to '" + DB.readerUser() + "'@'%'");
    engine = Gatehouse.open(ConfigLoader.withDiscoveredAdapters().fromMap(Map.of(
        "sources", List.of(Map.of("id", "maria", "type", "mariadb", "host", DB.host(),
            "port", DB.port(), "user", DB.readerUser(), "password", DB.readerPassword(),
            "tls", "disable", "schemas", List.of(DATABASE), "exclude", List.of("*_tmp"))))));
  }

  @AfterAll
  static void tearDown() throws SQLException {
    engine.close();
    admin("drop database if exists " + DATABASE);
  }

  private static void admin(String... sql) throws SQLException {
    try (Connection c = DB.adminConnection(); Statement s = c.createStatement()) {
      for (String q : sql) {
        s.execute(q);
      }
    }
  }

  private static Table table(SourceModel m, String name) {
    return m.schemas().get(0).tables().stream().filter(t -> t.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no table " + name + " in " + m));
  }

  private static Column column(Table t, String name) {
    return t.columns().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void theModelHasKeysCommentsDefaultsAndViews() {
    SourceModel m = engine.introspect("maria", IntrospectOptions.defaults());
    assertEquals("mysql", m.type());
    List<String> names = m.schemas().get(0).tables().stream().map(Table::name).toList();
    assertEquals(List.of("child", "child_view", "parent"), names.stream().sorted().toList());

    Table parent = table(m, "parent");
    assertEquals("Parents of children", parent.comment());
    assertEquals(List.of("a", "b"), parent.primaryKey().columns());
    Column name = column(parent, "name");
    assertEquals("What it is called", name.comment());
    assertTrue(name.defaultValue().contains("x"), name.defaultValue());
    assertEquals(40, name.length());

    Table child = table(m, "child");
    assertEquals(List.of("id"), child.primaryKey().columns());
    assertEquals(List.of("code"), child.uniqueKeys().get(0).columns());
    SourceModel.ForeignKey fk = child.foreignKeys().get(0);
    assertEquals("child_parent_fk", fk.name());
    assertEquals(List.of("pa", "pb"), fk.columns());
    assertEquals(DATABASE, fk.refSchema());
    assertEquals("parent", fk.refTable());
    assertEquals(List.of("a", "b"), fk.refColumns());
    assertEquals("DECIMAL(10, 3)", column(child, "amount").sqlType());
    assertEquals("BOOLEAN", column(child, "flag").sqlType());

    Table view = table(m, "child_view");
    assertEquals("VIEW", view.kind());
    assertNull(view.primaryKey());
  }

  @Test
  void profilingReadsABoundedSample() {
    SourceModel m = engine.introspect("maria", IntrospectOptions.defaults().withProfile(true));
    Table parent = table(m, "parent");
    assertTrue(parent.profile().complete());
    assertEquals(2, parent.profile().sampledRows());
    assertEquals(1, column(parent, "b").profile().distinctEstimate());
    assertEquals("1", column(parent, "a").profile().min());
    assertEquals("2", column(parent, "a").profile().max());
  }

  @Test
  void refreshSeesDdlAndTheCatalogCostStaysFixed() throws SQLException {
    engine.refreshMetadata("maria");
    engine.introspect("maria", IntrospectOptions.defaults());
    int statements = engine.catalogStats("maria").statements();
    assertEquals(3, statements, "tables, columns and keys: one query each");
    admin("create table intro_db.added (k int primary key)", "alter table intro_db.child drop column flag");
    try {
      engine.refreshMetadata("maria");
      SourceModel after = engine.introspect("maria", IntrospectOptions.defaults());
      assertEquals(statements, engine.catalogStats("maria").statements());
      assertEquals(List.of("k"), table(after, "added").primaryKey().columns());
      assertFalse(table(after, "child").columns().stream().anyMatch(c -> c.name().equals("flag")));
      List<String> keys = new ArrayList<>();
      try (QueryResult r = engine.query("select table_name, constraint_type from gatehouse.metadata.keys"
          + " where table_name = 'added'")) {
        while (r.next()) {
          keys.add(r.get(0) + " " + r.get(1));
        }
      }
      assertEquals(List.of("added PRIMARY KEY"), keys);
    } finally {
      admin("drop table intro_db.added", "alter table intro_db.child add column flag tinyint(1)");
      engine.refreshMetadata("maria");
    }
  }
}
