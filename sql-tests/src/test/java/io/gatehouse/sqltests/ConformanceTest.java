package io.gatehouse.sqltests;

import static org.junit.jupiter.api.Assertions.fail;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.jdbc.GatehouseDriver;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import net.hydromatic.quidem.Quidem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SQL conformance scripts in Quidem's format ({@code src/test/resources/sql/*.iq}): each query runs
 * through the engine (the in-process JDBC driver) against the real PostgreSQL and MariaDB, and its
 * printed result must equal the one written in the script. Connections a script can {@code !use}:
 * {@code gatehouse} (sources {@code shop} and {@code pgx} on PostgreSQL, {@code crm} and
 * {@code myx} on MariaDB), and {@code pg} / {@code mariadb}, direct connections to the same
 * databases for checking a result against the source itself.
 *
 * <p>A failing script leaves its actual output in {@code target/quidem/NAME}: diff the two files,
 * and when the new output is right (checked, not assumed), copy it over the script.
 */
class ConformanceTest {
  private static final Gatehouse ENGINE = open();

  private static Gatehouse open() {
    try {
      ConformanceFixtures.create();
    } catch (SQLException e) {
      throw new IllegalStateException("conformance tables could not be created", e);
    }
    Gatehouse gh = Gatehouse.open(ConfigLoader.withDiscoveredAdapters().fromMap(Map.of(
        "engine", Map.of("maxRows", 1000, "queryTimeout", "60s"),
        "sources", List.of(TwoSources.postgresSource("shop", "public", "sales"),
            TwoSources.postgresSource("pgx", ConformanceFixtures.SCHEMA),
            TwoSources.mariadbSource("crm", "crm"),
            TwoSources.mariadbSource("myx", ConformanceFixtures.SCHEMA)))));
    Runtime.getRuntime().addShutdownHook(new Thread(gh::close));
    return gh;
  }

  private static Connection connect(String name, boolean reference) throws SQLException {
    switch (name) {
      case "gatehouse":
        return GatehouseDriver.connect(ENGINE, new Properties());
      case "pg":
        return TwoSources.PG.readerConnection();
      case "mariadb":
        return TwoSources.MARIADB.readerConnection();
      default:
        return null;
    }
  }

  static Stream<String> scripts() throws IOException, URISyntaxException {
    Path dir = Path.of(ConformanceTest.class.getResource("/sql").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".iq")).sorted()
          .toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scripts")
  void script(String name) throws Exception {
    String input = new String(ConformanceTest.class.getResourceAsStream("/sql/" + name).readAllBytes(),
        StandardCharsets.UTF_8);
    StringWriter out = new StringWriter();
    new Quidem(Quidem.configBuilder().withReader(new StringReader(input)).withWriter(out)
        .withConnectionFactory(ConformanceTest::connect).build()).execute();
    String actual = out.toString();
    if (!actual.equals(input)) {
      Path written = Path.of("target", "quidem", name);
      Files.createDirectories(written.getParent());
      Files.writeString(written, actual);
      String[] a = input.split("\n", -1);
      String[] b = actual.split("\n", -1);
      int i = 0;
      while (i < Math.min(a.length, b.length) && a[i].equals(b[i])) {
        i++;
      }
      fail(name + " differs from line " + (i + 1) + ":\n  expected: "
          + (i < a.length ? a[i] : "<end>") + "\n  actual:   " + (i < b.length ? b[i] : "<end>")
          + "\nwhole output in " + written.toAbsolutePath());
    }
  }
}
