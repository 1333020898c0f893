package io.gatehouse.adapter.mysql;

import io.gatehouse.core.config.NetworkSourceSettings;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Properties;
import java.util.UUID;

/**
 * Maps Gatehouse's {@code tls} modes onto Connector/J's {@code sslMode}. Connector/J reads trusted
 * certificates only from a key store, so a PEM {@code caFile} is converted into a PKCS12 trust store
 * in a private temporary file (no secret is stored in it: it holds only public certificates).
 */
final class MySqlTls {
  private MySqlTls() {}

  static void apply(NetworkSourceSettings s, Properties p) {
    switch (s.tls()) {
      case DISABLE:
        p.setProperty("sslMode", "DISABLED");
        return;
      case REQUIRE:
        p.setProperty("sslMode", "REQUIRED");
        return;
      case VERIFY_CA:
        p.setProperty("sslMode", "VERIFY_CA");
        break;
      case VERIFY_FULL:
      default:
        p.setProperty("sslMode", "VERIFY_IDENTITY");
        break;
    }
    if (s.caFile() != null) {
      // The store holds only public certificates; its password is random and lives only in memory.
      byte[] random = new byte[18];
      new java.security.SecureRandom().nextBytes(random);
      String storePassword = java.util.HexFormat.of().formatHex(random);
      Path store = trustStore(s.caFile(), storePassword.toCharArray());
      p.setProperty("trustCertificateKeyStoreUrl", store.toUri().toString());
      p.setProperty("trustCertificateKeyStoreType", "PKCS12");
      p.setProperty("trustCertificateKeyStorePassword", storePassword);
      p.setProperty("fallbackToSystemTrustStore", "false");
    }
  }

  private static Path trustStore(Path pem, char[] storePassword) {
    try (InputStream in = Files.newInputStream(pem)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        ks.setCertificateEntry("ca-" + i++, c);
      }
      if (i == 0) {
        throw new GatehouseException(ErrorCode.CONFIG_INVALID,
            "caFile " + pem + " holds no PEM certificate");
      }
      Path dir = Files.createTempDirectory("gatehouse-tls",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Path file = dir.resolve(UUID.randomUUID() + ".p12");
      try (OutputStream out = Files.newOutputStream(file)) {
        ks.store(out, storePassword);
      }
      file.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      return file;
    } catch (GatehouseException e) {
      throw e;
    } catch (Exception e) {
      throw new GatehouseException(ErrorCode.CONFIG_INVALID,
          "caFile " + pem + " cannot be read as PEM certificates (" + e.getClass().getSimpleName() + ")");
    }
  }
}
