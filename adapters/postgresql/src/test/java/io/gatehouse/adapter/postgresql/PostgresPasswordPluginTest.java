package io.gatehouse.adapter.postgresql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.zaxxer.hikari.HikariConfig;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.config.EngineConfig;
import io.gatehouse.core.config.SourceConfig;
import io.gatehouse.core.spi.AdapterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.postgresql.plugin.AuthenticationRequestType;

/**
 * The PostgreSQL password reaches the driver as a char[] through {@link PostgresPasswordPlugin},
 * never as a String in the pool's configuration. (That the login works this way is proved by every
 * test against the real server, which requires SCRAM passwords.)
 */
class PostgresPasswordPluginTest {
  private static final String PASSWORD = "plugin-Canary-Pw-6612";

  private static SourceConfig source() {
    String yaml = "sources:\n  - id: shop\n    type: postgresql\n    host: h\n    database: d\n"
        + "    user: u\n    password: ${env:PW}\n";
    return new ConfigLoader(new AdapterRegistry(List.of(new PostgresAdapter())), Map.of("PW", PASSWORD))
        .parse(yaml, "pg.yaml").sources().get(0);
  }

  @Test
  void poolConfigurationHoldsAHandleNotThePassword() {
    PostgresConnector connector = new PostgresConnector(source(), EngineConfig.defaults());
    HikariConfig hc = new HikariConfig();
    connector.configurePool(hc);
    assertNull(hc.getPassword());
    Properties props = hc.getDataSourceProperties();
    props.values().forEach(v -> assertFalse(String.valueOf(v).contains(PASSWORD), props::toString));
    assertEquals(PostgresPasswordPlugin.class.getName(), props.getProperty("authenticationPluginClassName"));

    PostgresPasswordPlugin plugin = new PostgresPasswordPlugin(props);
    assertArrayEquals(PASSWORD.toCharArray(), plugin.getPassword(AuthenticationRequestType.SASL));

    connector.close();
    assertNull(new PostgresPasswordPlugin(props).getPassword(AuthenticationRequestType.SASL),
        "a closed source's password is forgotten");
  }
}
