package io.gatehouse.adapter.snowflake;

import io.gatehouse.core.config.Secret;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Reads the PKCS#8 private key of key-pair logins, decrypting it with its passphrase when it is
 * encrypted. Done here rather than by the driver so that the key and the passphrase never become
 * driver properties held as Strings: the driver receives a {@link PrivateKey} object, the
 * passphrase only ever exists as a {@code char[]} that is cleared after use, and a key that cannot
 * be read is reported at configuration time naming the field.
 *
 * <p>Decryption uses the JDK's PBES2 support (PBKDF2 with AES, as {@code openssl pkcs8 -topk8 -v2
 * aes256} writes), which is also what the driver itself uses unless told to load BouncyCastle.
 */
final class SnowflakeKeys {
  /** A PEM armour line: five dashes, BEGIN or END, the block's type, five dashes. */
  private static final java.util.regex.Pattern ARMOR =
      java.util.regex.Pattern.compile("-{5}(BEGIN|END) ([A-Z0-9 ]+)-{5}");

  private SnowflakeKeys() {}

  /**
   * Checks that the key can be read. Returns null when it can, else a problem prefixed with
   * {@code key:} or {@code passphrase:} naming the field at fault.
   */
  static String check(Secret key, Secret passphrase) {
    try {
      privateKey(key, passphrase);
      return null;
    } catch (KeyProblem e) {
      return e.getMessage();
    }
  }

  /** The private key, decrypted. Throws {@link KeyProblem} with a message naming what to fix. */
  static RSAPrivateCrtKey privateKey(Secret key, Secret passphrase) {
    char[] pem = key.reveal();
    byte[] der = null;
    try {
      String label = label(pem);
      if (label == null) {
        // The message names the PEM block types in words: a literal key header here would read
        // as a key to secret scanners.
        throw new KeyProblem("key: must be a PEM private key (a PKCS#8 'PRIVATE KEY' or 'ENCRYPTED"
            + " PRIVATE KEY' block), e.g. privateKey: ${file:/run/secrets/rsa_key.p8}");
      }
      if (label.equals("RSA PRIVATE KEY")) {
        throw new KeyProblem("key: is a PKCS#1 key (an 'RSA PRIVATE KEY' block); convert it to"
            + " PKCS#8 with 'openssl pkcs8 -topk8 -v2 aes256 -in key.pem -out rsa_key.p8'");
      }
      der = body(pem);
      PKCS8EncodedKeySpec spec;
      if (label.equals("ENCRYPTED PRIVATE KEY")) {
        if (passphrase == null) {
          throw new KeyProblem("passphrase: is required: privateKey is encrypted");
        }
        spec = decrypt(der, passphrase);
      } else if (label.equals("PRIVATE KEY")) {
        spec = new PKCS8EncodedKeySpec(der);
      } else {
        throw new KeyProblem("key: holds '" + label + "', not a private key");
      }
      try {
        PrivateKey k = KeyFactory.getInstance("RSA").generatePrivate(spec);
        if (k instanceof RSAPrivateCrtKey rsa) {
          return rsa;
        }
        throw new KeyProblem("key: must be an RSA private key (Snowflake key-pair login uses RSA)");
      } catch (GeneralSecurityException e) {
        throw new KeyProblem("key: is not an RSA private key in PKCS#8 form");
      }
    } finally {
      Arrays.fill(pem, '\0');
      if (der != null) {
        Arrays.fill(der, (byte) 0);
      }
    }
  }

  private static PKCS8EncodedKeySpec decrypt(byte[] der, Secret passphrase) {
    EncryptedPrivateKeyInfo info;
    try {
      info = new EncryptedPrivateKeyInfo(der);
    } catch (java.io.IOException e) {
      // e.g. PBES2 with a cipher the JDK does not know (openssl -v2 des3)
      throw new KeyProblem("key: the encrypted private key cannot be read by this Java; re-encrypt it"
          + " with 'openssl pkcs8 -topk8 -v2 aes256'");
    }
    char[] pass = passphrase.reveal();
    PBEKeySpec pbe = new PBEKeySpec(pass);
    try {
      String algorithm = algorithm(info);
      SecretKey secret = SecretKeyFactory.getInstance(algorithm).generateSecret(pbe);
      Cipher cipher = Cipher.getInstance(algorithm);
      cipher.init(Cipher.DECRYPT_MODE, secret, info.getAlgParameters());
      return info.getKeySpec(cipher);
    } catch (NoSuchAlgorithmException e) {
      throw new KeyProblem("key: is encrypted with an algorithm this Java cannot decrypt; re-encrypt it"
          + " with 'openssl pkcs8 -topk8 -v2 aes256'");
    } catch (GeneralSecurityException e) {
      throw new KeyProblem("passphrase: does not decrypt privateKey; check the passphrase");
    } finally {
      pbe.clearPassword();
      Arrays.fill(pass, '\0');
    }
  }

  /**
   * The JCE name of the key's encryption. For PBES2, Java 17 reports the scheme's OID or "PBES2" as
   * the algorithm name, and names the concrete algorithm (PBEWithHmacSHA256AndAES_256) only in the
   * parameters.
   */
  private static String algorithm(EncryptedPrivateKeyInfo info) throws NoSuchAlgorithmException {
    String name = info.getAlgName();
    try {
      SecretKeyFactory.getInstance(name);
      return name;
    } catch (NoSuchAlgorithmException e) {
      if (info.getAlgParameters() == null) {
        throw e;
      }
      return info.getAlgParameters().toString();
    }
  }

  /** The type of the first PEM block ({@code PRIVATE KEY}...), or null when there is none. */
  private static String label(char[] pem) {
    java.util.regex.Matcher m = ARMOR.matcher(java.nio.CharBuffer.wrap(pem));
    while (m.find()) {
      if (m.group(1).equals("BEGIN")) {
        return m.group(2).trim();
      }
    }
    return null;
  }

  /** The decoded body of the first PEM block (header lines such as {@code Proc-Type:} skipped). */
  private static byte[] body(char[] pem) {
    StringBuilder b64 = new StringBuilder();
    boolean inside = false;
    for (String line : new String(pem).split("\\r?\\n")) {
      String l = line.trim();
      java.util.regex.Matcher armor = ARMOR.matcher(l);
      if (armor.matches()) {
        if (armor.group(1).equals("END")) {
          break;
        }
        inside = true;
      } else if (inside && !l.isEmpty() && !l.contains(":")) {
        b64.append(l);
      }
    }
    try {
      return Base64.getDecoder().decode(b64.toString());
    } catch (IllegalArgumentException e) {
      throw new KeyProblem("key: the PEM body is not valid base64");
    } finally {
      b64.setLength(0);
    }
  }

  /** A key that cannot be used; the message names the field ({@code key:} or {@code passphrase:}). */
  static final class KeyProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    KeyProblem(String message) {
      super(message, null, false, false);
    }
  }
}
