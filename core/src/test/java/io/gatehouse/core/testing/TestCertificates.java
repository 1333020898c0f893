package io.gatehouse.core.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made at test time for TLS between Gatehouse and the test databases: a CA, and server
 * certificates it signs for the names the caller gives. Nothing is checked in, nothing expires
 * during a run, and a second, unrelated CA is one call away (for "wrong CA" tests).
 */
public final class TestCertificates {
  private static final SecureRandom RANDOM = new SecureRandom();

  private TestCertificates() {}

  /** A certificate authority: its key and its self-signed certificate, also written as PEM. */
  public record Authority(KeyPair keys, X509Certificate certificate, Path pem) {}

  /** A server's PEM files: its certificate, its private key (PKCS#8, mode 0600) and its CA. */
  public record ServerFiles(Path certificate, Path key, Path ca) {}

  /** A new CA named {@code name}, its certificate written to {@code dir/name-ca.pem}. */
  public static Authority authority(Path dir, String name) {
    try {
      Files.createDirectories(dir);
      KeyPair keys = rsa();
      X500Name subject = new X500Name("CN=" + name + " Test CA");
      X509v3CertificateBuilder b = builder(subject, subject, keys);
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      X509Certificate cert = sign(b, keys);
      Path pem = write(dir.resolve(name + "-ca.pem"), cert);
      return new Authority(keys, cert, pem);
    } catch (Exception e) {
      throw new IllegalStateException("cannot make a test CA", e);
    }
  }

  /**
   * A server certificate signed by {@code ca}, valid for the given DNS names only (no IP
   * addresses, so that a client connecting by IP sees a name mismatch).
   */
  public static ServerFiles server(Authority ca, Path dir, String name, String... dnsNames) {
    try {
      Files.createDirectories(dir);
      KeyPair keys = rsa();
      X509v3CertificateBuilder b = builder(
          X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()),
          new X500Name("CN=" + dnsNames[0]), keys);
      GeneralName[] names = new GeneralName[dnsNames.length];
      for (int i = 0; i < dnsNames.length; i++) {
        names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
      }
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      X509Certificate cert = sign(b, ca.keys());
      Path certFile = write(dir.resolve(name + "-cert.pem"), cert);
      Path keyFile = dir.resolve(name + "-key.pem");
      Files.deleteIfExists(keyFile);
      Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
      Files.writeString(keyFile, pem("PRIVATE KEY", keys.getPrivate().getEncoded()),
          StandardCharsets.US_ASCII);
      return new ServerFiles(certFile, keyFile, ca.pem());
    } catch (Exception e) {
      throw new IllegalStateException("cannot make a test server certificate", e);
    }
  }

  private static KeyPair rsa() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048, RANDOM);
    return g.generateKeyPair();
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).add(BigInteger.ONE),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subject,
        keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer) throws Exception {
    ContentSigner s = new JcaContentSignerBuilder("SHA256withRSA").build(signer.getPrivate());
    return new JcaX509CertificateConverter().getCertificate(b.build(s));
  }

  private static Path write(Path file, X509Certificate cert) throws IOException {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
      pem.writeObject(cert);
    }
    return Files.writeString(file, w.toString(), StandardCharsets.US_ASCII);
  }

  private static String pem(String type, byte[] der) {
    String b64 = java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
  }
}
