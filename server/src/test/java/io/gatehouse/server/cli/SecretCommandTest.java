package io.gatehouse.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.config.GatehouseConfig;
import io.gatehouse.core.config.MasterKey;
import io.gatehouse.core.config.NetworkSourceSettings;
import io.gatehouse.core.spi.AdapterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gatehouse secret generate-key} and {@code gatehouse secret encrypt}. */
class SecretCommandTest {
  private static final String SECRET = "Canary-Secret-For-Encrypt-5521";

  @TempDir Path dir;

  private static String lastLine(String out) {
    String[] lines = out.split("\\R");
    return lines[lines.length - 1];
  }

  private Path keyFile() throws IOException {
    CliRun key = CliRun.run("secret", "generate-key");
    assertEquals(0, key.exitCode(), key::toString);
    Path file = dir.resolve("master.key");
    Files.writeString(file, key.out());
    return file;
  }

  private String passwordOf(Path keyFile, String value) {
    String yaml = "masterKeyFile: " + keyFile + "\n"
        + "sources:\n  - id: shop\n    type: postgresql\n    host: h\n    database: d\n"
        + "    user: u\n    password: " + value + "\n";
    GatehouseConfig c = new ConfigLoader(AdapterRegistry.discover(), Map.of()).parse(yaml, "t.yaml");
    return ((NetworkSourceSettings) c.sources().get(0).settings()).password().revealAsString();
  }

  @Test
  void generatedKeyIsBase64Of32Bytes() {
    CliRun r = CliRun.run("secret", "generate-key");
    assertEquals(0, r.exitCode(), r::toString);
    String key = r.out().strip();
    assertEquals(32, java.util.Base64.getDecoder().decode(key).length);
    assertFalse(key.equals(CliRun.run("secret", "generate-key").out().strip()), "random each time");
  }

  @Test
  void encryptPrintsAValueTheConfigurationDecrypts() throws IOException {
    Path key = keyFile();
    CliRun r = CliRun.runWithStdin(SECRET + "\n", "secret", "encrypt", "--key-file", key.toString());
    assertEquals(0, r.exitCode(), r::toString);
    String value = lastLine(r.out());
    assertTrue(value.startsWith("enc:v1:"), r::toString);
    assertFalse(r.out().contains(SECRET), r::toString);
    assertFalse(r.err().contains(SECRET), r::toString);
    assertEquals(SECRET, passwordOf(key, value));
  }

  @Test
  void multiLineSecretsKeepTheirInnerLineBreaks() throws IOException {
    Path key = keyFile();
    String pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----";
    CliRun r = CliRun.runWithStdin(pem + "\n\n", "secret", "encrypt", "--key-file", key.toString());
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(pem, passwordOf(key, "\"" + lastLine(r.out()) + "\""));
  }

  @Test
  void missingOrBadKeyIsAClearUsageError() throws IOException {
    CliRun none = CliRun.runWithStdin(SECRET, "secret", "encrypt", "--key-file",
        dir.resolve("absent.key").toString());
    assertEquals(2, none.exitCode(), none::toString);
    assertTrue(none.err().startsWith("ERROR CONFIG_INVALID: the master key in --key-file"), none::toString);
    assertEquals("", none.out());

    Path bad = Files.writeString(dir.resolve("bad.key"), "c2hvcnQ=");
    CliRun wrong = CliRun.runWithStdin(SECRET, "secret", "encrypt", "--key-file", bad.toString());
    assertEquals(2, wrong.exitCode(), wrong::toString);
    assertTrue(wrong.err().contains("decodes to 5 bytes, not 32"), wrong::toString);
    assertFalse(wrong.err().contains("c2hvcnQ="), wrong::toString);
  }

  @Test
  void emptyInputIsRefused() throws IOException {
    Path key = keyFile();
    CliRun r = CliRun.runWithStdin("", "secret", "encrypt", "--key-file", key.toString());
    assertEquals(2, r.exitCode(), r::toString);
    assertTrue(r.err().contains("no secret: nothing on stdin"), r::toString);
    CliRun blank = CliRun.runWithStdin("\n", "secret", "encrypt", "--key-file", key.toString());
    assertEquals(2, blank.exitCode(), blank::toString);
    assertTrue(blank.err().contains("the secret is empty"), blank::toString);
  }

  @Test
  void withoutACommandTheUsageIsShown() {
    CliRun r = CliRun.run("secret");
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("generate-key"), r::toString);
    assertTrue(r.err().contains("encrypt"), r::toString);
  }
}
