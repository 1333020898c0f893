package io.gatehouse.adapter.mysql.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MariaDbFixtureTest {

    private static MariaDbFixture db;

    @BeforeAll
    static void start() {
        db = MariaDbFixture.get();
        System.out.println("MariaDbFixture started in " + db.startupMillis() + " ms at " + db.jdbcUrl());
    }

    @Test
    void isOneInstancePerJvm() {
        assertSame(db, MariaDbFixture.get());
        assertEquals("127.0.0.1", db.host());
        assertEquals("crm", db.database());
        assertTrue(db.jdbcUrl().startsWith("jdbc:mysql://127.0.0.1:" + db.port() + "/crm?"), db.jdbcUrl());
    }

    @Test
    void readerSeesTheFixtureTables() throws SQLException {
        Map<String, Long> expected = new TreeMap<>(Map.of(
                "crm.accounts", 85L,
                "crm.contacts", 150L,
                "crm.interactions", 200L,
                "crm.page_views", 50_000L,
                "crm.type_samples", 20L,
                "crm_archive.closed_accounts", 20L));
        Map<String, Long> actual = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.readerUser(), db.readerPassword());
                Statement s = c.createStatement()) {
            for (String table : expected.keySet()) {
                actual.put(table, queryLong(s, "SELECT COUNT(*) FROM " + table));
            }
            // a join across the two databases of this source
            assertEquals(12L, queryLong(s, "SELECT COUNT(*) FROM crm.accounts a"
                    + " JOIN crm_archive.closed_accounts x ON x.account_id = a.id"));
            assertEquals("+00:00", queryString(s, "SELECT @@time_zone"));
            assertEquals("utf8mb4", queryString(s, "SELECT @@character_set_database"));
            assertEquals("utf8mb4_unicode_ci", queryString(s, "SELECT @@collation_connection"));
            // unicode survives the round trip through Connector/J, including 4-byte characters
            assertEquals("Zoë 東京 😀🎉", queryString(s, "SELECT c_text FROM crm.type_samples WHERE id = 4"));
            assertEquals("Ølstue 🍺 GmbH #15", queryString(s, "SELECT name FROM crm.accounts WHERE id = 15"));
        }
        assertEquals(expected, actual);
    }

    @Test
    void readerCannotWriteOrSeeOtherDatabases() throws SQLException {
        try (Connection c = db.readerConnection(); Statement s = c.createStatement()) {
            SQLException insert = assertThrows(SQLException.class, () -> s.executeUpdate(
                    "INSERT INTO crm.accounts (id, customer_id, name, tier, is_active, opened_on, created_at)"
                            + " VALUES (999, 1, 'x', 'gold', 1, '2024-01-01', '2024-01-01 00:00:00')"));
            assertEquals(1142, insert.getErrorCode(), insert.getMessage()); // ER_TABLEACCESS_DENIED_ERROR
            assertEquals("42000", insert.getSQLState(), insert.getMessage());

            SQLException archive = assertThrows(SQLException.class,
                    () -> s.executeUpdate("DELETE FROM crm_archive.closed_accounts"));
            assertEquals(1142, archive.getErrorCode(), archive.getMessage());

            SQLException create = assertThrows(SQLException.class,
                    () -> s.execute("CREATE TABLE crm.reader_was_here (id INT)"));
            assertEquals(1142, create.getErrorCode(), create.getMessage());

            SQLException secret = assertThrows(SQLException.class,
                    () -> s.executeQuery("SELECT * FROM crm_internal.audit_log"));
            assertEquals(1142, secret.getErrorCode(), secret.getMessage());

            // nothing else is visible: no `test` database writable through the PUBLIC role
            List<String> databases = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SHOW DATABASES")) {
                while (rs.next()) {
                    databases.add(rs.getString(1));
                }
            }
            // Other tests may add databases of their own (the adapter contract does); the fixture's
            // private database must stay invisible whatever else exists.
            assertTrue(databases.containsAll(List.of("crm", "crm_archive", "information_schema")),
                databases::toString);
            assertFalse(databases.contains("crm_internal"), databases::toString);
            assertThrows(SQLException.class, () -> s.execute("CREATE DATABASE test"));
        }
    }

    @Test
    void wrongPasswordsAreRejected() {
        SQLException reader = assertThrows(SQLException.class,
                () -> DriverManager.getConnection(db.jdbcUrl(), db.readerUser(), "not-the-password").close());
        assertEquals(1045, reader.getErrorCode(), reader.getMessage()); // ER_ACCESS_DENIED_ERROR
        assertEquals("28000", reader.getSQLState(), reader.getMessage());

        SQLException admin = assertThrows(SQLException.class,
                () -> DriverManager.getConnection(db.jdbcUrl(), db.adminUser(), "").close());
        assertEquals(1045, admin.getErrorCode(), admin.getMessage());
    }

    @Test
    void adminSeesConsistentDataTypesAndStatistics() throws SQLException {
        try (Connection c = db.adminConnection(); Statement s = c.createStatement()) {
            assertEquals(5L, queryLong(s, "SELECT COUNT(*) FROM crm_internal.audit_log"));
            // ANALYZE TABLE ran: the catalog has row estimates close to the real counts
            long estimate = queryLong(s, "SELECT TABLE_ROWS FROM information_schema.TABLES"
                    + " WHERE TABLE_SCHEMA = 'crm' AND TABLE_NAME = 'page_views'");
            assertTrue(estimate > 40_000 && estimate < 60_000, "estimate " + estimate);
            assertTrue(queryLong(s, "SELECT COUNT(*) FROM mysql.table_stats WHERE db_name = 'crm'") >= 5);
            // NULLs are present in nullable columns
            assertTrue(queryLong(s, "SELECT COUNT(*) FROM crm.contacts WHERE email IS NULL") > 0);

            try (ResultSet rs = s.executeQuery("SELECT c_bigint_unsigned, c_decimal_wide, c_boolean, c_varbinary,"
                    + " c_datetime, c_timestamp, c_int_unsigned FROM crm.type_samples WHERE id = 3")) {
                assertTrue(rs.next());
                assertEquals(new BigInteger("18446744073709551615"), rs.getObject(1));
                assertEquals(new BigDecimal("99999999999999.999999"), rs.getBigDecimal(2));
                assertEquals(Boolean.TRUE, rs.getObject(3)); // TINYINT(1) reads as boolean (tinyInt1isBit)
                assertArrayEquals(new byte[16], xor(rs.getBytes(4)));
                assertEquals(LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000), rs.getObject(5, LocalDateTime.class));
                assertEquals(OffsetDateTime.of(2038, 1, 19, 3, 14, 7, 999_999_000, ZoneOffset.UTC),
                        rs.getObject(6, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC));
                assertEquals(4294967295L, rs.getLong(7));
            }
            try (ResultSet rs = s.executeQuery("SELECT c_int FROM crm.type_samples WHERE id = 1")) {
                assertTrue(rs.next());
                assertNull(rs.getObject(1));
            }
        }
    }

    private static byte[] xor(byte[] ones) {
        byte[] out = new byte[ones.length];
        for (int i = 0; i < ones.length; i++) {
            out[i] = (byte) (ones[i] ^ 0xFF);
        }
        return out;
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
