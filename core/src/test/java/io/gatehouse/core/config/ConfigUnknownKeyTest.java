package io.gatehouse.core.config;

import static io.gatehouse.core.config.ConfigTestSupport.invalid;
import static io.gatehouse.core.config.ConfigTestSupport.minimal;
import static io.gatehouse.core.config.ConfigTestSupport.onlyProblem;
import static io.gatehouse.core.config.ConfigTestSupport.problemAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Unknown keys are errors in every section, so a typo cannot silently fall back to a default. */
class ConfigUnknownKeyTest {

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      // text appended to the minimal config (into its source unless it opens a section) | path | suggestion
      "engine:\\n  maxRow: 5\\n                         | engine.maxRow                | maxRows",
      "engine:\\n  maxrows: 5\\n                        | engine.maxrows               | maxRows",
      "engine:\\n  querytimeout: 5s\\n                  | engine.querytimeout          | queryTimeout",
      "engine:\\n  memoryBudgett: 1GB\\n                | engine.memoryBudgett         | memoryBudget",
      "engine:\\n  fetchsize: 10\\n                     | engine.fetchsize             | fetchSize",
      "engine:\\n  metadataCacheTTL: 1m\\n              | engine.metadataCacheTTL      | metadataCacheTtl",
      "hots: h\\n                                   | sources[0].hots              | host",
      "databse: d\\n                                | sources[0].databse           | database",
      "pasword: x\\n                                | sources[0].pasword           | password",
      "cafile: /x\\n                                | sources[0].cafile            | caFile",
      "schema: [a]\\n                               | sources[0].schema            | schemas",
      "querytimeout: 5s\\n                          | sources[0].querytimeout      | queryTimeout",
      "pool: {maxsize: 5}\\n                        | sources[0].pool.maxsize      | maxSize",
      "pool: {minIdel: 1}\\n                        | sources[0].pool.minIdel      | minIdle",
      "pool: {connectTimeout: 5s}\\n                | sources[0].pool.connectTimeout | connectionTimeout",
      "pool: {idleTimout: 5m}\\n                    | sources[0].pool.idleTimout   | idleTimeout",
      "pool: {maxLifeTime: 5m}\\n                   | sources[0].pool.maxLifeTime  | maxLifetime",
      "server:\\n  bnd: 0.0.0.0\\n                      | server.bnd                   | bind",
      "server:\\n  prt: 1\\n                            | server.prt                   | port",
      "server:\\n  user: []\\n                          | server.user                  | users"})
  void unknownKeyIsRefusedWithDidYouMean(String extra, String path, String suggestion) {
    String yaml = extraAfterMinimal(extra);
    onlyProblem(yaml, path, "unknown key; did you mean '" + suggestion + "'?", "Known keys here: ");
  }

  @Test
  void unknownKeyInServerTlsSuggestsTheKnownKey(@TempDir Path dir) throws IOException {
    Path ks = Files.write(dir.resolve("ks.p12"), new byte[] {1});
    onlyProblem(minimal() + "server:\n  tls: {keystore: " + ks + ", pasword: x}\n", "server.tls.pasword",
        "unknown key; did you mean 'password'?", "Known keys here: keystore, password");
  }

  @Test
  void unknownKeyInAUserSuggestsTheKnownKey() {
    String yaml = minimal() + "server:\n  users:\n    - name: alice\n      passwordHash: \"$2b$10$x\"\n"
        + "      source: [shop]\n";
    onlyProblem(yaml, "server.users[0].source", "unknown key; did you mean 'sources'?",
        "Known keys here: name, passwordHash, sources");
  }

  @Test
  void unknownKeyInASourceListsTheKnownKeys() {
    ConfigProblem p = onlyProblem(minimal() + "    sslmode: verify-full\n", "sources[0].sslmode",
        "unknown key; known keys here: ", "host", "port", "database", "user", "password", "tls",
        "caFile", "schemas", "pool", "queryTimeout");
    assertFalse(p.message().contains("did you mean"), p.message());
  }

  @Test
  void keysAreCaseSensitive() {
    onlyProblem(minimal() + "    Host: other\n", "sources[0].Host", "did you mean 'host'?");
  }

  @Test
  void everyUnknownKeyIsReported() {
    ConfigException e = invalid(minimal() + "    hots: h\n    prot: 1\nengine:\n  maxRow: 1\n");
    assertEquals(3, e.problems().size(), e::getMessage);
    problemAt(e, "sources[0].hots", "did you mean 'host'?");
    problemAt(e, "sources[0].prot", "did you mean 'port'?");
    problemAt(e, "engine.maxRow", "did you mean 'maxRows'?");
  }

  /** Lines for the engine or server section are top level; anything else goes into the source. */
  private static String extraAfterMinimal(String extra) {
    String text = extra.replace("\\n", "\n");
    boolean topLevel = text.startsWith("engine:") || text.startsWith("server:");
    return minimal() + (topLevel ? text : "    " + text);
  }
}
