package io.gatehouse.adapter.redshift.testing;

import io.gatehouse.adapter.postgresql.testing.PostgresFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * What the Redshift adapter's tests connect to: the shared embedded PostgreSQL 16
 * ({@link PostgresFixture}) behind two {@link StartupRewritingProxy}s, one per JVM, started on
 * first use. {@link #plain()} refuses TLS; {@link #tls()} serves TLS with the fixture's own server
 * certificate (signed by {@link PostgresFixture#caFile()}, naming only {@code localhost}), so the
 * driver's TLS options are checked against the same CA and name as PostgreSQL's own TLS.
 */
public final class RedshiftTestServer {
  private static RedshiftTestServer instance;

  private final PostgresFixture pg;
  private final StartupRewritingProxy plain;
  private final StartupRewritingProxy tls;

  private RedshiftTestServer(PostgresFixture pg) throws Exception {
    this.pg = pg;
    this.plain = StartupRewritingProxy.start(pg.host(), pg.port(), null);
    this.tls = StartupRewritingProxy.start(pg.host(), pg.port(), serverContext(pg));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      plain.close();
      tls.close();
    }, "redshift-test-proxies-stop"));
  }

  public static synchronized RedshiftTestServer get() {
    if (instance == null) {
      try {
        instance = new RedshiftTestServer(PostgresFixture.get());
      } catch (Exception e) {
        throw new IllegalStateException("cannot start the Redshift test proxies", e);
      }
    }
    return instance;
  }

  public PostgresFixture postgres() {
    return pg;
  }

  /** The proxy without TLS (sources configured with {@code tls: disable}). */
  public StartupRewritingProxy plain() {
    return plain;
  }

  /** The proxy that ends TLS with the PostgreSQL fixture's certificate. */
  public StartupRewritingProxy tls() {
    return tls;
  }

  /**
   * A {@code type: redshift} source entry (without id) for the plain proxy.
   *
   * @param user a PostgreSQL role of the fixture
   */
  public Map<String, Object> sourceEntry(String user, String password) {
    Map<String, Object> m = new HashMap<>();
    m.put("type", "redshift");
    m.put("host", "localhost");
    m.put("port", plain.port());
    m.put("database", pg.database());
    m.put("user", user);
    m.put("password", password);
    m.put("tls", "disable");
    m.put("pool", Map.of("connectionTimeout", "2s"));
    return m;
  }

  /** The fixture's server certificate and key, as PostgreSQL itself serves them. */
  private static SSLContext serverContext(PostgresFixture pg) throws Exception {
    Path dir = pg.runDirectory().resolve("tls");
    Certificate cert;
    try (var in = Files.newInputStream(dir.resolve("postgres-cert.pem"))) {
      cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    Certificate ca;
    try (var in = Files.newInputStream(pg.caFile())) {
      ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(
        new PKCS8EncodedKeySpec(pemBody(dir.resolve("postgres-key.pem"))));
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    char[] transientPassword = "in-memory-only".toCharArray();
    ks.setKeyEntry("server", key, transientPassword, new Certificate[] {cert, ca});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, transientPassword);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }

  private static byte[] pemBody(Path pem) throws IOException {
    String text = Files.readString(pem, StandardCharsets.US_ASCII);
    String body = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return Base64.getDecoder().decode(body);
  }
}
