package io.gatehouse.adapter.snowflake;

import io.gatehouse.core.config.ConfigObject;
import io.gatehouse.core.config.Secret;
import io.gatehouse.core.config.SourceSettings;
import io.gatehouse.core.config.TlsMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The keys of a Snowflake source.
 *
 * @param account the account identifier ({@code myorg-myaccount}, or a locator such as
 *     {@code xy12345.eu-central-1})
 * @param host where the driver connects; by default {@code <account>.snowflakecomputing.com}
 * @param port 443 unless set (tests point it at a local fake)
 * @param tls {@link TlsMode#VERIFY_FULL} (the driver always verifies the certificate and host name)
 *     or {@link TlsMode#DISABLE} (plain HTTP: only for a local fake or proxy)
 * @param password set for password logins, else null
 * @param privateKey PEM text of a PKCS#8 private key for key-pair logins, else null
 * @param privateKeyPassphrase the passphrase of an encrypted {@code privateKey}, else null
 * @param warehouse the virtual warehouse queries run on, or null for the user's default
 * @param database the database whose schemas are exposed (required: the catalog is read from its
 *     INFORMATION_SCHEMA)
 * @param schema the session's default schema, and the exposed one when {@code schemas} is not set;
 *     null for PUBLIC
 * @param role the role the session uses, or null for the user's default; it should be read-only
 */
public record SnowflakeSettings(String account, String host, int port, TlsMode tls, String user,
    Secret password, Secret privateKey, Secret privateKeyPassphrase, String warehouse,
    String database, String schema, String role) implements SourceSettings {

  // Account identifiers: organization-account names, or account locators with region and cloud.
  private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

  /** Reads and validates the keys of one {@code type: snowflake} source; null when unusable. */
  static SnowflakeSettings read(ConfigObject o) {
    int problemsBefore = o.problems().size();
    String account = o.requiredString("account",
        "the account identifier, e.g. myorg-myaccount or xy12345.eu-central-1");
    if (account != null && !ACCOUNT.matcher(account).matches()) {
      o.problem("account", "must be an account identifier such as myorg-myaccount or"
          + " xy12345.eu-central-1 (letters, digits, '-', '_' and '.'), got '" + account + "'");
    }
    String host = o.string("host");
    Integer port = o.integer("port", 1, 65535, 443);
    Map<String, TlsMode> modes = new LinkedHashMap<>();
    modes.put(TlsMode.VERIFY_FULL.configName(), TlsMode.VERIFY_FULL);
    modes.put(TlsMode.DISABLE.configName(), TlsMode.DISABLE);
    // The driver always checks the certificate chain and the host name (and OCSP); it has no mode
    // that encrypts without verifying, so verify-ca and require cannot be honoured and are refused.
    TlsMode tls = o.choice("tls", modes, TlsMode.VERIFY_FULL);
    String user = o.requiredString("user", "a Snowflake login whose role can only read");
    Secret password = o.secret("password");
    Secret privateKey = o.secret("privateKey");
    Secret passphrase = o.secret("privateKeyPassphrase");
    if (password != null && privateKey != null) {
      o.problem("privateKey", "is set together with password; give one way to log in: password,"
          + " or privateKey (key-pair authentication)");
    } else if (password == null && privateKey == null && o.problems().size() == problemsBefore) {
      o.problem("password", "is required unless privateKey is given (key-pair authentication);"
          + " give one of them, e.g. password: ${env:SNOWFLAKE_PASSWORD}");
    }
    if (passphrase != null && privateKey == null) {
      o.problem("privateKeyPassphrase", "is set but privateKey is not; remove it or add privateKey");
    }
    if (privateKey != null) {
      String problem = SnowflakeKeys.check(privateKey, passphrase);
      if (problem != null) {
        o.problem(problem.startsWith("passphrase:") ? "privateKeyPassphrase" : "privateKey",
            problem.substring(problem.indexOf(':') + 1).trim());
      }
    }
    String warehouse = o.string("warehouse");
    String database = o.requiredString("database",
        "the database whose schemas are exposed, e.g. ANALYTICS");
    String schema = o.string("schema");
    String role = o.string("role");
    if (account == null || user == null || database == null
        || o.problems().size() > problemsBefore) {
      return null;
    }
    String h = host != null ? host : account.toLowerCase(java.util.Locale.ROOT) + ".snowflakecomputing.com";
    return new SnowflakeSettings(account, h, port == null ? 443 : port, tls, user, password,
        privateKey, passphrase, warehouse, database, schema, role);
  }

  @Override
  public String toString() {
    return "SnowflakeSettings[account=" + account + ", host=" + host + ", port=" + port + ", tls="
        + tls.configName() + ", user=" + user + ", password=" + (password == null ? "none" : "****")
        + ", privateKey=" + (privateKey == null ? "none" : "****") + ", privateKeyPassphrase="
        + (privateKeyPassphrase == null ? "none" : "****") + ", warehouse=" + warehouse
        + ", database=" + database + ", schema=" + schema + ", role=" + role + "]";
  }
}
