package io.gatehouse.core.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.crypto.AEADBadTagException;

/**
 * Turns the text of a secret key into a {@link Secret}, for every {@link ConfigObject} of one
 * configuration: {@code ${env:NAME}}, {@code ${file:PATH}}, {@code enc:v1:...} and, only where the
 * configuration allows it, plain text.
 *
 * <p>Plain text is refused in configuration <em>text</em> (a file or a YAML string), where it would
 * sit at rest, unless the document says {@code allowPlaintextSecrets: true}; then each such field is
 * remembered so that the loader can warn about it by name. A configuration built in code
 * ({@code ConfigLoader.fromMap}) holds values the program already has in memory, so it may carry
 * plain text without the flag.
 *
 * <p>The master key is looked up once, at the first encrypted value, so that a configuration
 * without encrypted values needs no key.
 */
final class SecretResolver {
  private final Map<String, String> environment;
  private final boolean fromText;
  private boolean allowPlaintext;
  private Path masterKeyFile;
  private String masterKeyFilePath;
  private boolean keyLooked;
  private MasterKey key;
  private String keyProblem;
  private final List<String> plaintextFields = new ArrayList<>();

  SecretResolver(Map<String, String> environment, boolean fromText) {
    this.environment = environment;
    this.fromText = fromText;
  }

  /** Reads the top-level keys {@code allowPlaintextSecrets} and {@code masterKeyFile}. */
  void readSettings(ConfigObject top) {
    Boolean allow = top.bool("allowPlaintextSecrets", false);
    allowPlaintext = allow != null && allow;
    String file = top.string("masterKeyFile");
    if (file != null) {
      masterKeyFilePath = top.pathOf("masterKeyFile");
      masterKeyFile = Path.of(file);
    }
  }

  /** The paths of fields that hold plain-text secrets in configuration text (allowed by the flag). */
  List<String> plaintextFields() {
    return List.copyOf(plaintextFields);
  }

  String env(String name) {
    return environment.get(name);
  }

  /** The secret for {@code raw}, the text under {@code key} of {@code o}; null after a problem. */
  Secret resolve(ConfigObject o, String key, String raw) {
    if (raw.startsWith("${")) {
      return reference(o, key, raw);
    }
    if (raw.startsWith("enc:")) {
      return encrypted(o, key, raw);
    }
    if (fromText && !raw.isEmpty()) {
      if (!allowPlaintext) {
        o.problem(key, "holds a plain-text secret; write ${env:NAME}, ${file:PATH} or an encrypted"
            + " value from 'gatehouse secret encrypt' (enc:v1:...). For local development only,"
            + " set allowPlaintextSecrets: true at the top of the configuration");
        return null;
      }
      plaintextFields.add(o.pathOf(key));
    }
    return Secret.of(raw);
  }

  private Secret reference(ConfigObject o, String key, String raw) {
    // A malformed reference must not silently become the password.
    String ref = raw.endsWith("}") ? raw.substring(2, raw.length() - 1) : "";
    if (ref.startsWith("env:") && ref.length() > 4) {
      String name = ref.substring(4);
      String value = environment.get(name);
      if (value == null) {
        o.problem(key, "environment variable " + name + " is not set; export it or change the reference");
        return null;
      }
      return Secret.of(value);
    }
    if (ref.startsWith("file:") && ref.length() > 5) {
      String file = ref.substring(5);
      try {
        String content = Files.readString(Path.of(file), StandardCharsets.UTF_8);
        int end = content.length();
        while (end > 0 && (content.charAt(end - 1) == '\n' || content.charAt(end - 1) == '\r')) {
          end--;
        }
        return Secret.of(content.substring(0, end));
      } catch (Exception e) {
        o.problem(key, "secret file " + file + " cannot be read (" + e.getClass().getSimpleName()
            + "); check the path and its permissions");
        return null;
      }
    }
    o.problem(key, "is not a valid secret reference; write ${env:NAME} or ${file:PATH}");
    return null;
  }

  private Secret encrypted(ConfigObject o, String key, String raw) {
    if (!MasterKey.isEncrypted(raw)) {
      o.problem(key, "is not a valid encrypted value: only enc:v1: is known; paste the whole line"
          + " printed by 'gatehouse secret encrypt'");
      return null;
    }
    byte[] payload;
    try {
      payload = MasterKey.payload(raw);
    } catch (IllegalArgumentException e) {
      o.problem(key, e.getMessage());
      return null;
    }
    MasterKey k = masterKey(o);
    if (k == null) {
      o.problem(key, "is encrypted (enc:v1) but " + keyProblem);
      return null;
    }
    try {
      return Secret.sealed(payload, k);
    } catch (AEADBadTagException e) {
      o.problem(key, "cannot be decrypted with the master key from " + keySource() + ": it was"
          + " encrypted with a different key, or the value was changed; use the key it was"
          + " encrypted with, or encrypt the secret again with 'gatehouse secret encrypt'");
      return null;
    }
  }

  /** The key, or null with {@link #keyProblem} saying why; a bad key file is reported once. */
  private MasterKey masterKey(ConfigObject o) {
    if (keyLooked) {
      return key;
    }
    keyLooked = true;
    String text;
    String origin;
    if (masterKeyFile != null) {
      origin = "masterKeyFile " + masterKeyFile;
      text = readKeyFile(masterKeyFile, origin);
    } else if (environment.get(MasterKey.ENV) != null) {
      origin = "the environment variable " + MasterKey.ENV;
      text = environment.get(MasterKey.ENV);
    } else if (environment.get(MasterKey.FILE_ENV) != null) {
      Path file = Path.of(environment.get(MasterKey.FILE_ENV));
      origin = "the key file " + file + " (from " + MasterKey.FILE_ENV + ")";
      text = readKeyFile(file, origin);
    } else {
      keyProblem = "no master key is set; export " + MasterKey.ENV + " (base64 of 32 bytes, from"
          + " 'gatehouse secret generate-key'), or name a key file with masterKeyFile or "
          + MasterKey.FILE_ENV;
      return null;
    }
    if (text == null) {
      return null; // readKeyFile set keyProblem
    }
    try {
      key = MasterKey.fromBase64(text);
    } catch (IllegalArgumentException e) {
      keyProblem = "the master key in " + origin + " " + e.getMessage();
      if (masterKeyFilePath != null) {
        o.problems().add(masterKeyFilePath, "the key in the file " + e.getMessage());
        keyProblem = "the master key file is not usable (see masterKeyFile)";
      }
    }
    return key;
  }

  private String readKeyFile(Path file, String origin) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException | RuntimeException e) {
      keyProblem = origin + " cannot be read (" + e.getClass().getSimpleName()
          + "); check the path and its permissions";
      return null;
    }
  }

  private String keySource() {
    if (masterKeyFile != null) {
      return "masterKeyFile";
    }
    return environment.get(MasterKey.ENV) != null ? MasterKey.ENV : MasterKey.FILE_ENV;
  }
}
