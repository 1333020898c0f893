package io.gatehouse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.adapter.postgresql.testing.PostgresFixture;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.config.GatehouseConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerSmokeTest {
  @Test
  void smoke() throws Exception {
    PostgresFixture pg = PostgresFixture.get();
    GatehouseConfig config = ConfigLoader.withDiscoveredAdapters().fromMap(Map.of(
        "engine", Map.of("maxRows", 50),
        "sources", List.of(Map.of("id", "shop", "type", "postgresql", "host", pg.host(),
            "port", pg.port(), "database", pg.database(), "user", pg.readerUser(),
            "password", pg.readerPassword(), "tls", "disable", "schemas", List.of("public", "sales")))));
    try (Gatehouse gh = Gatehouse.open(config);
        GatehouseServer server = new GatehouseServer(gh, config.server(), null, null, 0, false)) {
      server.start();
      var http = java.net.http.HttpClient.newHttpClient();
      for (String ser : List.of("protobuf", "json")) {
        String url = "jdbc:avatica:remote:url=" + server.url() + ";serialization=" + ser;
        try (Connection c = DriverManager.getConnection(url)) {
          try (ResultSet rs = c.createStatement().executeQuery(
              "select id, name, credit_limit, birth_date, created_at from shop.public.customers order by id")) {
            int n = 0;
            while (rs.next()) {
              n++;
              if (n == 1) {
                System.out.println(ser + " " + rs.getInt(1) + " " + rs.getString(2) + " " + rs.getBigDecimal(3) + " " + rs.getDate(4) + " " + rs.getTimestamp(5));
              }
            }
            assertEquals(50, n);
          }
          try (PreparedStatement ps = c.prepareStatement("select count(*) from shop.public.orders where customer_id = ?")) {
            ps.setInt(1, 3);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              System.out.println(ser + " count " + rs.getLong(1));
            }
          }
          SQLException e = assertThrows(SQLException.class,
              () -> c.createStatement().executeQuery("delete from shop.public.orders"));
          System.out.println(ser + " " + e.getSQLState() + " " + e.getErrorCode() + " " + e.getMessage());
          assertEquals("25006", e.getSQLState());
          assertFalse(e.getMessage().contains("at io.gatehouse"), e.getMessage());
          SQLException v = assertThrows(SQLException.class,
              () -> c.createStatement().executeQuery("select nope from shop.public.orders"));
          System.out.println(ser + " " + v.getSQLState() + " " + v.getMessage());
          try (ResultSet rs = c.getMetaData().getTables(null, null, "%", null)) {
            int t = 0;
            while (rs.next()) {
              t++;
            }
            assertTrue(t > 3);
          }
          try (ResultSet rs = c.createStatement().executeQuery("select * from shop.public.events")) {
            int n = 0;
            while (rs.next()) {
              n++;
            }
            assertEquals(50, n);
          }
        }
      }
      for (String path : List.of("/health", "/health/ready", "/metrics")) {
        var resp = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + path)).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
        System.out.println(path + " " + resp.statusCode() + "\n" + resp.body().lines().filter(l -> !l.startsWith("#")).limit(40).collect(java.util.stream.Collectors.joining("\n")));
      }
    }
  }
}
