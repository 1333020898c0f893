package io.gatehouse.adapter.postgresql;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.QueryOptions;
import io.gatehouse.core.QueryResult;
import io.gatehouse.core.config.ConfigLoader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * Run in a separate JVM with a small heap by {@link PostgresStreamingTest}: reads a large result and
 * prints the row count. Mode {@code engine} reads through Gatehouse; mode {@code buffered} reads
 * directly with the driver's default (no cursor), the control that must run out of memory.
 */
public final class StreamingProbe {
  static final String QUERY_TAIL = "e.id, e.kind, e.created_at, e.amount, e.kind || '"
      + "x".repeat(300) + "' as padding from public.events e";

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    String host = args[1];
    int port = Integer.parseInt(args[2]);
    String db = args[3];
    String user = args[4];
    String password = args[5];
    long rows = 0;
    if (mode.equals("engine")) {
      try (Gatehouse gh = Gatehouse.open(ConfigLoader.withDiscoveredAdapters().fromMap(Map.of(
          "engine", Map.of("maxRows", 1_000_000, "fetchSize", 500),
          "sources", List.of(Map.of("id", "shop", "type", "postgresql", "host", host, "port", port,
              "database", db, "user", user, "password", password, "tls", "disable")))));
          QueryResult r = gh.query("select " + QUERY_TAIL.replace("public.events", "shop.public.events"),
              List.of(), QueryOptions.defaults())) {
        while (r.next()) {
          rows++;
        }
      }
    } else {
      try (Connection c = DriverManager.getConnection(
              "jdbc:postgresql://" + host + ":" + port + "/" + db, user, password);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select " + QUERY_TAIL)) {
        while (rs.next()) {
          rows++;
        }
      }
    }
    System.out.println("ROWS " + rows);
  }
}
