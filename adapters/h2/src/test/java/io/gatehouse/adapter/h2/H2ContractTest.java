package io.gatehouse.adapter.h2;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.testing.SourceContractTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The adapter contract against an H2 2.x database file, which the engine opens read-only.
 *
 * <p>Schemas and tables are created with quoted lower-case names, as the contract's configuration
 * and engine-side names spell them; columns are unquoted (H2 stores them upper case) because the
 * contract's own inserts and direct queries name them unquoted. The engine finds them either way.
 *
 * <p>H2 shares one open database between all connections of a JVM, and only the connection that
 * opens it decides whether it is read-only. So the admin writes the dataset first, closes (H2 then
 * closes the file), and from the moment the engine is opened the admin's direct connections open the
 * file read-only too; otherwise the engine's sessions would be refused as writable.
 */
class H2ContractTest extends SourceContractTest {
  private static final String ADMIN_PASSWORD = "admin-Pw-" + System.nanoTime();
  private static final String READER_PASSWORD = "reader-Pw-" + System.nanoTime();

  private final Path file;
  private volatile boolean datasetWritten;

  H2ContractTest() throws Exception {
    file = Files.createTempDirectory("gatehouse-h2-contract").resolve("contract");
  }

  @Override
  protected Map<String, Object> sourceEntry(String user, String password) {
    return Map.of("type", "h2", "path", file.toString(), "user", user, "password", password,
        "pool", Map.of("connectionTimeout", "2s"));
  }

  @Override
  protected Gatehouse open(String user, String password, Map<String, Object> engineSettings) {
    datasetWritten = true;
    return super.open(user, password, engineSettings);
  }

  @Override
  protected String readerUser() {
    return "reader";
  }

  @Override
  protected String readerPassword() {
    return READER_PASSWORD;
  }

  @Override
  protected String adminUser() {
    return "sa";
  }

  @Override
  protected String adminPassword() {
    return ADMIN_PASSWORD;
  }

  @Override
  protected Connection adminConnection() throws SQLException {
    return DriverManager.getConnection("jdbc:h2:file:" + file
        + (datasetWritten ? ";IFEXISTS=TRUE;ACCESS_MODE_DATA=r" : ""), adminUser(), adminPassword());
  }

  @Override
  protected List<String> datasetDdl() {
    return List.of(
        "create schema \"contract\"",
        "create schema \"contract2\"",
        "create table \"contract\".\"people\"(id int primary key, name varchar(40) not null,"
            + " city varchar(40), born date, score numeric(10,2), active boolean, visits bigint)",
        "create table \"contract\".\"purchases\"(id int primary key, person_id int,"
            + " amount numeric(12,2), bought_at timestamp)",
        "create table \"contract\".\"numbers\"(n int primary key)",
        "create table \"contract2\".\"cities\"(name varchar(40) primary key, country varchar(40))",
        "create user reader password '" + READER_PASSWORD + "'",
        "grant select on schema \"contract\" to reader",
        "grant select on schema \"contract2\" to reader");
  }

  @Override
  protected String directName(String schema, String table) {
    return "\"" + schema + "\".\"" + table + "\"";
  }

  @Override
  protected Set<Capability> capabilities() {
    // H2's SET QUERY_TIMEOUT is a session setting that H2 enforces itself.
    return EnumSet.allOf(Capability.class);
  }

  @Override
  protected String slowQueryPatternAtSource() {
    return "%\"numbers\"%";
  }

  @Override
  protected int countRunningAtSource(String fragmentPattern) throws SQLException {
    try (Connection c = adminConnection();
        PreparedStatement ps = c.prepareStatement("select count(*) from information_schema.sessions"
            + " where session_id <> session_id() and executing_statement like ?")) {
      ps.setString(1, fragmentPattern);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
