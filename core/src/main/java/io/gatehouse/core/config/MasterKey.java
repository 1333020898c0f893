package io.gatehouse.core.config;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key of encrypted configuration values ({@code enc:v1:...}): 32 random bytes, given to Gatehouse
 * as base64 text in the environment variable {@value #ENV} or in a key file ({@code masterKeyFile} in
 * the configuration, or the variable {@value #FILE_ENV}).
 *
 * <p>Format of a value: {@code enc:v1:} then base64 of a 12-byte random nonce, the AES-256-GCM
 * ciphertext of the UTF-8 secret and the 16-byte tag. The constant {@link #AAD} is authenticated
 * with it, so a value made for another purpose with the same key does not decrypt. GCM was chosen
 * because it is authenticated: a wrong key or an edited value is detected, not decrypted into a
 * wrong password that would then be sent to a database. {@code v1} names this layout so that a
 * later format can be added without breaking existing files.
 */
public final class MasterKey {
  /** Environment variable holding the key as base64 of 32 bytes. */
  public static final String ENV = "GATEHOUSE_MASTER_KEY";
  /** Environment variable naming a file that holds the key as base64 of 32 bytes. */
  public static final String FILE_ENV = "GATEHOUSE_MASTER_KEY_FILE";
  /** Prefix of encrypted values. */
  public static final String PREFIX = "enc:v1:";

  private static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final byte[] AAD = "gatehouse secret enc:v1".getBytes(StandardCharsets.US_ASCII);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  private MasterKey(byte[] raw) {
    this.key = new SecretKeySpec(raw, "AES");
  }

  /** A new random key. */
  public static MasterKey generate() {
    byte[] raw = new byte[KEY_BYTES];
    RANDOM.nextBytes(raw);
    try {
      return new MasterKey(raw);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  /**
   * Reads a key written as base64 (surrounding white space ignored).
   *
   * @throws IllegalArgumentException with a message that never contains the text, when it is not
   *     base64 of exactly 32 bytes
   */
  public static MasterKey fromBase64(String text) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(text.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("is not base64 text; a master key is base64 of 32 random"
          + " bytes, as printed by 'gatehouse secret generate-key'");
    }
    try {
      if (raw.length != KEY_BYTES) {
        throw new IllegalArgumentException("decodes to " + raw.length + " bytes, not " + KEY_BYTES
            + "; a master key is base64 of 32 random bytes, as printed by"
            + " 'gatehouse secret generate-key'");
      }
      return new MasterKey(raw);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  /** The key as base64, for {@code gatehouse secret generate-key}. */
  public String toBase64() {
    return Base64.getEncoder().encodeToString(key.getEncoded());
  }

  /** Whether a configuration value is in the encrypted form (it may still be malformed). */
  public static boolean isEncrypted(String value) {
    return value != null && value.startsWith(PREFIX);
  }

  /** Encrypts a secret into an {@code enc:v1:...} value; the caller clears {@code secret}. */
  public String encrypt(char[] secret) {
    byte[] plain = utf8(secret);
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      RANDOM.nextBytes(nonce);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(AAD);
      byte[] sealed = c.doFinal(plain);
      byte[] out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
      return PREFIX + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM", e);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  /**
   * The bytes of an {@code enc:v1:} value (nonce, ciphertext and tag), without decrypting them.
   *
   * @throws IllegalArgumentException when the value is not well formed (the message never holds it)
   */
  static byte[] payload(String value) {
    if (!isEncrypted(value)) {
      throw new IllegalArgumentException("does not start with " + PREFIX);
    }
    byte[] payload;
    try {
      payload = Base64.getDecoder().decode(value.substring(PREFIX.length()).strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("is not a valid " + PREFIX + " value: the text after the"
          + " prefix is not base64; paste the whole line printed by 'gatehouse secret encrypt'");
    }
    if (payload.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new IllegalArgumentException("is not a valid " + PREFIX + " value: it is too short;"
          + " paste the whole line printed by 'gatehouse secret encrypt'");
    }
    return payload;
  }

  /**
   * Decrypts a payload from {@link #payload}. The caller clears the result.
   *
   * @throws AEADBadTagException when the value was encrypted with another key or was altered
   */
  char[] decrypt(byte[] payload) throws AEADBadTagException {
    byte[] plain = null;
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, payload, 0, NONCE_BYTES));
      c.updateAAD(AAD);
      plain = c.doFinal(payload, NONCE_BYTES, payload.length - NONCE_BYTES);
      return chars(plain);
    } catch (AEADBadTagException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM", e);
    } finally {
      if (plain != null) {
        Arrays.fill(plain, (byte) 0);
      }
    }
  }

  /** UTF-8 bytes of {@code chars} without an intermediate String. */
  private static byte[] utf8(char[] chars) {
    ByteBuffer b;
    try {
      b = StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(CharBuffer.wrap(chars));
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("the secret is not valid Unicode text");
    }
    byte[] out = Arrays.copyOf(b.array(), b.limit());
    Arrays.fill(b.array(), (byte) 0);
    return out;
  }

  private static char[] chars(byte[] utf8) {
    CharBuffer c = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(utf8));
    char[] out = Arrays.copyOf(c.array(), c.limit());
    Arrays.fill(c.array(), '\0');
    return out;
  }

  @Override
  public String toString() {
    return "MasterKey[****]";
  }
}
