package io.gatehouse.adapter.postgresql.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresFixtureTest {

    private static PostgresFixture pg;

    @BeforeAll
    static void start() {
        pg = PostgresFixture.get();
        System.out.println("PostgresFixture started in " + pg.startupMillis() + " ms at " + pg.jdbcUrl());
    }

    @Test
    void isOneInstancePerJvm() {
        assertSame(pg, PostgresFixture.get());
        assertEquals("localhost", pg.host());
        assertEquals("shop", pg.database());
        assertEquals("jdbc:postgresql://localhost:" + pg.port() + "/shop", pg.jdbcUrl());
    }

    @Test
    void readerSeesTheFixtureTables() throws SQLException {
        Map<String, Long> expected = new TreeMap<>(Map.of(
                "public.customers", 100L,
                "public.products", 50L,
                "public.orders", 120L,
                "public.order_items", 200L,
                "public.events", 200_000L,
                "public.type_samples", 20L,
                "sales.regions", 20L,
                "sales.targets", 160L));
        Map<String, Long> actual = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.readerUser(), pg.readerPassword());
                Statement s = c.createStatement()) {
            for (String table : expected.keySet()) {
                actual.put(table, queryLong(s, "SELECT count(*) FROM " + table));
            }
            assertEquals("off", queryString(s, "SHOW is_superuser"));
            assertEquals("UTC", queryString(s, "SHOW TimeZone"));
            assertEquals("東京", queryString(s, "SELECT name FROM sales.regions WHERE code = 'TYO'"));
            assertEquals("Guðrún Jónsdóttir 🌋", queryString(s, "SELECT manager FROM sales.regions WHERE id = 20"));
        }
        assertEquals(expected, actual);
    }

    @Test
    void readerCannotWriteOrSeeOtherSchemas() throws SQLException {
        try (Connection c = pg.readerConnection(); Statement s = c.createStatement()) {
            SQLException insert = assertThrows(SQLException.class, () -> s.executeUpdate(
                    "INSERT INTO sales.regions (id, code, name, country, timezone) VALUES (99, 'XXX', 'x', 'XX', 'UTC')"));
            assertEquals("42501", insert.getSQLState(), insert.getMessage()); // insufficient_privilege

            SQLException create = assertThrows(SQLException.class,
                    () -> s.execute("CREATE TABLE public.reader_was_here (id int)"));
            assertEquals("42501", create.getSQLState(), create.getMessage());

            SQLException temp = assertThrows(SQLException.class,
                    () -> s.execute("CREATE TEMPORARY TABLE reader_temp (id int)"));
            assertEquals("42501", temp.getSQLState(), temp.getMessage());

            SQLException secret = assertThrows(SQLException.class,
                    () -> s.executeQuery("SELECT * FROM internal.api_keys"));
            assertEquals("42501", secret.getSQLState(), secret.getMessage());
        }
        // The reader may not connect to the other databases either.
        for (String database : new String[] {"postgres", "template1"}) {
            SQLException other = assertThrows(SQLException.class, () -> DriverManager.getConnection(
                    pg.jdbcUrl(database), pg.readerUser(), pg.readerPassword()).close());
            assertEquals("42501", other.getSQLState(), other.getMessage());
        }
    }

    @Test
    void wrongPasswordsAreRejected() {
        SQLException reader = assertThrows(SQLException.class,
                () -> DriverManager.getConnection(pg.jdbcUrl(), pg.readerUser(), "not-the-password").close());
        assertEquals("28P01", reader.getSQLState(), reader.getMessage()); // invalid_password

        SQLException admin = assertThrows(SQLException.class,
                () -> DriverManager.getConnection(pg.jdbcUrl(), pg.adminUser(), "postgres").close());
        assertEquals("28P01", admin.getSQLState(), admin.getMessage());

        // no trust left on TCP: an empty password is refused by the driver once SCRAM is requested
        assertThrows(SQLException.class,
                () -> DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.adminUser(), "").close());
    }

    @Test
    void adminSeesConsistentDataAndStatistics() throws SQLException {
        try (Connection c = pg.adminConnection(); Statement s = c.createStatement()) {
            assertEquals("on", queryString(s, "SHOW is_superuser"));
            assertEquals(5L, queryLong(s, "SELECT count(*) FROM internal.api_keys"));
            // order totals are the sum of their lines
            assertEquals(0L, queryLong(s, "SELECT count(*) FROM public.orders o WHERE o.total <> "
                    + "(SELECT sum(round(i.quantity * i.unit_price * (1 - coalesce(i.discount, 0)), 2))"
                    + " FROM public.order_items i WHERE i.order_id = o.id)"));
            // ANALYZE ran: the catalog knows the row counts
            assertEquals(200_000L, queryLong(s, "SELECT reltuples::bigint FROM pg_class WHERE oid = 'public.events'::regclass"));
            assertEquals(100L, queryLong(s, "SELECT reltuples::bigint FROM pg_class WHERE oid = 'public.customers'::regclass"));
            // NULLs are present in nullable columns
            assertTrue(queryLong(s, "SELECT count(*) FROM public.customers WHERE email IS NULL") > 0);
            try (ResultSet rs = s.executeQuery("SELECT c_bigint, c_numeric_wide, c_text FROM public.type_samples WHERE id IN (1, 3) ORDER BY id")) {
                assertTrue(rs.next());
                assertNull(rs.getObject(1));
                assertTrue(rs.next());
                assertEquals(Long.MAX_VALUE, rs.getLong(1));
                assertEquals(new BigDecimal("99999999999999.999999"), rs.getBigDecimal(2));
                assertFalse(rs.next());
            }
        }
    }

    private static long queryLong(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getLong(1);
        }
    }

    private static String queryString(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getString(1);
        }
    }
}
