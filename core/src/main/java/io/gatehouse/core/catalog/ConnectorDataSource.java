package io.gatehouse.core.catalog;

import io.gatehouse.core.spi.SourceConnector;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Presents a source's lazily created pool as a {@link DataSource}, which Calcite's JDBC schema
 * objects require. Gatehouse's own execution asks the connector directly.
 */
final class ConnectorDataSource implements DataSource {
  private final SourceConnector connector;

  ConnectorDataSource(SourceConnector connector) {
    this.connector = connector;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return connector.connection();
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("credentials come from the Gatehouse configuration");
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("not a wrapper for " + iface.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }

  @Override
  public String toString() {
    return "ConnectorDataSource[" + connector.id() + "]";
  }
}
