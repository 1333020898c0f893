package io.gatehouse.core.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints the duration ({@code 30s}) and size ({@code 512MB}) notation of the config. */
public final class Durations {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb|mb|gb|tb|k|m|g|t)?");

  private Durations() {}

  /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d} or ISO-8601; null when invalid. */
  public static Duration parse(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = DURATION.matcher(s);
    if (m.matches()) {
      long n;
      try {
        n = Long.parseLong(m.group(1));
      } catch (NumberFormatException e) {
        return null;
      }
      try {
        switch (m.group(2)) {
          case "ms": return Duration.ofMillis(n);
          case "s": return Duration.ofSeconds(n);
          case "m": return Duration.ofMinutes(n);
          case "h": return Duration.ofHours(n);
          default: return Duration.ofDays(n);
        }
      } catch (ArithmeticException e) {
        return null; // beyond what a Duration holds
      }
    }
    if (s.startsWith("pt") || s.startsWith("p")) {
      return ConfigObject.parseIso(text.trim().toUpperCase(Locale.ROOT));
    }
    return null;
  }

  /** A size such as {@code 64KB}, {@code 512MB}, {@code 2GB}; plain numbers are bytes; null when invalid. */
  public static Long parseBytes(String text) {
    Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      return null;
    }
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      return null;
    }
    String unit = m.group(2) == null ? "b" : m.group(2);
    int shift;
    switch (unit.charAt(0)) {
      case 'k': shift = 10; break;
      case 'm': shift = 20; break;
      case 'g': shift = 30; break;
      case 't': shift = 40; break;
      default: shift = 0;
    }
    if (shift > 0 && n > (Long.MAX_VALUE >> shift)) {
      return null;
    }
    return n << shift;
  }

  /** Prints a size the way the config writes it ({@code 1MB}, {@code 1500}). */
  public static String formatBytes(long b) {
    String[] units = {"TB", "GB", "MB", "KB"};
    for (int i = 0; i < units.length; i++) {
      int shift = 40 - 10 * i;
      if (b > 0 && b % (1L << shift) == 0) {
        return (b >> shift) + units[i];
      }
    }
    return b + " bytes";
  }

  /** Prints a duration the way the config writes it ({@code 30s}, {@code 1500ms}). */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 86_400_000L == 0 && ms > 0) {
      return (ms / 86_400_000L) + "d";
    }
    if (ms % 3_600_000L == 0 && ms > 0) {
      return (ms / 3_600_000L) + "h";
    }
    if (ms % 60_000L == 0 && ms > 0) {
      return (ms / 60_000L) + "m";
    }
    if (ms % 1000 == 0) {
      return (ms / 1000) + "s";
    }
    return ms + "ms";
  }
}
