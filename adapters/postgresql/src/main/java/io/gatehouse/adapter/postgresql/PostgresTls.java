package io.gatehouse.adapter.postgresql;

import com.zaxxer.hikari.HikariConfig;
import io.gatehouse.core.config.NetworkSourceSettings;

/**
 * Maps Gatehouse's {@code tls} modes onto the PostgreSQL driver's {@code sslmode}. With no
 * {@code caFile}, certificates are checked against the JVM's trust store (the driver's own default
 * would look for {@code ~/.postgresql/root.crt} instead).
 */
final class PostgresTls {
  private PostgresTls() {}

  static void apply(NetworkSourceSettings s, HikariConfig hc) {
    switch (s.tls()) {
      case DISABLE:
        hc.addDataSourceProperty("sslmode", "disable");
        return;
      case REQUIRE:
        hc.addDataSourceProperty("sslmode", "require");
        hc.addDataSourceProperty("sslfactory", "org.postgresql.ssl.NonValidatingFactory");
        return;
      case VERIFY_CA:
        hc.addDataSourceProperty("sslmode", "verify-ca");
        break;
      case VERIFY_FULL:
      default:
        hc.addDataSourceProperty("sslmode", "verify-full");
        break;
    }
    if (s.caFile() != null) {
      hc.addDataSourceProperty("sslrootcert", s.caFile().toString());
    } else {
      hc.addDataSourceProperty("sslfactory", "org.postgresql.ssl.DefaultJavaSSLFactory");
    }
  }
}
