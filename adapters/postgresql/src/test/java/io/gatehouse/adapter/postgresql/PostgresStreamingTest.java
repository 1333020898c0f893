package io.gatehouse.adapter.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.adapter.postgresql.testing.PostgresFixture;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Large results stream from PostgreSQL through a cursor instead of being read into memory first. A
 * JVM with a 40 MB heap reads 200,000 wide rows (about 60 MB of text) through the engine; the same
 * read done directly with the driver's defaults, which buffer the whole result, runs out of memory
 * in that heap, which shows the heap is small enough for the test to mean something.
 */
class PostgresStreamingTest {
  private static final PostgresFixture PG = PostgresFixture.get();

  private static Result run(String mode) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
        "-Xmx40m", "-XX:+UseSerialGC", "-Duser.timezone=UTC",
        "-cp", System.getProperty("java.class.path"),
        StreamingProbe.class.getName(), mode, PG.host(), String.valueOf(PG.port()), PG.database(),
        PG.readerUser(), PG.readerPassword()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "probe finished");
    return new Result(p.exitValue(), out);
  }

  private record Result(int exit, String output) {}

  @Test
  void engineStreamsWithinASmallHeap() throws Exception {
    Result r = run("engine");
    assertEquals(0, r.exit(), r.output());
    assertTrue(r.output().contains("ROWS 200000"), r.output());
  }

  @Test
  void bufferingTheSameResultDoesNotFitThatHeap() throws Exception {
    Result r = run("buffered");
    assertNotEquals(0, r.exit(), "the control must fail, or the heap is too large to prove anything");
    assertTrue(r.output().contains("OutOfMemoryError"), r.output());
  }
}
