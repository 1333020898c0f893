package io.gatehouse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gatehouse.adapter.postgresql.testing.PostgresFixture;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.config.GatehouseConfig;
import io.gatehouse.core.exec.SourceStatement;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * With engine.resultCache set, queries through the server are answered from the cache, and the
 * existing {@code POST /metadata/refresh} also drops the refreshed source's cached results.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerResultCacheTest {
  private static final String PASSWORD = "carol-cache-pass-31";
  private static final String SQL = "select label from shop.public.server_cache_probe where id = 1";
  private final PostgresFixture pg = PostgresFixture.get();
  private final List<SourceStatement> sent = new CopyOnWriteArrayList<>();
  private Gatehouse engine;
  private GatehouseServer server;

  @BeforeAll
  void start() throws Exception {
    admin("drop table if exists public.server_cache_probe");
    admin("create table public.server_cache_probe (id int primary key, label text)");
    admin("insert into public.server_cache_probe values (1, 'before')");
    admin("grant select on public.server_cache_probe to " + pg.readerUser());
    GatehouseConfig config = ConfigLoader.withDiscoveredAdapters().fromMap(Map.of(
        "engine", Map.of("resultCache", Map.of("maxBytes", "1MB", "ttl", "1h")),
        "sources", List.of(Map.of("id", "shop", "type", "postgresql", "host", pg.host(),
            "port", pg.port(), "database", pg.database(), "user", pg.readerUser(),
            "password", pg.readerPassword(), "tls", "disable", "schemas", List.of("public"))),
        "server", Map.of("users", List.of(Map.of("name", "carol",
            "passwordHash", TestCredentials.hashOf(PASSWORD), "sources", List.of("shop"))))));
    engine = Gatehouse.open(config);
    engine.addStatementListener(sent::add);
    server = new GatehouseServer(engine, config.server(), TestCredentials.forUsers(config.server()),
        null, 0, false);
    server.start();
  }

  @AfterAll
  void stop() throws Exception {
    server.close();
    engine.close();
    admin("drop table if exists public.server_cache_probe");
  }

  private void admin(String sql) throws Exception {
    try (Connection c = pg.adminConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private String label() throws Exception {
    try (Connection c = TestCredentials.connect(server.url(), "carol", PASSWORD, "protobuf");
        Statement s = c.createStatement(); ResultSet rs = s.executeQuery(SQL)) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void aRefreshThroughTheServerDropsTheSourcesCachedResults() throws Exception {
    assertEquals("before", label());
    int afterFirst = sent.size();
    admin("update public.server_cache_probe set label = 'after' where id = 1");
    assertEquals("before", label(), "served from the cache");
    assertEquals(afterFirst, sent.size(), "no statement for a hit");
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(server.url() + "/metadata/refresh?source=shop"))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
            ("carol:" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r::body);
    assertEquals("{\"refreshed\":[\"shop\"]}", r.body(), "the endpoint's answer is unchanged");
    assertEquals("after", label());
  }
}
