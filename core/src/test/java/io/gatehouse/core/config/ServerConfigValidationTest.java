package io.gatehouse.core.config;

import static io.gatehouse.core.config.ConfigTestSupport.ENV;
import static io.gatehouse.core.config.ConfigTestSupport.invalid;
import static io.gatehouse.core.config.ConfigTestSupport.minimal;
import static io.gatehouse.core.config.ConfigTestSupport.onlyProblem;
import static io.gatehouse.core.config.ConfigTestSupport.parse;
import static io.gatehouse.core.config.ConfigTestSupport.problemAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code server:} section: listener, TLS keystore and users. */
class ServerConfigValidationTest {
  private static final String HASH = "\"$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA\"";

  @TempDir Path dir;

  /** The minimal config with a second source {@code crm} and a {@code server:} section. */
  private static String withServer(String server) {
    return minimal() + "  - id: crm\n    type: testdb\n    host: h\n    database: crm\n    user: u\n"
        + "server:\n" + server;
  }

  private static String user(String name, String hash, String sources) {
    return "    - name: " + name + "\n      passwordHash: " + hash + "\n      sources: " + sources + "\n";
  }

  @Test
  void serverDefaults() {
    ServerConfig s = parse(minimal()).server();
    assertEquals("127.0.0.1", s.bind());
    assertEquals(8765, s.port());
    assertNull(s.tls());
    assertEquals(List.of(), s.users());
  }

  @Test
  void bindAndPortAreRead() {
    ServerConfig s = parse(withServer("  bind: 0.0.0.0\n  port: 9443\n")).server();
    assertEquals("0.0.0.0", s.bind());
    assertEquals(9443, s.port());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "65536", "-80"})
  void serverPortOutOfRangeIsRefused(String port) {
    ConfigProblem p = onlyProblem(withServer("  port: " + port + "\n"), "server.port");
    assertEquals("must be 1..65535, got " + port, p.message());
  }

  @Test
  void serverPortThatIsNotANumberIsRefused() {
    onlyProblem(withServer("  port: http\n"), "server.port", "must be a whole number between 1 and 65535, got 'http'");
  }

  // --- tls ---

  @Test
  void tlsKeystoreAndPasswordAreRead() throws IOException {
    Path ks = Files.write(dir.resolve("server.p12"), new byte[] {1});
    ServerConfig s = parse(withServer("  tls: {keystore: " + ks + ", password: \"${env:TEST_PASSWORD}\"}\n")).server();
    assertEquals(ks, s.tls().keystore());
    assertEquals(ENV.get("TEST_PASSWORD"), s.tls().password().revealAsString());
  }

  @Test
  void missingKeystoreFileIsRefused() {
    Path ks = dir.resolve("missing.p12");
    ConfigProblem p = onlyProblem(withServer("  tls: {keystore: " + ks + "}\n"), "server.tls.keystore");
    assertEquals("file " + ks + " does not exist or cannot be read; give the path of a readable PKCS12 file"
        + " with the server certificate and key", p.message());
  }

  @Test
  void keystoreThatIsADirectoryIsRefused() {
    onlyProblem(withServer("  tls: {keystore: " + dir + "}\n"), "server.tls.keystore",
        "does not exist or cannot be read");
  }

  @Test
  void tlsWithoutKeystoreIsRefused() {
    onlyProblem(withServer("  tls: {password: \"${env:TEST_PASSWORD}\"}\n"), "server.tls.keystore",
        "is required (path of a PKCS12 file with the server certificate and key)");
  }

  @Test
  void tlsGivenAsAWordIsRefused() {
    onlyProblem(withServer("  tls: verify-full\n"), "server.tls",
        "must be a mapping of keys to values, got 'verify-full'");
  }

  // --- users ---

  @Test
  void usersAreRead() {
    ServerConfig s = parse(withServer("  users:\n" + user("alice", HASH, "[shop, crm]")
        + user("bob", "\"$2y$10$abcdefghijklmnopqrstuv\"", "[CRM]"))).server();
    assertEquals(2, s.users().size());
    assertEquals("alice", s.users().get(0).name());
    assertEquals(List.of("shop", "crm"), s.users().get(0).sources());
    assertEquals(List.of("CRM"), s.users().get(1).sources(), "source ids match ignoring case");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"$argon2id$v=19$m=65536,t=3,p=1$...\"", "\"$argon2i$v=19$x\"", "\"$2a$10$x\"",
      "\"$2b$12$x\"", "\"$2y$10$x\""})
  void argon2AndBcryptHashesAreAccepted(String hash) {
    assertEquals(1, parse(withServer("  users:\n" + user("alice", hash, "[shop]"))).server().users().size());
  }

  @ParameterizedTest
  @ValueSource(strings = {"hunter2-Plain", "\"$1$md5crypt$abc\"", "\"$5$sha256$abc\"", "\"{bcrypt}abc\"",
      "\"argon2id$v=19\""})
  void passwordHashThatIsNotAHashIsRefusedWithoutShowingIt(String hash) {
    ConfigException e = invalid(withServer("  users:\n" + user("alice", hash, "[shop]")));
    assertEquals(1, e.problems().size(), e::getMessage);
    ConfigProblem p = problemAt(e, "server.users[0].passwordHash");
    assertEquals("must be an argon2id or bcrypt hash (create one with: gatehouse user add NAME), not a password",
        p.message());
    assertFalse(e.getMessage().contains(hash.replace("\"", "")), e.getMessage());
  }

  @Test
  void missingPasswordHashIsRefused() {
    onlyProblem(withServer("  users:\n    - name: alice\n      sources: [shop]\n"), "server.users[0].passwordHash",
        "is required (create one with: gatehouse user add NAME)");
  }

  @Test
  void missingUserNameIsRefused() {
    onlyProblem(withServer("  users:\n    - passwordHash: " + HASH + "\n      sources: [shop]\n"),
        "server.users[0].name", "is required (the login name)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1alice", "'al ice'", "'alice:x'", "'al/ice'"})
  void userNameWithBadCharactersIsRefused(String name) {
    onlyProblem(withServer("  users:\n" + user(name, HASH, "[shop]")), "server.users[0].name",
        "must start with a letter and hold only letters, digits, '_', '.', '@' or '-' (at most 64)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"alice", "alice.smith@example.com", "svc-agent_1"})
  void userNameWithAllowedCharactersIsAccepted(String name) {
    assertEquals(name, parse(withServer("  users:\n" + user(name, HASH, "[shop]"))).server().users().get(0).name());
  }

  @Test
  void duplicateUserNameIsRefused() {
    ConfigProblem p = onlyProblem(withServer("  users:\n" + user("alice", HASH, "[shop]")
        + user("bob", HASH, "[shop]") + user("Alice", HASH, "[crm]")), "server.users[2].name");
    assertEquals("user 'Alice' is defined twice (also by server.users[0]); user names must be unique,"
        + " ignoring case: merge the two entries", p.message());
  }

  @Test
  void userReferencingAnUnknownSourceIsRefused() {
    ConfigProblem p = onlyProblem(withServer("  users:\n" + user("alice", HASH, "[shop, sales, crm]")),
        "server.users[0].sources[1]");
    assertEquals("unknown source 'sales'; use the id of a source under 'sources:' (defined sources: shop, crm)",
        p.message());
  }

  @Test
  void unknownSourceListsIdsAsWritten() {
    String yaml = "sources:\n  - id: Shop_EU\n    type: testdb\n    host: h\n    database: d\n    user: u\n"
        + "server:\n  users:\n" + user("alice", HASH, "[shop_eu, shop_us]");
    ConfigProblem p = onlyProblem(yaml, "server.users[0].sources[1]");
    assertEquals("unknown source 'shop_us'; use the id of a source under 'sources:' (defined sources: Shop_EU)",
        p.message());
  }

  @Test
  void userReferencingASourceThatHasOtherProblemsIsNotAlsoBlamed() {
    // crm is refused for its port and shop for its type; the user naming them gets no second problem.
    String yaml = "sources:\n"
        + "  - id: shop\n    type: nosuch\n    host: h\n    database: d\n    user: u\n"
        + "  - id: crm\n    type: testdb\n    host: h\n    port: 0\n    user: u\n"
        + "server:\n  users:\n" + user("alice", HASH, "[shop, crm]");
    ConfigException e = invalid(yaml);
    assertEquals(List.of("sources[0].type", "sources[1].port", "sources[1].database"),
        e.problems().stream().map(ConfigProblem::path).toList(), e::getMessage);
  }

  @Test
  void userReferencingASourceWhenNoneIsValidSaysSo() {
    String yaml = "sources:\n  - id: 9shop\n    type: testdb\n    host: h\n    database: d\n    user: u\n"
        + "server:\n  users:\n" + user("alice", HASH, "[shop]");
    ConfigException e = invalid(yaml);
    assertEquals(2, e.problems().size(), e::getMessage);
    problemAt(e, "server.users[0].sources[0]", "unknown source 'shop'", "(no sources are defined)");
  }

  @Test
  void unknownSourceAfterABadEntryHasItsPositionInTheFile() {
    ConfigException e = invalid(withServer("  users:\n" + user("alice", HASH, "[shop, shop, 7, nope]")));
    assertEquals(3, e.problems().size(), e::getMessage);
    problemAt(e, "server.users[0].sources[1]", "'shop' is listed twice");
    problemAt(e, "server.users[0].sources[2]", "must be a non-empty text value, got 7");
    problemAt(e, "server.users[0].sources[3]", "unknown source 'nope'");
  }

  @Test
  void unknownSourceWrittenWithoutBracketsIsRefused() {
    onlyProblem(withServer("  users:\n" + user("alice", HASH, "nope")), "server.users[0].sources",
        "unknown source 'nope'");
  }

  @Test
  void sourceListedTwiceForAUserIsRefused() {
    onlyProblem(withServer("  users:\n" + user("alice", HASH, "[shop, crm, shop]")), "server.users[0].sources[2]",
        "'shop' is listed twice");
  }

  @Test
  void singleSourceMayBeWrittenWithoutBrackets() {
    assertEquals(List.of("crm"), parse(withServer("  users:\n" + user("alice", HASH, "crm"))).server().users().get(0)
        .sources());
  }
}
