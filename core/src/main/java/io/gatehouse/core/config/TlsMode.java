package io.gatehouse.core.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a connection to a source is protected. The default is {@link #VERIFY_FULL}: encrypted, the
 * server's certificate checked against the trusted CAs and its name against the host. Anything
 * weaker must be written in the configuration, and {@link #DISABLE} is logged as a warning.
 */
public enum TlsMode {
  /** Encrypted; certificate chain and host name verified. */
  VERIFY_FULL("verify-full"),
  /** Encrypted; certificate chain verified, host name not. */
  VERIFY_CA("verify-ca"),
  /** Encrypted; the certificate is not verified (protects only against passive eavesdropping). */
  REQUIRE("require"),
  /** Plain text. For local development only. */
  DISABLE("disable");

  private final String configName;

  TlsMode(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  /** The words accepted in the config, in order of strength. */
  public static Map<String, TlsMode> byConfigName() {
    Map<String, TlsMode> m = new LinkedHashMap<>();
    for (TlsMode t : values()) {
      m.put(t.configName, t);
    }
    return m;
  }
}
