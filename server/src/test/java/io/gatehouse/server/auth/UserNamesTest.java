package io.gatehouse.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.config.GatehouseConfig;
import io.gatehouse.core.spi.AdapterRegistry;
import org.junit.jupiter.api.Test;

/** The CLI and the authenticator accept exactly the names the configuration accepts. */
class UserNamesTest {
  private static final String HASH = "$argon2id$v=19$m=256,t=1,p=1$c29tZXNhbHQ$"
      + "nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4";

  @Test
  void agreesWithTheConfiguration() {
    ConfigLoader loader = new ConfigLoader(AdapterRegistry.discover());
    String[] names = {"alice", "A", "bob.smith@example.com", "x_1-2", "a".repeat(64), "a".repeat(65),
        "1alice", "_alice", "al ice", "alice!", "ålice", "alice\u00e9", "-a", "a/b"};
    for (String name : names) {
      String yaml = "server:\n  users:\n    - name: \"" + name + "\"\n      passwordHash: \"" + HASH
          + "\"\n      sources: []\n";
      boolean configAccepts;
      try {
        GatehouseConfig config = loader.parse(yaml, "test");
        configAccepts = config.server().users().size() == 1;
      } catch (ConfigException e) {
        configAccepts = e.problems().stream().noneMatch(p -> p.path().endsWith("name"));
      }
      assertEquals(configAccepts, UserNames.isValid(name), name);
    }
  }
}
