package io.gatehouse.adapter.bigquery.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Presents an object that implements a few methods of a JDBC interface as that interface: a call
 * is passed to the public method of the same name and parameter types, and anything else fails
 * with {@link SQLFeatureNotSupportedException} naming the method. The facade over BigQuery needs
 * perhaps a fifth of {@link java.sql.ResultSet}'s 190 methods; writing the other 150 as throwing
 * stubs would hide the subset that matters among them.
 */
public final class JdbcSubset {
  private static final Map<Class<?>, Map<Method, Method>> TARGETS = new ConcurrentHashMap<>();
  private static final Method NONE;

  static {
    try {
      NONE = Object.class.getMethod("hashCode");
    } catch (NoSuchMethodException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private JdbcSubset() {}

  /** {@code target} seen as {@code iface}. */
  public static <T> T of(Class<T> iface, Object target) {
    return iface.cast(Proxy.newProxyInstance(JdbcSubset.class.getClassLoader(),
        new Class<?>[] {iface}, (proxy, method, args) -> {
          switch (method.getName()) {
            case "unwrap":
              if (args.length == 1 && args[0] instanceof Class<?> c) {
                if (c.isInstance(target)) {
                  return target;
                }
                if (c.isInstance(proxy)) {
                  return proxy;
                }
                throw new SQLException("not a wrapper for " + c.getName());
              }
              break;
            case "isWrapperFor":
              if (args.length == 1 && args[0] instanceof Class<?> c) {
                return c.isInstance(target) || c.isInstance(proxy);
              }
              break;
            case "equals":
              if (args.length == 1) {
                return proxy == args[0];
              }
              break;
            case "hashCode":
              if (args == null || args.length == 0) {
                return System.identityHashCode(proxy);
              }
              break;
            default:
              break;
          }
          Method m = TARGETS.computeIfAbsent(target.getClass(), k -> new ConcurrentHashMap<>())
              .computeIfAbsent(method, k -> find(target.getClass(), k));
          if (m == NONE) {
            if (method.getDeclaringClass() == Object.class) {
              return method.invoke(target, args);
            }
            throw new SQLFeatureNotSupportedException("the BigQuery facade does not implement "
                + iface.getSimpleName() + "." + method.getName());
          }
          try {
            return m.invoke(target, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        }));
  }

  private static Method find(Class<?> type, Method method) {
    try {
      Method m = type.getMethod(method.getName(), method.getParameterTypes());
      if (!method.getReturnType().isAssignableFrom(m.getReturnType())
          && !(method.getReturnType().isPrimitive() && m.getReturnType() == method.getReturnType())) {
        return NONE;
      }
      m.setAccessible(true);
      return m;
    } catch (NoSuchMethodException e) {
      return NONE;
    }
  }
}
