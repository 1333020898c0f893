package io.gatehouse.sqltests.bench;

import io.gatehouse.adapter.mysql.testing.MariaDbFixture;
import io.gatehouse.adapter.postgresql.testing.PostgresFixture;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.postgresql.PGConnection;

/**
 * Creates the TPC-H tables (database {@code tpch}) in the shared PostgreSQL and MariaDB fixtures and
 * loads the generated files with each database's bulk path (COPY, LOAD DATA), then adds the keys
 * and statistics a DBA would. The reader user of each fixture may read them. Comment columns are
 * wider than the specification's (255): the generator's comments are words, not length-exact.
 */
final class TpchLoader {
  static final String DATABASE = "tpch";

  private static final List<String> DDL = List.of(
      "create table region (r_regionkey integer not null, r_name varchar(25) not null,"
          + " r_comment varchar(255), primary key (r_regionkey))",
      "create table nation (n_nationkey integer not null, n_name varchar(25) not null,"
          + " n_regionkey integer not null, n_comment varchar(255), primary key (n_nationkey))",
      "create table supplier (s_suppkey integer not null, s_name varchar(25) not null,"
          + " s_address varchar(40) not null, s_nationkey integer not null, s_phone varchar(15) not null,"
          + " s_acctbal decimal(15,2) not null, s_comment varchar(255) not null, primary key (s_suppkey))",
      "create table customer (c_custkey integer not null, c_name varchar(25) not null,"
          + " c_address varchar(40) not null, c_nationkey integer not null, c_phone varchar(15) not null,"
          + " c_acctbal decimal(15,2) not null, c_mktsegment varchar(10) not null,"
          + " c_comment varchar(255) not null, primary key (c_custkey))",
      "create table part (p_partkey integer not null, p_name varchar(55) not null,"
          + " p_mfgr varchar(25) not null, p_brand varchar(10) not null, p_type varchar(25) not null,"
          + " p_size integer not null, p_container varchar(10) not null,"
          + " p_retailprice decimal(15,2) not null, p_comment varchar(255) not null,"
          + " primary key (p_partkey))",
      "create table partsupp (ps_partkey integer not null, ps_suppkey integer not null,"
          + " ps_availqty integer not null, ps_supplycost decimal(15,2) not null,"
          + " ps_comment varchar(255) not null, primary key (ps_partkey, ps_suppkey))",
      "create table orders (o_orderkey integer not null, o_custkey integer not null,"
          + " o_orderstatus char(1) not null, o_totalprice decimal(15,2) not null,"
          + " o_orderdate date not null, o_orderpriority varchar(15) not null,"
          + " o_clerk varchar(15) not null, o_shippriority integer not null,"
          + " o_comment varchar(255) not null, primary key (o_orderkey))",
      "create table lineitem (l_orderkey integer not null, l_partkey integer not null,"
          + " l_suppkey integer not null, l_linenumber integer not null, l_quantity decimal(15,2) not null,"
          + " l_extendedprice decimal(15,2) not null, l_discount decimal(15,2) not null,"
          + " l_tax decimal(15,2) not null, l_returnflag char(1) not null, l_linestatus char(1) not null,"
          + " l_shipdate date not null, l_commitdate date not null, l_receiptdate date not null,"
          + " l_shipinstruct varchar(25) not null, l_shipmode varchar(10) not null,"
          + " l_comment varchar(255) not null, primary key (l_orderkey, l_linenumber))");

  private static final List<String> INDEXES = List.of(
      "create index nation_region on nation (n_regionkey)",
      "create index supplier_nation on supplier (s_nationkey)",
      "create index customer_nation on customer (c_nationkey)",
      "create index partsupp_supplier on partsupp (ps_suppkey)",
      "create index orders_customer on orders (o_custkey)",
      "create index orders_date on orders (o_orderdate)",
      "create index lineitem_part_supplier on lineitem (l_partkey, l_suppkey)",
      "create index lineitem_shipdate on lineitem (l_shipdate)");

  private TpchLoader() {}

  /** Loads PostgreSQL unless a previous load of the same data is there. */
  static void loadPostgres(PostgresFixture pg, Path dataDir, String marker) throws SQLException, IOException {
    try (Connection admin = pg.adminConnection(); Statement s = admin.createStatement()) {
      try (ResultSet rs = s.executeQuery("select shobj_description(oid, 'pg_database') from pg_database"
          + " where datname = '" + DATABASE + "'")) {
        if (rs.next() && marker.equals(rs.getString(1))) {
          return;
        }
      }
      s.execute("drop database if exists " + DATABASE + " with (force)");
      s.execute("create database " + DATABASE + " encoding 'UTF8' template template0");
      s.execute("grant connect on database " + DATABASE + " to " + pg.readerUser());
    }
    try (Connection c = pg.adminConnection(DATABASE); Statement s = c.createStatement()) {
      for (String ddl : DDL) {
        s.execute(ddl);
      }
      PGConnection copy = c.unwrap(PGConnection.class);
      for (String table : TpchData.TABLES) {
        try (Reader in = Files.newBufferedReader(dataDir.resolve(table + ".tbl"), StandardCharsets.UTF_8)) {
          copy.getCopyAPI().copyIn("copy " + table + " from stdin with (format text, delimiter '|')", in);
        }
      }
      for (String index : INDEXES) {
        s.execute(index);
      }
      s.execute("grant select on all tables in schema public to " + pg.readerUser());
      s.execute("vacuum analyze");
      s.execute("comment on database " + DATABASE + " is '" + marker + "'");
    }
  }

  /** Loads MariaDB unless a previous load of the same data is there. */
  static void loadMariaDb(MariaDbFixture maria, Path dataDir, String marker) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", maria.adminUser());
    p.setProperty("password", maria.adminPassword());
    p.setProperty("allowLoadLocalInfile", "true");
    try (Connection c = DriverManager.getConnection(maria.jdbcUrl(), p); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("select schema_comment from information_schema.schemata"
          + " where schema_name = '" + DATABASE + "'")) {
        if (rs.next() && marker.equals(rs.getString(1))) {
          return;
        }
      }
      s.execute("drop database if exists " + DATABASE);
      s.execute("create database " + DATABASE);
      s.execute("use " + DATABASE);
      for (String ddl : DDL) {
        s.execute(ddl);
      }
      for (String table : TpchData.TABLES) {
        s.execute("load data local infile '" + dataDir.resolve(table + ".tbl").toAbsolutePath()
            + "' into table " + table + " fields terminated by '|' lines terminated by '\\n'");
      }
      for (String index : INDEXES) {
        s.execute(index);
      }
      for (String table : TpchData.TABLES) {
        s.execute("analyze table " + table);
      }
      s.execute("grant select on " + DATABASE + ".* to '" + maria.readerUser() + "'@'%'");
      s.execute("alter database " + DATABASE + " comment '" + marker.replace("'", "") + "'");
    }
  }
}
