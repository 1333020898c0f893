package io.gatehouse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.adapter.postgresql.testing.PostgresFixture;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.config.GatehouseConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Stopping the server lets a running query finish, then refuses new connections. */
class GracefulShutdownTest {
  @Test
  void aRunningQueryFinishesDuringTheGracePeriod() throws Exception {
    PostgresFixture pg = PostgresFixture.get();
    GatehouseConfig config = ConfigLoader.withDiscoveredAdapters().fromMap(Map.of(
        "engine", Map.of("queryTimeout", "60s"),
        "sources", List.of(Map.of("id", "shop", "type", "postgresql", "host", pg.host(),
            "port", pg.port(), "database", pg.database(), "user", pg.readerUser(),
            "password", pg.readerPassword(), "tls", "disable")),
        "server", Map.of("shutdownGrace", "30s")));
    try (Gatehouse engine = Gatehouse.open(config)) {
      GatehouseServer server = new GatehouseServer(engine, config.server(), null, null, 0, false);
      server.start();
      String url = "jdbc:avatica:remote:url=" + server.url() + ";serialization=protobuf";
      Connection c = DriverManager.getConnection(url);
      // about a second of work at PostgreSQL
      CompletableFuture<Long> running = CompletableFuture.supplyAsync(() -> {
        try (ResultSet rs = c.createStatement().executeQuery("select count(*) from shop.public.events a,"
            + " shop.public.events b where a.id < 100 and b.id + a.id > 0")) {
          rs.next();
          return rs.getLong(1);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Thread.sleep(300);
      long stopStarted = System.nanoTime();
      server.close();
      assertEquals(99L * 200_000L, running.get(60, TimeUnit.SECONDS),
          "the query that was running when the stop began completed");
      assertTrue(System.nanoTime() - stopStarted < TimeUnit.SECONDS.toNanos(30));
      assertThrows(Exception.class, () -> DriverManager.getConnection(url));
    }
  }
}
