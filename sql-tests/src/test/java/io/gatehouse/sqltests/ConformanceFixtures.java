package io.gatehouse.sqltests;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Tables the conformance scripts need beyond the shared fixtures: the types those lack (PostgreSQL
 * intervals, arrays, enums; MariaDB's own integer, time, enum and set types), NULL-heavy data for
 * three-valued logic, and names that are SQL reserved words. Made in schema / database
 * {@value #SCHEMA}, fresh at each run.
 */
final class ConformanceFixtures {
  static final String SCHEMA = "conformance";

  private ConformanceFixtures() {}

  static synchronized void create() throws SQLException {
    try (Connection c = TwoSources.PG.adminConnection(); Statement s = c.createStatement()) {
      s.execute("drop schema if exists conformance cascade");
      s.execute("create schema conformance");
      s.execute("create type conformance.mood as enum ('sad', 'ok', 'happy')");
      s.execute("create table conformance.pg_types (id integer primary key, c_interval interval,"
          + " c_int_array integer[], c_text_array text[], c_mood conformance.mood,"
          + " c_numeric numeric(30,10), c_timetz timetz, c_bool boolean)");
      s.execute("insert into conformance.pg_types values"
          + " (1, interval '1 year 2 months 3 days 04:05:06.5', '{1,2,3}', '{\"a b\",c,NULL}', 'happy',"
          + "  12345678901234567890.0123456789, '12:00:00+02', true),"
          + " (2, interval '-3 hours', '{}', '{}', 'sad', -0.0000000001, '00:00:00+00', false),"
          + " (3, null, null, null, null, null, null, null)");
      s.execute("create table conformance.nulls (id integer primary key, a integer, b integer, t text)");
      s.execute("insert into conformance.nulls values (1, 1, 1, 'x'), (2, 1, null, null),"
          + " (3, null, null, ''), (4, 2, 3, 'y'), (5, null, 3, 'x')");
      s.execute("create table conformance.\"select\" (\"from\" integer primary key, \"order\" text,"
          + " \"Mixed Case\" integer, \"group\" integer)");
      s.execute("insert into conformance.\"select\" values (1, 'first', 10, 1), (2, 'second', 20, 1),"
          + " (3, 'third', 30, 2)");
      s.execute("grant usage on schema conformance to " + TwoSources.PG.readerUser());
      s.execute("grant usage on type conformance.mood to " + TwoSources.PG.readerUser());
      s.execute("grant select on all tables in schema conformance to " + TwoSources.PG.readerUser());
    }
    try (Connection c = TwoSources.MARIADB.adminConnection(); Statement s = c.createStatement()) {
      s.execute("drop database if exists conformance");
      s.execute("create database conformance");
      s.execute("create table conformance.my_types (id int primary key, c_tinyint tinyint,"
          + " c_smallint smallint, c_mediumint mediumint, c_int int, c_bigint bigint,"
          + " c_ubigint bigint unsigned, c_decimal decimal(30,10), c_float float, c_double double,"
          + " c_bool tinyint(1), c_varchar varchar(40), c_char char(5), c_text text, c_date date,"
          + " c_time time(6), c_datetime datetime(6), c_timestamp timestamp(6) null, c_year year,"
          + " c_blob varbinary(8), c_json json, c_enum enum('sad', 'ok', 'happy'),"
          + " c_set set('a', 'b', 'c'), c_uuid uuid)");
      s.execute("insert into conformance.my_types values"
          + " (1, -128, -32768, -8388608, -2147483648, -9223372036854775808, 18446744073709551615,"
          + "  12345678901234567890.0123456789, 1.5, -2.25, 1, 'Zoë 東京 😀', 'ab', 'long text',"
          + "  '2024-02-29', '12:34:56.789012', '2024-02-29 12:34:56.789012',"
          + "  '2024-02-29 12:34:56.789012', 2024, x'00ff10', '{\"a\": [1, 2]}', 'happy', 'a,c',"
          + "  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'),"
          + " (2, 127, 32767, 8388607, 2147483647, 9223372036854775807, 0, -0.0000000001, 0, 0,"
          + "  0, '', 'x', '', '1970-01-01', '00:00:00', '1970-01-01 00:00:01', null, 1901, x'',"
          + "  'null', 'sad', '', '00000000-0000-0000-0000-000000000000'),"
          + " (3, null, null, null, null, null, null, null, null, null, null, null, null, null, null,"
          + "  null, null, null, null, null, null, null, null, null)");
      s.execute("create table conformance.nulls (id int primary key, a int, b int, t varchar(10))");
      s.execute("insert into conformance.nulls values (1, 1, 1, 'x'), (2, 1, null, null),"
          + " (3, null, null, ''), (4, 2, 3, 'y'), (5, null, 3, 'x')");
      s.execute("grant select on conformance.* to '" + TwoSources.MARIADB.readerUser() + "'@'%'");
    }
  }
}
