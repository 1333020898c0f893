package io.gatehouse.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code gatehouse serve}: the demo without a configuration, and refusals that exit 2. */
class ServeCommandTest {
  @TempDir
  Path dir;

  @Test
  void withoutAConfigItServesTheDemoDatabase() throws Exception {
    ServeCommand serve = new ServeCommand();
    CommandLine cl = new CommandLine(serve);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cl.execute("--port", "0"));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (serve.running == null && System.nanoTime() < deadline && !exit.isDone()) {
      Thread.sleep(50);
    }
    assertTrue(serve.running != null, () -> "server did not start: " + out + err);
    try {
      while (!out.toString().contains("JDBC URL: ")) {
        Thread.sleep(20);
      }
      String url = out.toString().lines().filter(l -> l.startsWith("JDBC URL: ")).findFirst()
          .orElseThrow().substring("JDBC URL: ".length());
      assertTrue(url.startsWith("jdbc:avatica:remote:url=http://127.0.0.1:"), url);
      assertTrue(err.toString().contains("built-in demo database"), err.toString());
      try (Connection c = DriverManager.getConnection(url);
          ResultSet rs = c.createStatement().executeQuery(
              "select r.name, count(*) from demo.public.customers c join demo.public.regions r"
                  + " on r.id = c.region_id group by r.name order by 2 desc")) {
        int regions = 0;
        long customers = 0;
        while (rs.next()) {
          regions++;
          customers += rs.getLong(2);
        }
        assertEquals(6, regions);
        assertEquals(200, customers);
      }
    } finally {
      serve.stop.countDown();
    }
    assertEquals(0, exit.get(60, TimeUnit.SECONDS));
  }

  @Test
  void aPublicAddressWithoutTlsIsRefused() throws Exception {
    CliRun r = CliRun.run("serve", "--bind", "0.0.0.0", "--port", "0");
    assertEquals(2, r.exitCode(), r.toString());
    assertTrue(r.err().contains("--insecure"), r.err());
  }

  @Test
  void anInvalidConfigIsRefused() throws Exception {
    Path bad = CliRun.write(dir, "bad.yaml", "sources:\n  - id: x\n    type: nope\n");
    CliRun r = CliRun.run("serve", "--config", bad.toString());
    assertEquals(2, r.exitCode(), r.toString());
    assertTrue(r.err().contains("sources[0].type"), r.err());
  }
}
