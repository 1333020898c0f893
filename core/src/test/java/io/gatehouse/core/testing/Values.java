package io.gatehouse.core.testing;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.HexFormat;

/**
 * Puts values read through Gatehouse and values read directly from a source into one comparable
 * form: integers of every width as Long, decimals without trailing zeros, java.sql dates and times as
 * java.time values, binary as hex. Only representation is normalised, never the value itself.
 */
public final class Values {
  private Values() {}

  public static Object normalize(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger b) {
      return b.bitLength() < 64 ? (Object) b.longValue() : new BigDecimal(b);
    }
    if (v instanceof BigDecimal b) {
      BigDecimal s = b.stripTrailingZeros();
      s = s.scale() < 0 ? s.setScale(0) : s;
      // an integral value compares equal whatever type carried it (BIGINT UNSIGNED is DECIMAL(20))
      if (s.scale() == 0 && s.unscaledValue().bitLength() < 64) {
        return s.longValueExact();
      }
      return s;
    }
    if (v instanceof Float f) {
      return f.doubleValue();
    }
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate();
    }
    if (v instanceof java.sql.Timestamp t) {
      return t.toLocalDateTime();
    }
    if (v instanceof java.sql.Time t) {
      return t.toLocalTime();
    }
    if (v instanceof OffsetDateTime o) {
      return o.toInstant();
    }
    if (v instanceof byte[] b) {
      return HexFormat.of().formatHex(b);
    }
    return v;
  }

  /** Reads a column directly from a source the way a careful JDBC program would. */
  public static Object read(ResultSet rs, int i) throws SQLException {
    return rs.getObject(i);
  }
}
