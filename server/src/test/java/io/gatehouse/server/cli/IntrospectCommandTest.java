package io.gatehouse.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.adapter.postgresql.testing.PostgresFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gatehouse introspect} against the shared real PostgreSQL. */
class IntrospectCommandTest {
  private static final PostgresFixture PG = PostgresFixture.get();

  @TempDir Path dir;
  private String config;

  @BeforeEach
  void config() throws Exception {
    Path pw = Files.writeString(dir.resolve("pw"), PG.readerPassword());
    config = Files.writeString(dir.resolve("g.yaml"), String.join("\n",
        "sources:",
        "  - id: shop",
        "    type: postgresql",
        "    host: " + PG.host(),
        "    port: " + PG.port(),
        "    database: " + PG.database(),
        "    user: " + PG.readerUser(),
        "    password: ${file:" + pw + "}",
        "    tls: disable",
        "    schemas: [public, sales]",
        "")).toString();
  }

  private static JsonNode table(JsonNode model, String schema, String name) {
    for (JsonNode s : model.get("schemas")) {
      if (s.get("name").asText().equals(schema)) {
        for (JsonNode t : s.get("tables")) {
          if (t.get("name").asText().equals(name)) {
            return t;
          }
        }
      }
    }
    throw new AssertionError("no " + schema + "." + name + " in " + model);
  }

  @Test
  void jsonOnStdoutWithKeysAndOnlyTheIncludedTables() throws Exception {
    CliRun r = CliRun.run("introspect", "--config", config, "--source", "shop",
        "--include", "public.orders", "--include", "sales.*");
    assertEquals(0, r.exitCode(), r::toString);
    JsonNode model = new ObjectMapper().readTree(r.out());
    assertEquals("shop", model.get("source").asText());
    List<String> tables = new ArrayList<>();
    model.get("schemas").forEach(s -> s.get("tables").forEach(
        t -> tables.add(s.get("name").asText() + "." + t.get("name").asText())));
    assertTrue(tables.contains("public.orders"), tables::toString);
    assertTrue(tables.stream().allMatch(t -> t.equals("public.orders") || t.startsWith("sales.")),
        tables::toString);
    JsonNode orders = table(model, "public", "orders");
    assertEquals("[\"id\"]", orders.get("primaryKey").get("columns").toString());
    JsonNode fk = orders.get("foreignKeys").get(0);
    assertEquals("customers", fk.get("refTable").asText());
    assertEquals("TABLE", orders.get("kind").asText());
    assertTrue(orders.get("rowEstimate").asLong() > 0);
  }

  @Test
  void profileAndTextFormat() {
    CliRun r = CliRun.run("introspect", "-c", config, "--source", "shop", "--include",
        "public.customers", "--profile", "--sample-rows", "50", "--format", "text");
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.out().startsWith("shop (postgresql)"), r::toString);
    assertTrue(r.out().contains("table customers"), r::toString);
    assertTrue(r.out().contains("primary key (id)"), r::toString);
    assertTrue(r.out().contains("distinct"), "profiled: " + r.out());
  }

  @Test
  void unknownSourceIsAUsageErrorAndADownSourceAFailure() throws Exception {
    CliRun unknown = CliRun.run("introspect", "-c", config, "--source", "nope");
    assertEquals(2, unknown.exitCode(), unknown::toString);
    assertTrue(unknown.err().startsWith("ERROR INVALID_PARAMETER: no source 'nope'"), unknown::toString);
    assertTrue(unknown.err().contains("sources: shop"), unknown::toString);

    CliRun down = CliRun.run("introspect", "-c", CliRun.unreachableConfig(dir, "x-secret").toString(),
        "--source", "shop");
    assertEquals(1, down.exitCode(), down::toString);
    assertTrue(down.err().startsWith("ERROR SOURCE_UNAVAILABLE"), down::toString);
    assertEquals("", down.out());
  }
}
