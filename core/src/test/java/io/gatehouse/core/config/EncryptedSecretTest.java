package io.gatehouse.core.config;

import static io.gatehouse.core.config.ConfigTestSupport.ORIGIN;
import static io.gatehouse.core.config.ConfigTestSupport.problemAt;
import static io.gatehouse.core.config.ConfigTestSupport.sourceWith;
import static io.gatehouse.core.config.ConfigTestSupport.testDb;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gatehouse.core.spi.AdapterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Encrypted values ({@code enc:v1:}), the master key, and the refusal of plain-text secrets. */
class EncryptedSecretTest {
  private static final String SECRET = "pa$$-Encrypted-41zx";
  private static final MasterKey KEY = MasterKey.generate();

  @TempDir Path dir;

  private static ConfigLoader loader(Map<String, String> env) {
    return new ConfigLoader(new AdapterRegistry(List.of(testDb())), env);
  }

  private static Secret password(GatehouseConfig c) {
    return ((NetworkSourceSettings) c.sources().get(0).settings()).password();
  }

  private static GatehouseConfig parse(Map<String, String> env, String yaml) {
    return loader(env).parse(yaml, ORIGIN);
  }

  private static ConfigException invalid(Map<String, String> env, String yaml) {
    return assertThrows(ConfigException.class, () -> parse(env, yaml));
  }

  private static String encrypted(MasterKey key, String secret) {
    return key.encrypt(secret.toCharArray());
  }

  @Test
  void encryptedValueDecryptsWithTheKeyFromTheEnvironment() {
    String value = encrypted(KEY, SECRET);
    assertTrue(value.startsWith("enc:v1:"), value);
    Secret s = password(parse(Map.of(MasterKey.ENV, KEY.toBase64()), sourceWith("password", value)));
    assertTrue(s.isEncrypted(), "held encrypted until a pool asks for it");
    assertEquals(SECRET, s.revealAsString());
    assertEquals("****", s.toString());
  }

  @Test
  void theSameSecretEncryptsDifferentlyEachTime() {
    assertNotEquals(encrypted(KEY, SECRET), encrypted(KEY, SECRET), "random nonce");
  }

  @Test
  void unicodeAndMultiLineSecretsRoundTrip() {
    String pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQ\u00e9\u20ac\n-----END PRIVATE KEY-----";
    String yaml = sourceWith("password", "\"" + encrypted(KEY, pem) + "\"");
    assertEquals(pem, password(parse(Map.of(MasterKey.ENV, KEY.toBase64()), yaml)).revealAsString());
  }

  @Test
  void keyFileFromTheConfigurationIsUsed() throws IOException {
    Path keyFile = Files.writeString(dir.resolve("master.key"), KEY.toBase64() + "\n");
    String yaml = "masterKeyFile: " + keyFile + "\n" + sourceWith("password", encrypted(KEY, SECRET));
    assertEquals(SECRET, password(parse(Map.of(), yaml)).revealAsString());
  }

  @Test
  void keyFileFromTheEnvironmentIsUsed() throws IOException {
    Path keyFile = Files.writeString(dir.resolve("master.key"), KEY.toBase64());
    String yaml = sourceWith("password", encrypted(KEY, SECRET));
    assertEquals(SECRET, password(parse(Map.of(MasterKey.FILE_ENV, keyFile.toString()), yaml))
        .revealAsString());
  }

  @Test
  void missingKeyIsAProblemNamingTheFieldAndTheVariable() {
    ConfigException e = invalid(Map.of(), sourceWith("password", encrypted(KEY, SECRET)));
    assertEquals(1, e.problems().size(), e::getMessage);
    problemAt(e, "sources[0].password", "is encrypted (enc:v1) but no master key is set",
        MasterKey.ENV, "masterKeyFile");
  }

  @Test
  void wrongKeyIsAProblemNamingTheField() {
    String value = encrypted(MasterKey.generate(), SECRET);
    ConfigException e = invalid(Map.of(MasterKey.ENV, KEY.toBase64()), sourceWith("password", value));
    problemAt(e, "sources[0].password", "cannot be decrypted with the master key from "
        + MasterKey.ENV, "encrypted with a different key");
  }

  @Test
  void alteredValueIsRefused() {
    String value = encrypted(KEY, SECRET);
    char[] c = value.toCharArray();
    int i = c.length - 5;
    c[i] = c[i] == 'A' ? 'B' : 'A';
    ConfigException e = invalid(Map.of(MasterKey.ENV, KEY.toBase64()),
        sourceWith("password", new String(c)));
    problemAt(e, "sources[0].password", "cannot be decrypted", "the value was changed");
  }

  @Test
  void malformedValuesAreRefused() {
    Map<String, String> env = Map.of(MasterKey.ENV, KEY.toBase64());
    problemAt(invalid(env, sourceWith("password", "enc:v1:not*base64")), "sources[0].password",
        "is not a valid enc:v1: value", "not base64");
    problemAt(invalid(env, sourceWith("password", "enc:v1:AAAA")), "sources[0].password",
        "too short");
    problemAt(invalid(env, sourceWith("password", "enc:v9:AAAA")), "sources[0].password",
        "only enc:v1: is known");
  }

  @Test
  void malformedKeysAreReportedWithoutTheirText() throws IOException {
    String yaml = sourceWith("password", encrypted(KEY, SECRET));
    ConfigException e = invalid(Map.of(MasterKey.ENV, "c2hvcnQ="), yaml);
    problemAt(e, "sources[0].password", MasterKey.ENV, "decodes to 5 bytes, not 32");
    assertFalse(e.getMessage().contains("c2hvcnQ="), e.getMessage());

    Path keyFile = Files.writeString(dir.resolve("bad.key"), "not a key!");
    ConfigException f = invalid(Map.of(), "masterKeyFile: " + keyFile + "\n" + yaml);
    problemAt(f, "masterKeyFile", "is not base64 text");
    problemAt(f, "sources[0].password", "see masterKeyFile");

    ConfigException g = invalid(Map.of(), "masterKeyFile: " + dir.resolve("none.key") + "\n" + yaml);
    problemAt(g, "sources[0].password", "cannot be read", "none.key");
  }

  @Test
  void aConfigurationWithoutEncryptedValuesNeedsNoKey() {
    String yaml = sourceWith("password", "\"${env:PW}\"");
    assertEquals("x", password(parse(Map.of("PW", "x", MasterKey.ENV, "garbage"), yaml)).revealAsString());
  }

  // --- plain text ---

  @Test
  void plainTextSecretIsRefusedWithTheFix() {
    ConfigException e = invalid(Map.of(), sourceWith("password", SECRET));
    assertEquals(1, e.problems().size(), e::getMessage);
    problemAt(e, "sources[0].password", "holds a plain-text secret", "${env:NAME}",
        "gatehouse secret encrypt", "allowPlaintextSecrets: true");
    assertFalse(e.getMessage().contains(SECRET), e.getMessage());
  }

  @Test
  void plainTextSecretIsAllowedByTheFlagWithAWarningNamingTheField() {
    Logger logger = (Logger) LoggerFactory.getLogger(ConfigLoader.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      String yaml = "allowPlaintextSecrets: true\n" + sourceWith("password", SECRET);
      assertEquals(SECRET, password(parse(Map.of(), yaml)).revealAsString());
    } finally {
      logger.detachAppender(appender);
    }
    List<String> warnings = appender.list.stream()
        .filter(ev -> ev.getLevel() == ch.qos.logback.classic.Level.WARN)
        .map(ILoggingEvent::getFormattedMessage).toList();
    assertEquals(1, warnings.size(), warnings::toString);
    assertTrue(warnings.get(0).contains("sources[0].password holds a plain-text secret"), warnings::toString);
    assertFalse(warnings.get(0).contains(SECRET), warnings::toString);
  }

  @Test
  void emptyPasswordIsNotAPlainTextSecret() {
    assertTrue(password(parse(Map.of(), sourceWith("password", "\"\""))).isEmpty());
  }

  @Test
  void configurationBuiltInCodeMayHoldPlainText() {
    Map<String, Object> source = new HashMap<>(Map.of("id", "shop", "type", "testdb", "host", "h",
        "database", "d", "user", "u", "password", SECRET));
    GatehouseConfig c = loader(Map.of()).fromMap(Map.of("sources", List.of(source)));
    assertEquals(SECRET, password(c).revealAsString());
  }

  @Test
  void allowPlaintextSecretsMustBeABoolean() {
    problemAt(invalid(Map.of(), "allowPlaintextSecrets: sure\n" + sourceWith("password", "\"${env:X}\"")),
        "allowPlaintextSecrets", "true or false");
  }

  // --- Secret and MasterKey themselves ---

  @Test
  void maskInReplacesEveryOccurrence() {
    Secret s = Secret.of("hunter2");
    assertEquals("a **** b ****c", s.maskIn("a hunter2 b hunter2c"));
    assertEquals("nothing here", s.maskIn("nothing here"));
    assertEquals("x", Secret.of("").maskIn("x"));
  }

  @Test
  void masterKeyRoundTripsThroughBase64AndNeverPrintsItself() {
    MasterKey copy = MasterKey.fromBase64(" " + KEY.toBase64() + "\n");
    assertEquals(SECRET, Secret.of(SECRET).revealAsString());
    String value = copy.encrypt(SECRET.toCharArray());
    assertEquals(SECRET, password(parse(Map.of(MasterKey.ENV, KEY.toBase64()),
        sourceWith("password", value))).revealAsString());
    assertEquals("MasterKey[****]", KEY.toString());
    assertThrows(IllegalArgumentException.class, () -> MasterKey.fromBase64("%%%"));
  }
}
