package io.gatehouse.adapter.snowflake;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Gives snowflake-jdbc the java.time support JDBC 4.2 asks for and the driver lacks (3.x and 4.x):
 * {@code getObject(i, LocalDate.class)} and its kin fail with "unsupported type", and
 * {@code setObject} refuses java.time values. The engine reads and binds dates and times only that
 * way, because {@code java.sql.Timestamp} conversions depend on the JVM's time zone.
 *
 * <p>Values are read as text in formats the session fixes at login (see {@link #SESSION_FORMATS}),
 * so they are exact to the nanosecond and independent of the JVM's and the session's time zone;
 * bound values are sent as ISO text, which Snowflake converts to the compared column's type.
 * Everything else goes to the driver unchanged.
 */
final class SnowflakeJdbc {
  private SnowflakeJdbc() {}

  /** Session parameters that fix how the driver prints temporal values for {@code getString}. */
  static final Map<String, String> SESSION_FORMATS = Map.of(
      "DATE_OUTPUT_FORMAT", "YYYY-MM-DD",
      "TIME_OUTPUT_FORMAT", "HH24:MI:SS.FF9",
      "TIMESTAMP_NTZ_OUTPUT_FORMAT", "YYYY-MM-DD HH24:MI:SS.FF9",
      "TIMESTAMP_LTZ_OUTPUT_FORMAT", "YYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM",
      "TIMESTAMP_TZ_OUTPUT_FORMAT", "YYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM");

  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSSSSS");
  // The driver prints TZH:TZM as "Z" for UTC and "+02:00" otherwise; XXX reads both. Bound values
  // always carry a numeric offset (xxx).
  private static final DateTimeFormatter OFFSET_READ = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSSSSS XXX");
  private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSSSSS xxx");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSSSSS");

  /** The connection, with java.time support on its statements and result sets. */
  static Connection wrap(Connection c) {
    return proxy(Connection.class, c, (method, args, result) -> {
      if (result instanceof CallableStatement cs) {
        return statement(CallableStatement.class, cs);
      }
      if (result instanceof PreparedStatement ps) {
        return statement(PreparedStatement.class, ps);
      }
      if (result instanceof Statement s) {
        return statement(Statement.class, s);
      }
      return result;
    });
  }

  private static <T extends Statement> T statement(Class<T> type, T s) {
    return proxy(type, s, (method, args, result) ->
        result instanceof ResultSet rs ? resultSet(rs) : result);
  }

  private static ResultSet resultSet(ResultSet rs) {
    return proxy(ResultSet.class, rs, null);
  }

  /** What to do with a delegated call's result. */
  private interface After {
    Object apply(Method method, Object[] args, Object result) throws SQLException;
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> type, T target, After after) {
    InvocationHandler h = (proxy, method, args) -> {
      String name = method.getName();
      if (target instanceof ResultSet rs && name.equals("getObject") && args != null
          && args.length == 2 && args[1] instanceof Class<?> cls && isTemporal(cls)) {
        return readTemporal(rs, args[0], cls);
      }
      if (target instanceof PreparedStatement ps && name.equals("setObject") && args != null
          && args.length == 2 && args[0] instanceof Integer i && isTemporalValue(args[1])) {
        ps.setString(i, text(args[1]));
        return null;
      }
      if (name.equals("unwrap") && args[0] instanceof Class<?> cls && cls.isInstance(proxy)) {
        return proxy;
      }
      Object result;
      try {
        result = method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
      return after == null ? result : after.apply(method, args, result);
    };
    return (T) Proxy.newProxyInstance(SnowflakeJdbc.class.getClassLoader(), new Class<?>[] {type}, h);
  }

  private static boolean isTemporal(Class<?> c) {
    return c == LocalDate.class || c == LocalTime.class || c == LocalDateTime.class
        || c == OffsetDateTime.class || c == Instant.class;
  }

  private static boolean isTemporalValue(Object v) {
    return v instanceof LocalDate || v instanceof LocalTime || v instanceof LocalDateTime
        || v instanceof OffsetDateTime || v instanceof Instant || v instanceof ZonedDateTime;
  }

  private static Object readTemporal(ResultSet rs, Object column, Class<?> cls) throws SQLException {
    String s = column instanceof Integer i ? rs.getString(i) : rs.getString((String) column);
    if (s == null) {
      return null;
    }
    try {
      if (cls == LocalDate.class) {
        return LocalDate.parse(s);
      }
      if (cls == LocalTime.class) {
        return LocalTime.parse(s, TIME);
      }
      if (cls == LocalDateTime.class) {
        return LocalDateTime.parse(s, LOCAL);
      }
      OffsetDateTime o = OffsetDateTime.parse(s, OFFSET_READ);
      return cls == Instant.class ? o.toInstant() : o;
    } catch (DateTimeParseException e) {
      // Not the session's fixed format: the column is not of the type asked for.
      throw new SQLException("value of column " + column + " cannot be read as "
          + cls.getSimpleName(), "22007", e);
    }
  }

  /** ISO text that Snowflake's AUTO input formats read as the value's own type. */
  private static String text(Object v) {
    if (v instanceof LocalDateTime t) {
      return LOCAL.format(t);
    }
    if (v instanceof LocalTime t) {
      return TIME.format(t);
    }
    if (v instanceof Instant i) {
      return OFFSET.format(i.atOffset(ZoneOffset.UTC));
    }
    if (v instanceof OffsetDateTime o) {
      return OFFSET.format(o);
    }
    if (v instanceof ZonedDateTime z) {
      return OFFSET.format(z.toOffsetDateTime());
    }
    return v.toString(); // LocalDate: yyyy-mm-dd
  }
}
