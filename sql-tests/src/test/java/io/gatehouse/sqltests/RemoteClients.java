package io.gatehouse.sqltests;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Connections to a Gatehouse JDBC server through the stock Avatica remote driver, as BI tools make them. */
public final class RemoteClients {
  private RemoteClients() {}

  public static Connection connect(String serverUrl, String user, String password) throws SQLException {
    Properties p = new Properties();
    p.setProperty("url", serverUrl);
    p.setProperty("serialization", "protobuf");
    p.setProperty("authentication", "BASIC");
    p.setProperty("avatica_user", user);
    p.setProperty("avatica_password", password);
    return DriverManager.getConnection("jdbc:avatica:remote:", p);
  }
}
