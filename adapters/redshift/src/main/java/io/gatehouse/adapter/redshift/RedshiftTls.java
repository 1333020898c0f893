package io.gatehouse.adapter.redshift;

import io.gatehouse.core.config.NetworkSourceSettings;
import java.util.Properties;

/**
 * Maps Gatehouse's {@code tls} modes onto the Redshift driver's properties. The driver accepts
 * {@code sslmode} only as {@code verify-full} or {@code verify-ca} and refuses it next to
 * {@code ssl=false} or an {@code sslfactory}; so {@code disable} is {@code ssl=false} alone and
 * {@code require} is its non-validating factory alone. Verified modes check certificates against the
 * JVM's trust store plus the first certificate of {@code caFile} ({@code sslrootcert}).
 */
final class RedshiftTls {
  private RedshiftTls() {}

  static void apply(NetworkSourceSettings s, Properties p) {
    switch (s.tls()) {
      case DISABLE:
        p.setProperty("ssl", "false");
        return;
      case REQUIRE:
        p.setProperty("ssl", "true");
        p.setProperty("sslfactory", "com.amazon.redshift.ssl.NonValidatingFactory");
        return;
      case VERIFY_CA:
        p.setProperty("sslmode", "verify-ca");
        break;
      case VERIFY_FULL:
      default:
        p.setProperty("sslmode", "verify-full");
        break;
    }
    if (s.caFile() != null) {
      p.setProperty("sslrootcert", s.caFile().toString());
    }
  }
}
