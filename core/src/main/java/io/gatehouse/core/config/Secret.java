package io.gatehouse.core.config;

import java.util.Arrays;
import javax.crypto.AEADBadTagException;

/**
 * A credential from the configuration. It never prints itself: {@link #toString()} is {@code ****},
 * so a secret cannot reach a log line, an exception message or a metric by accident. The value is
 * read with {@link #reveal()} only where a driver needs it, and callers clear the copy afterwards.
 *
 * <p>An encrypted value ({@code enc:v1:...}) stays encrypted in memory: it is decrypted by each
 * {@link #reveal()}, which the adapters call when they create a connection pool, and the plain text
 * lives only in the array handed to the caller. (Loading the configuration decrypts it once into a
 * buffer that is cleared at once, so that a wrong key is reported there, naming the field.)
 */
public final class Secret {
  private static final String MASK = "****";
  private final char[] value; // null when sealed
  private final byte[] sealed; // enc:v1 payload, null when plain
  private final MasterKey key;

  private Secret(char[] value, byte[] sealed, MasterKey key) {
    this.value = value;
    this.sealed = sealed;
    this.key = key;
  }

  public static Secret of(String value) {
    return new Secret(value.toCharArray(), null, null);
  }

  public static Secret of(char[] value) {
    return new Secret(value.clone(), null, null);
  }

  /**
   * An encrypted secret, checked now (the key must open it) and decrypted again at each reveal.
   *
   * @param payload the bytes of an {@code enc:v1:} value
   * @throws AEADBadTagException when the key does not open the value
   */
  static Secret sealed(byte[] payload, MasterKey key) throws AEADBadTagException {
    Arrays.fill(key.decrypt(payload), '\0');
    return new Secret(null, payload.clone(), key);
  }

  /** Whether the value is held encrypted (it came from an {@code enc:v1:} value). */
  public boolean isEncrypted() {
    return sealed != null;
  }

  /** A copy of the secret; the caller should {@link Arrays#fill(char[], char) clear} it after use. */
  public char[] reveal() {
    if (sealed == null) {
      return value.clone();
    }
    try {
      return key.decrypt(sealed);
    } catch (AEADBadTagException e) {
      // Checked when the configuration was loaded, with the same key and bytes.
      throw new IllegalStateException("an encrypted secret no longer decrypts");
    }
  }

  /**
   * The secret as a String, for driver APIs that accept nothing else. A String cannot be cleared:
   * prefer {@link #reveal()} wherever the consumer takes a {@code char[]}.
   */
  public String revealAsString() {
    char[] c = reveal();
    try {
      return new String(c);
    } finally {
      Arrays.fill(c, '\0');
    }
  }

  /** {@code text} with every occurrence of the secret replaced by {@code ****}. */
  public String maskIn(String text) {
    if (text == null) {
      return null;
    }
    char[] s = reveal();
    try {
      if (s.length == 0) {
        return text;
      }
      StringBuilder b = null;
      int copied = 0;
      for (int i = 0; i + s.length <= text.length(); ) {
        if (matchesAt(text, i, s)) {
          if (b == null) {
            b = new StringBuilder(text.length());
          }
          b.append(text, copied, i).append(MASK);
          i += s.length;
          copied = i;
        } else {
          i++;
        }
      }
      return b == null ? text : b.append(text, copied, text.length()).toString();
    } finally {
      Arrays.fill(s, '\0');
    }
  }

  private static boolean matchesAt(String text, int at, char[] s) {
    for (int j = 0; j < s.length; j++) {
      if (text.charAt(at + j) != s[j]) {
        return false;
      }
    }
    return true;
  }

  public boolean isEmpty() {
    if (sealed == null) {
      return value.length == 0;
    }
    char[] c = reveal();
    Arrays.fill(c, '\0');
    return c.length == 0;
  }

  @Override
  public String toString() {
    return MASK;
  }

  /** Equal when the secrets are equal, whichever form they are held in. */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Secret s)) {
      return false;
    }
    char[] a = reveal();
    char[] b = s.reveal();
    try {
      return Arrays.equals(a, b);
    } finally {
      Arrays.fill(a, '\0');
      Arrays.fill(b, '\0');
    }
  }

  @Override
  public int hashCode() {
    char[] a = reveal();
    try {
      return Arrays.hashCode(a);
    } finally {
      Arrays.fill(a, '\0');
    }
  }
}
