package io.gatehouse.adapter.postgresql.testing;

import io.gatehouse.core.testing.FixtureSupport;
import io.gatehouse.core.testing.TestCertificates;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * One embedded PostgreSQL 16 per JVM, loaded with the "shop" fixture database.
 *
 * <p>Started lazily by the first {@link #get()} and stopped by a shutdown hook. The server listens
 * on {@code localhost} on a free port, keeps its data under {@code target/embedded-postgres}
 * (override with the system property {@value #DIR_PROPERTY}) and requires SCRAM-SHA-256 password
 * authentication on every connection, so a wrong password is rejected.
 *
 * <p>Roles:
 *
 * <ul>
 *   <li>{@link #adminUser()} ({@code postgres}): superuser, for test setup and for computing
 *       expected results directly.
 *   <li>{@link #readerUser()} ({@code gatehouse_ro}): not a superuser; CONNECT on {@code shop},
 *       USAGE and SELECT on the schemas in {@link #SCHEMAS} only (also on tables the admin creates
 *       there later). This is the role Gatehouse uses. It cannot see schema {@code internal}.
 * </ul>
 *
 * <p>The fixture data ({@code shop.sql} next to this class) is loaded once; see that file for the
 * tables. Tests that create their own tables should use their own schema or drop them afterwards,
 * since the instance is shared by every test class in the JVM.
 */
public final class PostgresFixture {

    /** System property: directory under which the fixture keeps its data directories. */
    public static final String DIR_PROPERTY = FixtureSupport.DIR_PROPERTY;

    public static final String DATABASE = "shop";
    public static final String ADMIN_USER = "postgres";
    public static final String ADMIN_PASSWORD = "gatehouse-admin-secret";
    public static final String READER_USER = "gatehouse_ro";
    public static final String READER_PASSWORD = "gatehouse-ro-secret";
    /** Schemas the reader may read. */
    public static final List<String> SCHEMAS = List.of("public", "sales");
    /** Schema with a table the reader must not see. */
    public static final String PRIVATE_SCHEMA = "internal";

    /** Written as the comment of the database once the fixture data is completely loaded. */
    static final String LOADED_MARKER = "gatehouse fixture shop v1";

    private static final String SCRIPT = "shop.sql";
    private static final int START_ATTEMPTS = 3;

    private static final Object LOCK = new Object();
    private static volatile PostgresFixture instance;
    private static RuntimeException startFailure;

    /** The only name in the server certificate. */
    public static final String TLS_HOST = "localhost";

    private final EmbeddedPostgres postgres;
    private final Path runDir;
    private final FileLock runLock;
    private final long startupMillis;

    private PostgresFixture(EmbeddedPostgres postgres, Path runDir, FileLock runLock, long startupMillis) {
        this.postgres = postgres;
        this.runDir = runDir;
        this.runLock = runLock;
        this.startupMillis = startupMillis;
    }

    /** The JVM-wide instance; starts and loads it on first use. Thread-safe. */
    public static PostgresFixture get() {
        PostgresFixture result = instance;
        if (result != null) {
            return result;
        }
        synchronized (LOCK) {
            if (instance != null) {
                return instance;
            }
            if (startFailure != null) {
                // Do not retry a failed start for every test class; report the first failure.
                throw new IllegalStateException("embedded PostgreSQL failed to start earlier", startFailure);
            }
            try {
                instance = start();
                return instance;
            } catch (RuntimeException e) {
                startFailure = e;
                throw e;
            }
        }
    }

    public String host() {
        return "localhost";
    }

    public int port() {
        return postgres.getPort();
    }

    /** The fixture database, {@value #DATABASE}. */
    public String database() {
        return DATABASE;
    }

    public String adminUser() {
        return ADMIN_USER;
    }

    public String adminPassword() {
        return ADMIN_PASSWORD;
    }

    public String readerUser() {
        return READER_USER;
    }

    public String readerPassword() {
        return READER_PASSWORD;
    }

    /** JDBC URL of the fixture database, without credentials. */
    public String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    /** JDBC URL of another database on this server, without credentials. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    /** A new superuser connection to the fixture database (auto-commit on); the caller closes it. */
    /**
     * How many statements whose text matches the LIKE pattern are running at the server now, other
     * than the one asking, after giving a cancelled statement up to five seconds to end.
     */
    public int activeStatements(String likePattern) throws SQLException, InterruptedException {
        return FixtureSupport.awaitZero(() -> {
            try (Connection c = adminConnection(); java.sql.PreparedStatement ps = c.prepareStatement(
                    "select count(*) from pg_stat_activity where state = 'active'"
                            + " and pid <> pg_backend_pid() and query like ?")) {
                ps.setString(1, likePattern);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    public Connection adminConnection() throws SQLException {
        return connect(jdbcUrl(), ADMIN_USER, ADMIN_PASSWORD);
    }

    /** A new superuser connection to another database on this server; the caller closes it. */
    public Connection adminConnection(String database) throws SQLException {
        return connect(jdbcUrl(database), ADMIN_USER, ADMIN_PASSWORD);
    }

    /** A new connection to the fixture database as the read-only role; the caller closes it. */
    public Connection readerConnection() throws SQLException {
        return connect(jdbcUrl(), READER_USER, READER_PASSWORD);
    }

    /** Milliseconds the first {@link #get()} took: start, auth setup and data load. */
    public long startupMillis() {
        return startupMillis;
    }

    /**
     * The PEM file of the CA that signed the server's TLS certificate, which names only
     * {@value #TLS_HOST}: connecting to 127.0.0.1 with host name verification must fail.
     */
    public Path caFile() {
        return runDir.resolve("tls").resolve("postgres-ca.pem");
    }

    /** Directory holding this instance's data directory and server log. */
    public Path runDirectory() {
        return runDir;
    }

    // ---------------------------------------------------------------------------------------------
    // start and stop

    private static PostgresFixture start() {
        long started = System.nanoTime();
        Path baseDir = FixtureSupport.createBaseDirectory("embedded-postgres");
        // a killed run may have left its postmaster running
        FixtureSupport.cleanStaleRuns(baseDir, Paths.get("data", "postmaster.pid"), "postgres",
                Duration.ofSeconds(5));

        // Retry the server start (another process may take the port between probe and bind);
        // a failing data load is not retried.
        RuntimeException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            Path runDir = FixtureSupport.newRunDirectory(baseDir);
            FileLock lock = null;
            EmbeddedPostgres pg = null;
            int port = -1;
            try {
                lock = FixtureSupport.lockRunDirectory(runDir);
                port = FixtureSupport.freePort();
                pg = startServer(runDir, port);
                requireOwnServer(pg, runDir);
            } catch (IOException | SQLException | RuntimeException e) {
                IllegalStateException failure = new IllegalStateException("embedded PostgreSQL start attempt "
                        + attempt + " (port " + port + ") failed; server log:\n" + logTail(runDir), e);
                if (last != null) {
                    failure.addSuppressed(last);
                }
                last = failure;
                FixtureSupport.closeQuietly(pg);
                FixtureSupport.discardRun(runDir, lock);
                continue;
            }
            try {
                secureAndLoad(pg, runDir);
            } catch (IOException | SQLException | RuntimeException e) {
                IllegalStateException failure = new IllegalStateException(
                        "embedded PostgreSQL: loading the fixture failed; server log:\n" + logTail(runDir), e);
                FixtureSupport.closeQuietly(pg);
                FixtureSupport.discardRun(runDir, lock);
                throw failure;
            }
            PostgresFixture fixture = new PostgresFixture(pg, runDir, lock,
                    Duration.ofNanos(System.nanoTime() - started).toMillis());
            Runtime.getRuntime().addShutdownHook(new Thread(fixture::stop, "gatehouse-postgres-fixture-stop"));
            return fixture;
        }
        throw last;
    }

    private static EmbeddedPostgres startServer(Path runDir, int port) throws IOException {
        Path log = runDir.resolve("postgres.log");
        // TLS with a CA made for this run; plain connections stay allowed (pg_hba 'host' lines).
        TestCertificates.Authority ca = TestCertificates.authority(runDir.resolve("tls"), "postgres");
        TestCertificates.ServerFiles tls = TestCertificates.server(ca, runDir.resolve("tls"), "postgres",
                TLS_HOST);
        return EmbeddedPostgres.builder()
                .setServerConfig("ssl", "on")
                .setServerConfig("ssl_cert_file", tls.certificate().toString())
                .setServerConfig("ssl_key_file", tls.key().toString())
                .setDataDirectory(runDir.resolve("data"))
                .setCleanDataDirectory(true)
                .setRegisterShutdownHook(false) // our own hook stops the server, then removes the run dir
                .setPort(port)
                .setPGStartupWait(Duration.ofSeconds(20))
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                // C collation: byte order, the same on every machine; the encoding is UTF8 (-E UTF-8).
                .setLocaleConfig("locale", "C")
                // The library's own readiness probe connects as postgres; it must still work once
                // passwords are required, and trust ignores a supplied password.
                .setConnectConfig("password", ADMIN_PASSWORD)
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("timezone", "UTC")
                .setServerConfig("log_timezone", "UTC")
                .setServerConfig("password_encryption", "scram-sha-256")
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", "off")
                .setServerConfig("full_page_writes", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("max_wal_size", "1GB")
                // Only TCP: the default socket directory (/tmp) may be shared or unwritable, and a
                // socket path under target/ can exceed the 107-byte limit.
                .setDataDirectoryCustomizer(dataDir -> appendConfig(dataDir, "unix_socket_directories = ''"))
                .start();
    }

    /** If another server took the port between probing and starting, we would be talking to it. */
    private static void requireOwnServer(EmbeddedPostgres pg, Path runDir) throws SQLException, IOException {
        String postgresUrl = "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres";
        try (Connection c = connect(postgresUrl, ADMIN_USER, ADMIN_PASSWORD); Statement s = c.createStatement()) {
            String dataDir = queryString(s, "SHOW data_directory");
            if (dataDir == null || !Paths.get(dataDir).toRealPath().equals(runDir.resolve("data").toRealPath())) {
                throw new IllegalStateException("port " + pg.getPort() + " is served by another PostgreSQL ("
                        + dataDir + ")");
            }
        }
    }

    /**
     * initdb of embedded-postgres always uses {@code -A trust}. Set the passwords while trust is in
     * effect, load the data, then switch pg_hba.conf to scram-sha-256 and reload.
     */
    private static void secureAndLoad(EmbeddedPostgres pg, Path runDir) throws SQLException, IOException {
        String postgresUrl = "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres";
        try (Connection c = connect(postgresUrl, ADMIN_USER, ADMIN_PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("ALTER ROLE " + ADMIN_USER + " PASSWORD '" + ADMIN_PASSWORD + "'");
            // the reader may connect to the fixture database only
            s.execute("REVOKE CONNECT, TEMPORARY ON DATABASE postgres FROM PUBLIC");
            s.execute("REVOKE CONNECT, TEMPORARY ON DATABASE template1 FROM PUBLIC");
            if (!exists(s, "SELECT 1 FROM pg_roles WHERE rolname = '" + READER_USER + "'")) {
                s.execute("CREATE ROLE " + READER_USER + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE"
                        + " NOREPLICATION NOBYPASSRLS PASSWORD '" + READER_PASSWORD + "'");
            }
            String comment = queryString(s, "SELECT shobj_description(oid, 'pg_database') FROM pg_database"
                    + " WHERE datname = '" + DATABASE + "'");
            if (!LOADED_MARKER.equals(comment)) {
                s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
                s.execute("CREATE DATABASE " + DATABASE + " ENCODING 'UTF8' TEMPLATE template0");
                loadShop(pg.getPort());
                s.execute("COMMENT ON DATABASE " + DATABASE + " IS '" + LOADED_MARKER + "'");
            }
        }
        requirePasswords(pg, runDir);
    }

    private static void loadShop(int port) throws SQLException, IOException {
        String url = "jdbc:postgresql://localhost:" + port + "/" + DATABASE;
        try (Connection c = connect(url, ADMIN_USER, ADMIN_PASSWORD); Statement s = c.createStatement()) {
            for (String sql : FixtureSupport.readScript(PostgresFixture.class, SCRIPT)) {
                try {
                    s.execute(sql);
                } catch (SQLException e) {
                    throw new SQLException("fixture statement failed: " + sql, e.getSQLState(), e);
                }
            }
        }
    }

    private static void requirePasswords(EmbeddedPostgres pg, Path runDir) throws SQLException, IOException {
        Path hba = runDir.resolve("data").resolve("pg_hba.conf");
        Files.writeString(hba, String.join("\n",
                "# Written by PostgresFixture: a password (SCRAM-SHA-256) for everyone, TCP only.",
                "# TYPE  DATABASE  USER  ADDRESS       METHOD",
                "host    all       all   127.0.0.1/32  scram-sha-256",
                "host    all       all   ::1/128       scram-sha-256",
                ""), StandardCharsets.UTF_8);
        String postgresUrl = "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres";
        try (Connection c = connect(postgresUrl, ADMIN_USER, ADMIN_PASSWORD);
                Statement s = c.createStatement()) {
            if (exists(s, "SELECT 1 FROM pg_hba_file_rules WHERE error IS NOT NULL")) {
                throw new IllegalStateException("pg_hba.conf written by the fixture has errors");
            }
            s.execute("SELECT pg_reload_conf()");
        }
        // The reload is asynchronous (SIGHUP to the postmaster): wait until a wrong password fails.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Connection c = connect(postgresUrl, ADMIN_USER, "wrong-" + ADMIN_PASSWORD)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("password authentication not in effect after reload");
                }
            } catch (SQLException e) {
                if ("28P01".equals(e.getSQLState())) {
                    return; // invalid_password: scram is in force
                }
                throw e;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    private void stop() {
        FixtureSupport.closeQuietly(postgres);
        FixtureSupport.discardRun(runDir, runLock);
    }

    // ---------------------------------------------------------------------------------------------
    // server files

    private static void appendConfig(File dataDir, String line) {
        try {
            Files.writeString(dataDir.toPath().resolve("postgresql.conf"), "\n" + line + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String logTail(Path runDir) {
        Path log = runDir.resolve("postgres.log");
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    // ---------------------------------------------------------------------------------------------
    // JDBC helpers

    private static Connection connect(String url, String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("ApplicationName", "gatehouse-fixture");
        return DriverManager.getConnection(url, props);
    }

    private static boolean exists(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            return rs.next();
        }
    }

    private static String queryString(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Override
    public String toString() {
        return "PostgresFixture[" + jdbcUrl() + "]";
    }
}
