package io.gatehouse.core.config;

import static io.gatehouse.core.config.ConfigTestSupport.ENV;
import static io.gatehouse.core.config.ConfigTestSupport.invalid;
import static io.gatehouse.core.config.ConfigTestSupport.onlyProblem;
import static io.gatehouse.core.config.ConfigTestSupport.parse;
import static io.gatehouse.core.config.ConfigTestSupport.sourceWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Secrets: literal, {@code ${env:NAME}}, {@code ${file:PATH}}; never printed. */
class SecretConfigTest {
  private static final String LITERAL = "literal-Secret-93kd";
  private static final String PLAINTEXT_ALLOWED = "allowPlaintextSecrets: true\n";

  @TempDir Path dir;

  private static Secret password(GatehouseConfig c) {
    return ((NetworkSourceSettings) c.sources().get(0).settings()).password();
  }

  // --- Secret itself ---

  @Test
  void secretPrintsAsStars() {
    Secret s = Secret.of(LITERAL);
    assertEquals("****", s.toString());
    assertEquals("****", String.valueOf(s));
    assertEquals("x=****", "x=" + s);
  }

  @Test
  void secretRevealsACopy() {
    char[] source = LITERAL.toCharArray();
    Secret s = Secret.of(source);
    source[0] = 'X';
    assertEquals(LITERAL, s.revealAsString(), "Secret.of(char[]) keeps its own copy");
    char[] first = s.reveal();
    Arrays.fill(first, '\0');
    assertArrayEquals(LITERAL.toCharArray(), s.reveal(), "clearing a revealed copy leaves the secret");
    assertNotSame(s.reveal(), s.reveal());
  }

  @Test
  void secretEqualityIsByValue() {
    assertEquals(Secret.of("a"), Secret.of("a".toCharArray()));
    assertEquals(Secret.of("a").hashCode(), Secret.of("a").hashCode());
    assertNotEquals(Secret.of("a"), Secret.of("b"));
    assertTrue(Secret.of("").isEmpty());
    assertFalse(Secret.of("a").isEmpty());
  }

  // --- forms ---

  @Test
  void literalPasswordIsTakenAsWritten() {
    assertEquals(LITERAL, password(parse(PLAINTEXT_ALLOWED + sourceWith("password", LITERAL))).revealAsString());
  }

  @Test
  void quotedLiteralKeepsItsSpaces() {
    assertEquals(" a b ", password(parse(PLAINTEXT_ALLOWED + sourceWith("password", "\" a b \""))).revealAsString());
  }

  @Test
  void envReferenceIsResolved() {
    assertEquals(ENV.get("TEST_PASSWORD"),
        password(parse(sourceWith("password", "${env:TEST_PASSWORD}"))).revealAsString());
  }

  @Test
  void missingEnvVariableIsRefusedByName() {
    ConfigProblem p = onlyProblem(sourceWith("password", "${env:MISSING_PW}"), "sources[0].password");
    assertEquals("environment variable MISSING_PW is not set; export it or change the reference", p.message());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      // file content (\\n, \\r spelled out) | the secret
      "pw\\n        | pw",
      "pw\\r\\n      | pw",
      "pw\\n\\n      | pw",
      "pw           | pw",
      "`pw  \\n`    | `pw  `",
      "`  pw\\n`    | `  pw`",
      "`p w\\n`     | `p w`"})
  void fileReferenceIsReadWithoutTrailingNewline(String content, String expected) throws IOException {
    Path file = Files.writeString(dir.resolve("pw"), content.replace("\\n", "\n").replace("\\r", "\r"));
    assertEquals(expected, password(parse(sourceWith("password", "${file:" + file + "}"))).revealAsString());
  }

  @Test
  void fileReferenceKeepsInnerNewlines() throws IOException {
    Path file = Files.writeString(dir.resolve("pw"), "line1\nline2\n");
    assertEquals("line1\nline2", password(parse(sourceWith("password", "${file:" + file + "}"))).revealAsString());
  }

  @Test
  void missingSecretFileIsRefused() {
    Path file = dir.resolve("no-such-secret");
    ConfigProblem p = onlyProblem(sourceWith("password", "${file:" + file + "}"), "sources[0].password");
    assertEquals("secret file " + file + " cannot be read (NoSuchFileException); check the path and its"
        + " permissions", p.message());
  }

  @Test
  void secretFileThatIsADirectoryIsRefused() {
    onlyProblem(sourceWith("password", "${file:" + dir + "}"), "sources[0].password",
        "secret file " + dir + " cannot be read", "check the path");
  }

  @ParameterizedTest
  @ValueSource(strings = {"${vault:db/pw}", "${ENV:TEST_PASSWORD}", "${TEST_PASSWORD}", "${env:TEST_PASSWORD",
      "${env:}", "${file:}", "${}"})
  void malformedOrUnknownReferenceIsRefusedNotTakenLiterally(String ref) {
    ConfigProblem p = onlyProblem(sourceWith("password", "\"" + ref + "\""), "sources[0].password");
    assertEquals("is not a valid secret reference; write ${env:NAME} or ${file:PATH}", p.message());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "123456     | a number",
      "12.5       | a number",
      "true       | true/false",
      "[a, b]     | a list",
      "{a: b}     | a mapping"})
  void secretThatIsNotTextIsRefusedWithoutShowingIt(String value, String kind) {
    ConfigException e = invalid(sourceWith("password", value));
    assertEquals(1, e.problems().size(), e::getMessage);
    assertEquals("must be a text value (quote it), got " + kind, e.problems().get(0).message());
    if (value.startsWith("1")) {
      assertFalse(e.getMessage().contains(value), e.getMessage());
    }
  }

  // --- never printed ---

  @Test
  void secretsNeverAppearInProblems() throws IOException {
    Path file = Files.writeString(dir.resolve("pw"), "file-Secret-77aa\n");
    String other = "    type: testdb\n    host: h\n    database: d\n    user: u\n";
    String yaml = "sources:\n"
        + "  - id: a\n" + other + "    password: " + LITERAL + "\n    port: 0\n    pasword: " + LITERAL + "\n"
        + "  - id: b\n" + other + "    password: ${env:TEST_PASSWORD}\n    tls: nope\n"
        + "  - id: c\n" + other + "    password: ${file:" + file + "}\n    pool: {maxSize: 0}\n"
        + "  - id: d\n" + other + "    password: ${env:NOT_SET}\n"
        + "server:\n  tls: {keystore: /nope.p12, password: " + LITERAL + "}\n"
        + "  users:\n    - name: bob\n      passwordHash: " + LITERAL + "\n      sources: [a]\n";
    ConfigException e = invalid(yaml);
    // 7, and the two plain-text secrets (a.password and server.tls.password) refused
    assertEquals(9, e.problems().size(), e::getMessage);
    for (String secret : List.of(LITERAL, ENV.get("TEST_PASSWORD"), "file-Secret-77aa")) {
      assertFalse(e.getMessage().contains(secret), e.getMessage());
      assertFalse(e.toString().contains(secret), e.toString());
      e.problems().forEach(p -> assertFalse(p.toString().contains(secret), p.toString()));
    }
  }

  @Test
  void secretsNeverAppearInToString() throws IOException {
    Path keystore = Files.write(dir.resolve("ks.p12"), new byte[] {1});
    String yaml = PLAINTEXT_ALLOWED + sourceWith("password", LITERAL)
        + "server:\n  tls: {keystore: " + keystore + ", password: \"${env:TEST_PASSWORD}\"}\n"
        + "  users:\n    - name: bob\n      passwordHash: \"$2b$12$hashHASHhash\"\n      sources: [shop]\n";
    GatehouseConfig c = parse(yaml);
    SourceConfig source = c.sources().get(0);
    ServerConfig.User user = c.server().users().get(0);
    List<Object> printed = List.of(source.settings(), source, c, c.server(), c.server().tls(), user);
    for (Object o : printed) {
      String s = o.toString();
      assertFalse(s.contains(LITERAL), s);
      assertFalse(s.contains(ENV.get("TEST_PASSWORD")), s);
      assertFalse(s.contains("hashHASHhash"), s);
    }
    assertTrue(source.settings().toString().contains("password=****"), source.settings().toString());
    assertTrue(user.toString().contains("passwordHash=****"), user.toString());
    assertTrue(c.server().tls().toString().contains("password=****"), c.server().tls().toString());
  }

  @Test
  void settingsWithoutPasswordSayNone() {
    String s = new NetworkSourceSettings("h", 1, "d", "u", null, TlsMode.DISABLE, null).toString();
    assertEquals("NetworkSourceSettings[host=h, port=1, database=d, user=u, password=none, tls=disable,"
        + " caFile=null]", s);
  }

  @Test
  void sourceConfigBuiltInCodeDoesNotPrintItsSecret() {
    NetworkSourceSettings settings = new NetworkSourceSettings("h", 1, "d", "u", Secret.of(LITERAL),
        TlsMode.VERIFY_FULL, null);
    SourceConfig s = new SourceConfig("x", "testdb", List.of("main"), PoolConfig.defaults(),
        Duration.ofSeconds(1), settings);
    assertFalse(s.toString().contains(LITERAL), s.toString());
    assertFalse(new GatehouseConfig(EngineConfig.defaults(), List.of(s), ServerConfig.defaults())
        .toString().contains(LITERAL));
  }
}
