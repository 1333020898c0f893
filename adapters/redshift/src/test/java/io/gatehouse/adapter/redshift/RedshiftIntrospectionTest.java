package io.gatehouse.adapter.redshift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.adapter.postgresql.testing.PostgresFixture;
import io.gatehouse.adapter.redshift.testing.RedshiftTestServer;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.introspect.IntrospectOptions;
import io.gatehouse.core.introspect.SourceModel;
import io.gatehouse.core.introspect.SourceModel.Column;
import io.gatehouse.core.introspect.SourceModel.Table;
import io.gatehouse.core.spi.ColumnInfo;
import io.gatehouse.core.spi.ColumnType;
import io.gatehouse.core.spi.SourceConnector;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.calcite.sql.type.SqlTypeName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Introspection through the Redshift driver, with the catalog queries written for Redshift's leader
 * node (pg_catalog only, schema lists as IN lists, key columns by position), run against the real
 * PostgreSQL: kinds, comments, defaults, keys (composite primary and foreign keys, unique), types,
 * a fixed number of catalog statements, and sampling for profiles.
 */
class RedshiftIntrospectionTest {
  private static final RedshiftTestServer SERVER = RedshiftTestServer.get();
  private static final PostgresFixture PG = SERVER.postgres();
  private static final String SCHEMA = "rsintro";
  private static Gatehouse engine;

  @BeforeAll
  static void setUp() throws Exception {
    admin("drop schema if exists " + SCHEMA + " cascade",
        "create schema " + SCHEMA,
        "create table rsintro.parent (a integer, b varchar(10), name varchar(40) not null default 'x',"
            + " primary key (a, b))",
        "comment on table rsintro.parent is 'Parents of children'",
        "comment on column rsintro.parent.name is 'What it is called'",
        "create table rsintro.child (id bigint primary key, pa integer, pb varchar(10),"
            + " amount decimal(10,3) default 0, created timestamptz, code char(4) unique,"
            + " flag boolean, ratio double precision, small smallint,"
            + " foreign key (pa, pb) references rsintro.parent (a, b))",
        "create view rsintro.child_view as select id, amount from rsintro.child",
        "insert into rsintro.parent select i, 'k' || i, 'n' || (i % 3) from generate_series(1, 20) i",
        "insert into rsintro.child select i, i, 'k' || i, i * 1.5, timestamptz '2024-01-01 00:00+00',"
            + " 'c' || i, i % 2 = 0, i / 3.0, i from generate_series(1, 20) i",
        "analyze rsintro.parent",
        "grant usage on schema " + SCHEMA + " to " + PG.readerUser(),
        "grant select on all tables in schema " + SCHEMA + " to " + PG.readerUser());
    Map<String, Object> source = new HashMap<>(SERVER.sourceEntry(PG.readerUser(), PG.readerPassword()));
    source.put("id", "rs");
    source.put("schemas", List.of(SCHEMA));
    engine = Gatehouse.open(ConfigLoader.withDiscoveredAdapters().fromMap(Map.of(
        "engine", Map.of("maxRows", 5000), "sources", List.of(source))));
  }

  @AfterAll
  static void tearDown() throws Exception {
    engine.close();
    admin("drop schema if exists " + SCHEMA + " cascade");
  }

  private static void admin(String... sql) throws Exception {
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
    SourceModel m = engine.introspect("rs", IntrospectOptions.defaults());
    assertEquals("redshift", m.type());
    Table parent = table(m, "parent");
    assertEquals("TABLE", parent.kind());
    assertEquals("Parents of children", parent.comment());
    assertEquals(List.of("a", "b"), parent.primaryKey().columns());
    assertTrue(parent.rowEstimate() != null && parent.rowEstimate() == 20.0,
        () -> "analysed: " + parent.rowEstimate());
    Column name = column(parent, "name");
    assertEquals("What it is called", name.comment());
    assertEquals("'x'::character varying", name.defaultValue());
    assertFalse(name.nullable());
    assertEquals("VARCHAR(40)", name.sqlType());
    assertEquals(3, name.position());

    Table child = table(m, "child");
    assertEquals(List.of("id"), child.primaryKey().columns());
    assertEquals(List.of("code"), child.uniqueKeys().get(0).columns());
    SourceModel.ForeignKey fk = child.foreignKeys().get(0);
    assertEquals(List.of("pa", "pb"), fk.columns());
    assertEquals("parent", fk.refTable());
    assertEquals(List.of("a", "b"), fk.refColumns(), "referenced columns in key order");
    assertEquals("DECIMAL(10, 3)", column(child, "amount").sqlType());
    assertEquals("CHAR(4)", column(child, "code").sqlType());
    assertEquals("BOOLEAN", column(child, "flag").sqlType());
    assertEquals("DOUBLE", column(child, "ratio").sqlType());
    assertEquals("SMALLINT", column(child, "small").sqlType());
    assertEquals("timestamp with time zone", column(child, "created").sourceType());
    assertNull(child.rowEstimate(), "never analysed: unknown, not empty");

    Table view = table(m, "child_view");
    assertEquals("VIEW", view.kind());
    assertNull(view.primaryKey());
    assertEquals(List.of("id", "amount"), view.columns().stream().map(Column::name).toList());
  }

  @Test
  void theCatalogIsReadWithThreeStatementsWhateverTheNumberOfTables() {
    SERVER.plain().clearStatements();
    engine.refreshMetadata("rs");
    engine.introspect("rs", IntrospectOptions.defaults());
    List<String> catalog = SERVER.plain().queries().stream()
        .filter(q -> q.toLowerCase(Locale.ROOT).contains("pg_catalog")).toList();
    assertEquals(3, catalog.size(), catalog::toString);
  }

  @Test
  void profilesAreSampledThroughTheDriver() {
    SourceModel m = engine.introspect("rs", IntrospectOptions.defaults().withProfile(true));
    SourceModel.ColumnProfile flag = column(table(m, "child"), "flag").profile();
    assertEquals(0.0, flag.nullFraction());
    assertTrue(flag.distinctEstimate() >= 1.5 && flag.distinctEstimate() <= 2.5,
        () -> "two values: " + flag.distinctEstimate());
  }

  @Test
  void redshiftOnlyTypesAreMapped() {
    SourceConnector c = engine.connector("rs");
    assertEquals(SqlTypeName.VARBINARY, map(c, "varbyte").typeName());
    assertEquals(SqlTypeName.VARBINARY, map(c, "binary varying").typeName());
    assertEquals(SqlTypeName.VARCHAR, map(c, "super").typeName(), "SUPER as JSON text");
    assertEquals(SqlTypeName.VARCHAR, map(c, "geometry").typeName());
    assertEquals(SqlTypeName.VARCHAR, map(c, "hllsketch").typeName());
    assertEquals(SqlTypeName.VARCHAR, map(c, "time with time zone").typeName());
    assertEquals(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE,
        map(c, "timestamp with time zone").typeName());
    assertEquals(ColumnType.of(SqlTypeName.DECIMAL, 18, 0),
        c.mapType(new ColumnInfo("x", 1, "numeric", 18, 0, true, null, null)));
  }

  private static ColumnType map(SourceConnector c, String type) {
    return c.mapType(new ColumnInfo("x", 1, type, -1, -1, true, null, null));
  }
}
