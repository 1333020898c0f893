package io.gatehouse.adapter.postgresql;

import io.gatehouse.core.config.Secret;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.postgresql.plugin.AuthenticationPlugin;
import org.postgresql.plugin.AuthenticationRequestType;

/**
 * Hands the source's password to the PostgreSQL driver as a {@code char[]} at each login, so that it
 * never becomes a String (which cannot be cleared) in the pool's or the driver's properties. The
 * driver wipes the array after use.
 *
 * <p>The driver creates the plugin itself, by class name ({@code authenticationPluginClassName}),
 * passing the connection properties; those carry only a random handle ({@value #HANDLE_PROPERTY})
 * under which the connector registered its {@link Secret}. The handle is not a credential: it is
 * useless outside this JVM.
 */
public final class PostgresPasswordPlugin implements AuthenticationPlugin {
  static final String HANDLE_PROPERTY = "gatehousePasswordHandle";
  private static final ConcurrentMap<String, Secret> SECRETS = new ConcurrentHashMap<>();

  private final Secret secret;

  /** Called by the driver with the connection's properties. */
  public PostgresPasswordPlugin(Properties info) {
    String handle = info == null ? null : info.getProperty(HANDLE_PROPERTY);
    this.secret = handle == null ? null : SECRETS.get(handle);
  }

  @Override
  public char[] getPassword(AuthenticationRequestType type) {
    return secret == null ? null : secret.reveal();
  }

  /** Registers a password and returns its handle for the connection properties. */
  static String register(Secret password) {
    String handle = UUID.randomUUID().toString();
    SECRETS.put(handle, password);
    return handle;
  }

  /** Forgets a password when its pool is closed. */
  static void unregister(String handle) {
    if (handle != null) {
      SECRETS.remove(handle);
    }
  }
}
