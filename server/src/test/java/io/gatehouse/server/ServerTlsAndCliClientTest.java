package io.gatehouse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.adapter.postgresql.testing.PostgresFixture;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.config.GatehouseConfig;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS with a certificate made in the test, the exposure rules, and a scripted sqlline session: the
 * server as real clients meet it.
 */
class ServerTlsAndCliClientTest {
  private static final String STORE_PASSWORD = "store-pass-123";
  private final PostgresFixture pg = PostgresFixture.get();

  @TempDir
  Path dir;

  private Map<String, Object> source() {
    return Map.of("id", "shop", "type", "postgresql", "host", pg.host(), "port", pg.port(),
        "database", pg.database(), "user", pg.readerUser(), "password", pg.readerPassword(),
        "tls", "disable");
  }

  private static void keytool(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "keytool");
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
  }

  @Test
  void tlsWithACertificateMadeHere() throws Exception {
    Path keystore = dir.resolve("server.p12");
    Path cert = dir.resolve("server.pem");
    Path truststore = dir.resolve("trust.p12");
    keytool("-genkeypair", "-alias", "gatehouse", "-keyalg", "RSA", "-keysize", "2048",
        "-validity", "2", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
        "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD,
        "-keypass", STORE_PASSWORD);
    keytool("-exportcert", "-alias", "gatehouse", "-keystore", keystore.toString(),
        "-storepass", STORE_PASSWORD, "-rfc", "-file", cert.toString());
    keytool("-importcert", "-noprompt", "-alias", "gatehouse", "-file", cert.toString(),
        "-keystore", truststore.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);

    GatehouseConfig config = ConfigLoader.withDiscoveredAdapters().fromMap(Map.of(
        "sources", List.of(source()),
        "server", Map.of("tls", Map.of("keystore", keystore.toString(), "password", STORE_PASSWORD))));
    try (Gatehouse engine = Gatehouse.open(config);
        GatehouseServer server = new GatehouseServer(engine, config.server(), null, null, 0, false)) {
      server.start();
      assertTrue(server.url().startsWith("https://"), server.url());
      Properties p = new Properties();
      p.setProperty("url", server.url().replace("127.0.0.1", "localhost"));
      p.setProperty("serialization", "protobuf");
      p.setProperty("truststore", truststore.toString());
      p.setProperty("truststore_password", STORE_PASSWORD);
      p.setProperty("keystore_type", "PKCS12");
      try (Connection c = DriverManager.getConnection("jdbc:avatica:remote:", p);
          ResultSet rs = c.createStatement().executeQuery("select count(*) from shop.public.customers")) {
        assertTrue(rs.next());
        assertEquals(100, rs.getInt(1));
      }
      // Without trusting the certificate the client must refuse the server.
      Properties untrusted = new Properties();
      untrusted.setProperty("url", server.url());
      untrusted.setProperty("serialization", "protobuf");
      assertThrows(Exception.class, () -> {
        try (Connection c = DriverManager.getConnection("jdbc:avatica:remote:", untrusted)) {
          c.createStatement().executeQuery("select 1 from shop.public.customers").next();
        }
      });
    }
  }

  @Test
  void aPublicAddressNeedsTlsAndUsersUnlessInsecure() {
    GatehouseConfig config = ConfigLoader.withDiscoveredAdapters().fromMap(Map.of(
        "sources", List.of(source()), "server", Map.of("bind", "0.0.0.0")));
    try (Gatehouse engine = Gatehouse.open(config)) {
      GatehouseServer refused = new GatehouseServer(engine, config.server(), null, null, 0, false);
      GatehouseException e = assertThrows(GatehouseException.class, refused::start);
      assertEquals(ErrorCode.CONFIG_INVALID, e.code());
      assertTrue(e.getMessage().contains("--insecure"), e.getMessage());
      try (GatehouseServer insecure = new GatehouseServer(engine, config.server(), null, null, 0, true)) {
        insecure.start();
        assertTrue(insecure.port() > 0);
      }
    }
  }

  @Test
  void bindsLoopbackByDefault() {
    GatehouseConfig config = ConfigLoader.withDiscoveredAdapters().fromMap(Map.of("sources", List.of(source())));
    assertEquals("127.0.0.1", config.server().bind());
    assertTrue(GatehouseServer.isLoopback(config.server().bind()));
    assertFalse(GatehouseServer.isLoopback("0.0.0.0"));
  }

  @Test
  void aScriptedSqllineSession() throws Exception {
    GatehouseConfig config = ConfigLoader.withDiscoveredAdapters().fromMap(Map.of(
        "engine", Map.of("maxRows", 3), "sources", List.of(source())));
    try (Gatehouse engine = Gatehouse.open(config);
        GatehouseServer server = new GatehouseServer(engine, config.server(), null, null, 0, false)) {
      server.start();
      Path script = dir.resolve("session.sql");
      Files.writeString(script, String.join("\n",
          "!set outputformat csv",
          "select id, name from shop.public.customers order by id;",
          "select count(*) as n from shop.public.orders where status = 'paid';",
          "delete from shop.public.orders;",
          "!tables",
          "!quit", ""));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrintStream previousOut = System.out;
      PrintStream previousErr = System.err;
      try (PrintStream capture = new PrintStream(out, true, StandardCharsets.UTF_8)) {
        System.setOut(capture);
        System.setErr(capture);
        sqlline.SqlLine line = new sqlline.SqlLine();
        line.setOutputStream(capture);
        line.setErrorStream(capture);
        line.begin(new String[] {"-u", server.jdbcUrl(), "-n", "anyone", "-p", "x",
            "--run=" + script}, new ByteArrayInputStream(new byte[0]), false);
      } finally {
        System.setOut(previousOut);
        System.setErr(previousErr);
      }
      String text = out.toString(StandardCharsets.UTF_8);
      assertTrue(text.contains("'id','name'"), text);
      assertTrue(text.contains("'1',"), text);
      assertTrue(text.contains("QUERY_REJECTED"), text);
      assertTrue(text.contains("customers"), "!tables lists the source's tables: " + text);
      // sqlline prints the client's own stack trace; nothing of the server's may be in it
      assertFalse(text.contains("io.gatehouse.core") || text.contains("ServerMeta")
          || text.contains("QueryGuard"), text);
    }
  }

  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
