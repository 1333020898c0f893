package io.gatehouse.server.cli;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.Base64;

/** Text forms of result values shared by the output formats. */
final class Values {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Values() {}

  /**
   * The ISO-8601 text of a date or time, always with seconds ({@code LocalDateTime.toString()} drops
   * them when zero), or null when {@code v} is not one.
   */
  static String iso(Object v) {
    if (v instanceof LocalDate d) {
      return DateTimeFormatter.ISO_LOCAL_DATE.format(d);
    }
    if (v instanceof LocalDateTime t) {
      return DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t);
    }
    if (v instanceof LocalTime t) {
      return DateTimeFormatter.ISO_LOCAL_TIME.format(t);
    }
    if (v instanceof OffsetDateTime t) {
      return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t);
    }
    if (v instanceof OffsetTime t) {
      return DateTimeFormatter.ISO_OFFSET_TIME.format(t);
    }
    if (v instanceof java.time.Instant i) {
      return DateTimeFormatter.ISO_INSTANT.format(i);
    }
    if (v instanceof TemporalAccessor) {
      return v.toString();
    }
    return null;
  }

  /**
   * A value as text for csv and table: numbers without exponent for decimals, dates in ISO-8601,
   * binary as base64 (csv) or hex (table). Null stays null; the format decides how to show it.
   */
  static String text(Object v, boolean binaryAsHex) {
    if (v == null) {
      return null;
    }
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (v instanceof byte[] b) {
      return binaryAsHex ? hex(b) : Base64.getEncoder().encodeToString(b);
    }
    String iso = iso(v);
    return iso != null ? iso : String.valueOf(v);
  }

  /** {@code \x0a1b} like psql. */
  static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder(2 + 2 * b.length).append("\\x");
    for (byte x : b) {
      sb.append(HEX[(x >> 4) & 0xf]).append(HEX[x & 0xf]);
    }
    return sb.toString();
  }
}
