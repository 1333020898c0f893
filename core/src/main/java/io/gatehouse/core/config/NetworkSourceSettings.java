package io.gatehouse.core.config;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Settings shared by sources reached over the network with a user and password (PostgreSQL,
 * MySQL/MariaDB, Redshift): {@code host, port, database, user, password, tls, caFile}.
 *
 * @param database may be null where the adapter allows it (MySQL with {@code schemas} listed)
 * @param password null when the source needs none
 * @param caFile PEM file of the CA(s) that sign the source's certificate; null = the JVM's trust store
 */
public record NetworkSourceSettings(
    String host, int port, String database, String user, Secret password, TlsMode tls, Path caFile)
    implements SourceSettings {

  /**
   * Reads the network keys of a source mapping.
   *
   * @param defaultPort the protocol's usual port, used when {@code port} is absent
   * @param databaseRequired whether {@code database} must be given
   */
  public static NetworkSourceSettings read(ConfigObject o, int defaultPort, boolean databaseRequired) {
    String host = o.requiredString("host", "the server's host name or IP address");
    Integer port = o.integer("port", 1, 65535, defaultPort);
    String database = databaseRequired
        ? o.requiredString("database", "the database to connect to")
        : o.string("database");
    String user = o.requiredString("user", "a login with read-only rights");
    Secret password = o.secret("password");
    TlsMode tls = o.choice("tls", TlsMode.byConfigName(), TlsMode.VERIFY_FULL);
    Path caFile = null;
    String ca = o.string("caFile");
    if (ca != null) {
      caFile = Path.of(ca);
      if (!Files.isRegularFile(caFile) || !Files.isReadable(caFile)) {
        o.problem("caFile", "file " + ca + " does not exist or cannot be read; give the path of a"
            + " readable PEM file with the CA certificate(s) of the source, or remove caFile to use"
            + " the JVM's trust store");
      } else if (tls == TlsMode.DISABLE) {
        o.problem("caFile", "is set but tls is 'disable'; remove caFile or enable TLS");
      }
    }
    return new NetworkSourceSettings(host, port == null ? defaultPort : port, database, user,
        password, tls, caFile);
  }

  @Override
  public String toString() {
    return "NetworkSourceSettings[host=" + host + ", port=" + port + ", database=" + database
        + ", user=" + user + ", password=" + (password == null ? "none" : "****") + ", tls="
        + tls.configName() + ", caFile=" + caFile + "]";
  }
}
