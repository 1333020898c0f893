package io.gatehouse.core.jdbc;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.Session;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.util.Properties;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.ConnectStringParser;
import org.apache.calcite.avatica.DriverVersion;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.UnregisteredDriver;

/**
 * The in-process JDBC driver: {@code jdbc:gatehouse:config=/path/gatehouse.yaml[;schema=pg.public]}.
 * Registered through {@code META-INF/services/java.sql.Driver}. Queries run in the calling JVM with the
 * same guard, planner and limits as every other way in.
 *
 * <p>URL properties (also accepted as connection {@link Properties}): {@code config} (required, the
 * YAML file) and {@code schema} (default schema path, {@code source} or {@code source.schema}).
 * Engines are shared by all connections to the same file.
 */
public final class GatehouseDriver extends UnregisteredDriver {
  public static final String PREFIX = "jdbc:gatehouse:";
  static final String VERSION = "0.1.0";

  /** Hands the session resolved in {@link #connect} to {@link #createMeta}, called by Avatica. */
  private static final ThreadLocal<PendingSession> PENDING = new ThreadLocal<>();

  static {
    new GatehouseDriver().register();
  }

  private record PendingSession(Session session, Runnable onClose) {}

  @Override
  protected DriverVersion createDriverVersion() {
    return new DriverVersion("Gatehouse JDBC Driver", VERSION, "Gatehouse", VERSION, true, 0, 1, 0, 1);
  }

  @Override
  protected String getFactoryClassName(JdbcVersion jdbcVersion) {
    return GatehouseJdbcFactory.class.getName();
  }

  @Override
  protected String getConnectStringPrefix() {
    return PREFIX;
  }

  /** Not {@code jdbc:gatehouse:remote:}, which is {@link RemoteDriver}'s. */
  @Override
  public boolean acceptsURL(String url) {
    return url != null && url.startsWith(PREFIX) && !url.startsWith(RemoteDriver.PREFIX);
  }

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return null;
    }
    Properties props = ConnectStringParser.parse(url.substring(PREFIX.length()), info);
    String config = props.getProperty("config");
    if (config == null || config.isBlank()) {
      throw sqlException(new GatehouseException(ErrorCode.CONFIG_INVALID,
          "the URL needs config=PATH, the YAML configuration file: jdbc:gatehouse:config=/etc/gatehouse.yaml"));
    }
    EngineRegistry.Lease lease;
    try {
      lease = EngineRegistry.acquire(Path.of(config));
    } catch (GatehouseException e) {
      throw sqlException(e);
    } catch (RuntimeException e) {
      throw sqlException(new GatehouseException(ErrorCode.CONFIG_INVALID,
          "configuration " + config + " cannot be used: " + e.getClass().getSimpleName()));
    }
    // The in-process driver trusts its caller (it has the configuration file): the JDBC user is
    // recorded in the audit log but grants nothing; every source is visible.
    String user = props.getProperty("user");
    Gatehouse engine = lease.engine();
    Session session = user == null || user.isBlank() ? engine.session()
        : engine.session(user, engine.sourceIds());
    return open(session, props, lease::release, url);
  }

  /**
   * A JDBC connection to an engine opened in code (for programs that build their configuration as an
   * object). The engine stays open when the connection closes.
   *
   * @param properties may hold {@code schema}
   */
  public static Connection connect(Gatehouse engine, Properties properties) throws SQLException {
    return new GatehouseDriver().open(engine.session(), properties, () -> { }, PREFIX);
  }

  /** As {@link #connect(Gatehouse, Properties)}, for a session limited to some sources. */
  public static Connection connect(Session session, Properties properties) throws SQLException {
    return new GatehouseDriver().open(session, properties, () -> { }, PREFIX);
  }

  private Connection open(Session session, Properties props, Runnable onClose, String url)
      throws SQLException {
    String schema = props == null ? null : props.getProperty("schema");
    if (schema != null && !schema.isBlank()) {
      try {
        session.setDefaultSchema(schema);
      } catch (GatehouseException e) {
        onClose.run();
        throw sqlException(e);
      }
    }
    PENDING.set(new PendingSession(session, onClose));
    try {
      Properties p = new Properties();
      if (props != null) {
        p.putAll(props);
      }
      return super.connect(url.startsWith(PREFIX) ? url : PREFIX, p);
    } catch (RuntimeException e) {
      onClose.run();
      throw sqlException(new GatehouseException(ErrorCode.INTERNAL,
          "the connection could not be opened: " + e.getClass().getSimpleName()));
    } finally {
      PENDING.remove();
    }
  }

  @Override
  public Meta createMeta(AvaticaConnection connection) {
    PendingSession p = PENDING.get();
    if (p == null) {
      throw new IllegalStateException("Gatehouse connections are opened through GatehouseDriver.connect");
    }
    return new GatehouseMeta(connection, p.session(), p.onClose());
  }

  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
    DriverPropertyInfo config = new DriverPropertyInfo("config", info == null ? null : info.getProperty("config"));
    config.required = true;
    config.description = "Path of the Gatehouse YAML configuration file";
    DriverPropertyInfo schema = new DriverPropertyInfo("schema", info == null ? null : info.getProperty("schema"));
    schema.description = "Default schema path: source or source.schema";
    return new DriverPropertyInfo[] {config, schema};
  }

  static SQLException sqlException(GatehouseException e) {
    return new SQLException(e.getMessage(), e.sqlState(), e.code().vendorCode());
  }

}
