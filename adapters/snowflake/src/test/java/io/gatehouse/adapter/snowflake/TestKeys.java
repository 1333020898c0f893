package io.gatehouse.adapter.snowflake;

import java.io.IOException;
import java.io.StringWriter;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;

/** RSA key pairs for key-pair login tests, written as PEM the way openssl pkcs8 -topk8 does. */
final class TestKeys {
  private TestKeys() {}

  static KeyPair rsa() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}). */
  static String pem(KeyPair k) {
    try {
      return write(new JcaPKCS8Generator(k.getPrivate(), null));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Encrypted PKCS#8 ({@code BEGIN ENCRYPTED PRIVATE KEY}): PBES2 with PBKDF2-HMAC-SHA256 and
   * AES-256-CBC, as {@code openssl pkcs8 -topk8 -v2 aes256} writes it.
   */
  static String encryptedPem(KeyPair k, String passphrase) {
    try {
      JceOpenSSLPKCS8EncryptorBuilder b = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC);
      b.setPRF(PKCS8Generator.PRF_HMACSHA256);
      b.setRandom(new SecureRandom());
      // an explicit provider: the test must not depend on the one the driver registers on load
      b.setProvider(new BouncyCastleProvider());
      b.setPassword(passphrase.toCharArray());
      return write(new JcaPKCS8Generator(k.getPrivate(), b.build()));
    } catch (OperatorCreationException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String write(JcaPKCS8Generator gen) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(gen);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }
}
