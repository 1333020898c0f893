package io.gatehouse.core.config;

import java.util.Arrays;

/**
 * A credential from the configuration. It never prints itself: {@link #toString()} is {@code ****},
 * so a secret cannot reach a log line, an exception message or a metric by accident. The value is
 * read with {@link #reveal()} only where a driver needs it, and callers clear the copy afterwards.
 */
public final class Secret {
  private static final String MASK = "****";
  private final char[] value;

  private Secret(char[] value) {
    this.value = value;
  }

  public static Secret of(String value) {
    return new Secret(value.toCharArray());
  }

  public static Secret of(char[] value) {
    return new Secret(value.clone());
  }

  /** A copy of the secret; the caller should {@link Arrays#fill(char[], char) clear} it after use. */
  public char[] reveal() {
    return value.clone();
  }

  /** The secret as a String, for driver APIs that accept nothing else. */
  public String revealAsString() {
    return new String(value);
  }

  public boolean isEmpty() {
    return value.length == 0;
  }

  @Override
  public String toString() {
    return MASK;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s && Arrays.equals(value, s.value);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(value);
  }
}
