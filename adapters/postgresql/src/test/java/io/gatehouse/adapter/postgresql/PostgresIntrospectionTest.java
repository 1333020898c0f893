package io.gatehouse.adapter.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.adapter.postgresql.testing.PostgresFixture;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.QueryResult;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.config.TableFilter;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import io.gatehouse.core.introspect.IntrospectOptions;
import io.gatehouse.core.introspect.SourceModel;
import io.gatehouse.core.introspect.SourceModel.Column;
import io.gatehouse.core.introspect.SourceModel.Table;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Introspection of a real PostgreSQL schema made for it: a composite primary key, a composite
 * foreign key, a unique constraint, defaults, comments on tables and columns, a view, a table hidden
 * by an exclude pattern, an awkward quoted name, and a table large enough to be sampled.
 */
class PostgresIntrospectionTest {
  private static final PostgresFixture PG = PostgresFixture.get();
  private static final String SCHEMA = "intro";
  private static Gatehouse engine;

  @BeforeAll
  static void setUp() throws SQLException {
    admin("drop schema if exists " + SCHEMA + " cascade",
        "create schema " + SCHEMA,
        "create table intro.parent (a integer, b text, name varchar(40) not null default 'x',"
            + " primary key (a, b))",
        "comment on table intro.parent is 'Parents of children'",
        "comment on column intro.parent.name is 'What it is called'",
        "create table intro.child (id bigint primary key, pa integer, pb text,"
            + " amount numeric(10,3) default 0, created timestamptz default now(), code char(4) unique,"
            + " foreign key (pa, pb) references intro.parent (a, b))",
        "create view intro.child_view as select id, amount from intro.child",
        "comment on view intro.child_view is 'Amounts only'",
        "create table intro.scratch_tmp (x integer)",
        "create table intro.\"Odd Name\" (\"Mixed Col\" integer, \"select\" text)",
        "insert into intro.\"Odd Name\" values (1, 'a'), (2, null), (2, 'b')",
        "insert into intro.parent select i, 'k' || i, 'n' || (i % 3) from generate_series(1, 20) i",
        "create table intro.big (id integer primary key, grp integer not null, maybe text)",
        "insert into intro.big select i, i % 10, case when i % 10 = 0 then null else 'v' || (i % 7) end"
            + " from generate_series(1, 60000) i",
        "analyze intro.big",
        "analyze intro.parent",
        "grant usage on schema intro to " + PG.readerUser(),
        "grant select on all tables in schema intro to " + PG.readerUser());
    engine = Gatehouse.open(ConfigLoader.withDiscoveredAdapters().fromMap(Map.of(
        "engine", Map.of("maxRows", 5000),
        "sources", List.of(Map.of("id", "pg", "type", "postgresql", "host", PG.host(),
            "port", PG.port(), "database", PG.database(), "user", PG.readerUser(),
            "password", PG.readerPassword(), "tls", "disable", "schemas", List.of(SCHEMA),
            "exclude", List.of("*_tmp"))))));
  }

  @AfterAll
  static void tearDown() throws SQLException {
    engine.close();
    admin("drop schema if exists " + SCHEMA + " cascade");
  }

  private static void admin(String... sql) throws SQLException {
    try (Connection c = PG.adminConnection(); Statement s = c.createStatement()) {
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
    return t.columns().stream().filter(c -> c.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no column " + name + " in " + t));
  }

  @Test
  void theModelHasKindsCommentsKeysDefaultsAndTypes() {
    SourceModel m = engine.introspect("pg", IntrospectOptions.defaults());
    assertEquals("pg", m.source());
    assertEquals("postgresql", m.type());
    assertEquals(List.of(SCHEMA), m.schemas().stream().map(SourceModel.Schema::name).toList());
    List<String> names = m.schemas().get(0).tables().stream().map(Table::name).toList();
    assertTrue(names.containsAll(List.of("parent", "child", "child_view", "big", "Odd Name")), names::toString);
    assertFalse(names.contains("scratch_tmp"), "excluded by the source's pattern");

    Table parent = table(m, "parent");
    assertEquals("TABLE", parent.kind());
    assertEquals("Parents of children", parent.comment());
    assertEquals(List.of("a", "b"), parent.primaryKey().columns());
    Column name = column(parent, "name");
    assertEquals("What it is called", name.comment());
    assertEquals("'x'::character varying", name.defaultValue());
    assertFalse(name.nullable());
    assertEquals(40, name.length());
    assertEquals("VARCHAR(40)", name.sqlType());
    assertEquals("character varying", name.sourceType());
    assertEquals(3, name.position());

    Table child = table(m, "child");
    assertEquals(List.of("id"), child.primaryKey().columns());
    assertEquals(1, child.uniqueKeys().size());
    assertEquals(List.of("code"), child.uniqueKeys().get(0).columns());
    assertEquals(1, child.foreignKeys().size());
    SourceModel.ForeignKey fk = child.foreignKeys().get(0);
    assertEquals(List.of("pa", "pb"), fk.columns());
    assertEquals(SCHEMA, fk.refSchema());
    assertEquals("parent", fk.refTable());
    assertEquals(List.of("a", "b"), fk.refColumns());
    Column amount = column(child, "amount");
    assertEquals("DECIMAL(10, 3)", amount.sqlType());
    assertEquals(10, amount.precision());
    assertEquals(3, amount.scale());
    assertNull(amount.length());
    assertEquals("0", amount.defaultValue());
    assertEquals(4, column(child, "code").length());
    assertEquals("timestamp with time zone", column(child, "created").sourceType());
    assertTrue(child.sizeBytes() != null && child.sizeBytes() > 0, "tables have a size");

    Table view = table(m, "child_view");
    assertEquals("VIEW", view.kind());
    assertEquals("Amounts only", view.comment());
    assertNull(view.rowEstimate());
    assertNull(view.primaryKey());

    Table big = table(m, "big");
    assertTrue(big.rowEstimate() > 50_000 && big.rowEstimate() < 70_000, () -> "estimate " + big.rowEstimate());
    assertNull(big.profile(), "no profile unless asked");
  }

  @Test
  void optionsNarrowTheTables() {
    SourceModel m = engine.introspect("pg", IntrospectOptions.defaults()
        .withTables(new TableFilter(List.of("intro.p*", "child*"), List.of("child_view"))));
    assertEquals(List.of("child", "parent"), m.schemas().get(0).tables().stream().map(Table::name)
        .sorted().toList());
    SourceModel none = engine.introspect("pg", IntrospectOptions.defaults()
        .withTables(new TableFilter(List.of("scratch_tmp"), List.of())));
    assertTrue(none.schemas().get(0).tables().isEmpty(), "options cannot reveal what the source hides");
  }

  @Test
  void profilingSamplesLargeTablesAndReadsSmallOnesWhole() {
    SourceModel m = engine.introspect("pg", IntrospectOptions.defaults().withProfile(true)
        .withSampleRows(1000).withSampleValues(3));
    Table big = table(m, "big");
    assertNotNull(big.profile());
    assertNull(big.profile().error());
    assertFalse(big.profile().complete(), "a 60,000-row table is sampled, not read");
    assertTrue(big.profile().sampledRows() > 0 && big.profile().sampledRows() <= 1000,
        () -> "sampled " + big.profile().sampledRows());
    SourceModel.ColumnProfile grp = column(big, "grp").profile();
    assertEquals(0.0, grp.nullFraction());
    assertEquals(10, grp.distinctEstimate(), "every one of 10 values is seen many times");
    assertEquals("0", grp.min());
    assertEquals("9", grp.max());
    assertEquals(3, grp.sampleValues().size());
    SourceModel.ColumnProfile maybe = column(big, "maybe").profile();
    assertTrue(maybe.nullFraction() > 0.03 && maybe.nullFraction() < 0.2, () -> "nulls " + maybe.nullFraction());
    SourceModel.ColumnProfile id = column(big, "id").profile();
    assertTrue(id.distinctEstimate() > 5_000, () -> "a unique column is estimated from singletons: "
        + id.distinctEstimate());

    Table odd = table(m, "Odd Name");
    assertTrue(odd.profile().complete(), "a small table is read whole");
    assertEquals(3, odd.profile().sampledRows());
    assertEquals(2, column(odd, "Mixed Col").profile().distinctEstimate());
    assertEquals(1.0 / 3, column(odd, "select").profile().nullFraction(), 1e-9);
    assertEquals("1", column(odd, "Mixed Col").profile().min());
  }

  @Test
  void profilingStaysUnderTheRowCap() {
    try (Gatehouse small = Gatehouse.open(ConfigLoader.withDiscoveredAdapters().fromMap(Map.of(
        "engine", Map.of("maxRows", 50),
        "sources", List.of(Map.of("id", "pg", "type", "postgresql", "host", PG.host(),
            "port", PG.port(), "database", PG.database(), "user", PG.readerUser(),
            "password", PG.readerPassword(), "tls", "disable", "schemas", List.of(SCHEMA))))))) {
      SourceModel m = small.introspect("pg", IntrospectOptions.defaults().withProfile(true));
      assertTrue(table(m, "big").profile().sampledRows() <= 50);
    }
  }

  @Test
  void theCatalogIsReadWithAFixedNumberOfStatementsAndRefreshSeesDdl() throws SQLException {
    engine.refreshMetadata("pg");
    SourceModel before = engine.introspect("pg", IntrospectOptions.defaults());
    var stats = engine.catalogStats("pg");
    int statements = stats.statements();
    assertEquals(3, statements, "tables, columns and keys: one query each");
    admin("create table intro.added (k integer primary key)",
        "grant select on intro.added to " + PG.readerUser(),
        "alter table intro.child drop column created");
    try {
      SourceModel cached = engine.introspect("pg", IntrospectOptions.defaults());
      assertEquals(before.schemas().get(0).tables().size(), cached.schemas().get(0).tables().size(),
          "cached until refreshed");
      engine.refreshMetadata("pg");
      SourceModel after = engine.introspect("pg", IntrospectOptions.defaults());
      assertEquals(statements, engine.catalogStats("pg").statements(), "one more table, same cost");
      assertNotNull(table(after, "added"));
      assertFalse(table(after, "child").columns().stream().anyMatch(c -> c.name().equals("created")));
      try (QueryResult r = engine.query("select * from pg.intro.child")) {
        assertEquals(5, r.columns().size(), "queries see the new shape");
      }
    } finally {
      admin("drop table intro.added", "alter table intro.child add column created timestamptz default now()");
      engine.refreshMetadata("pg");
    }
  }

  private static List<String> rows(QueryResult r) {
    List<String> out = new java.util.ArrayList<>();
    try (r) {
      while (r.next()) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < r.columns().size(); i++) {
          b.append(i == 0 ? "" : "|").append(r.get(i));
        }
        out.add(b.toString());
      }
    }
    return out;
  }

  @Test
  void theMetadataSchemaAnswersSql() {
    assertEquals(List.of("id|BIGINT|bigint|false", "pa|INTEGER|integer|true", "pb|VARCHAR|text|true",
        "amount|DECIMAL|numeric|true"), rows(engine.query("select column_name, data_type, source_type,"
        + " is_nullable from gatehouse.metadata.columns where source = 'pg' and table_name = 'child'"
        + " and ordinal_position <= 4 order by ordinal_position")));
    assertEquals(List.of("FOREIGN KEY|pa|1|parent|a", "FOREIGN KEY|pb|2|parent|b",
        "PRIMARY KEY|id|1|null|null", "UNIQUE|code|1|null|null"),
        rows(engine.query("select constraint_type, column_name, key_seq, ref_table_name,"
            + " ref_column_name from gatehouse.metadata.keys where table_name = 'child'"
            + " order by constraint_type, key_seq")));
    assertEquals(List.of("child_view|VIEW|Amounts only", "parent|TABLE|Parents of children"),
        rows(engine.query("select table_name, table_type, remarks from gatehouse.metadata.tables"
            + " where remarks is not null order by table_name")));
    assertEquals(List.of("10|3"), rows(engine.query("select numeric_precision, numeric_scale"
        + " from gatehouse.metadata.columns where table_name = 'child' and column_name = 'amount'")));
    assertEquals(List.of(), rows(engine.session("bob", List.of()).query(
        "select * from gatehouse.metadata.tables")), "a session sees only its own sources");
  }

  @Test
  void jdbcMetadataListsKeys() throws SQLException {
    try (Connection c = io.gatehouse.core.jdbc.GatehouseDriver.connect(engine, new java.util.Properties())) {
      java.sql.DatabaseMetaData md = c.getMetaData();
      List<String> pk = new java.util.ArrayList<>();
      try (java.sql.ResultSet rs = md.getPrimaryKeys("pg", SCHEMA, "parent")) {
        while (rs.next()) {
          pk.add(rs.getString("TABLE_CAT") + "." + rs.getString("TABLE_SCHEM") + "." + rs.getString("TABLE_NAME")
              + "." + rs.getString("COLUMN_NAME") + "#" + rs.getShort("KEY_SEQ") + " " + rs.getString("PK_NAME"));
        }
      }
      assertEquals(List.of("pg.intro.parent.a#1 parent_pkey", "pg.intro.parent.b#2 parent_pkey"), pk);
      List<String> imported = new java.util.ArrayList<>();
      try (java.sql.ResultSet rs = md.getImportedKeys("pg", SCHEMA, "child")) {
        while (rs.next()) {
          imported.add(rs.getString("FKCOLUMN_NAME") + "->" + rs.getString("PKTABLE_NAME") + "."
              + rs.getString("PKCOLUMN_NAME") + "#" + rs.getShort("KEY_SEQ") + " " + rs.getString("PK_NAME"));
        }
      }
      assertEquals(List.of("pa->parent.a#1 parent_pkey", "pb->parent.b#2 parent_pkey"), imported);
      List<String> exported = new java.util.ArrayList<>();
      try (java.sql.ResultSet rs = md.getExportedKeys("pg", SCHEMA, "parent")) {
        while (rs.next()) {
          exported.add(rs.getString("FKTABLE_NAME") + "." + rs.getString("FKCOLUMN_NAME"));
        }
      }
      assertEquals(List.of("child.pa", "child.pb"), exported);
      List<String> kinds = new java.util.ArrayList<>();
      try (java.sql.ResultSet rs = md.getTables("pg", SCHEMA, "child%", null)) {
        while (rs.next()) {
          kinds.add(rs.getString("TABLE_NAME") + ":" + rs.getString("TABLE_TYPE") + ":" + rs.getString("REMARKS"));
        }
      }
      assertEquals(List.of("child:TABLE:null", "child_view:VIEW:Amounts only"), kinds);
    }
  }

  @Test
  void aSessionSeesOnlyItsSources() {
    GatehouseException e = assertThrows(GatehouseException.class,
        () -> engine.session("bob", List.of()).introspect("pg", IntrospectOptions.defaults()));
    assertEquals(ErrorCode.INVALID_PARAMETER, e.code());
  }
}
