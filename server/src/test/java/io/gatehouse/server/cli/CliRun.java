package io.gatehouse.server.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/** Runs the command line in-process with captured stdout and stderr. */
record CliRun(int exitCode, String out, String err) {

  /** Runs with {@code stdin} (UTF-8) as System.in, restored afterwards. */
  static CliRun runWithStdin(String stdin, String... args) {
    InputStream saved = System.in;
    try {
      System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
      return run(args);
    } finally {
      System.setIn(saved);
    }
  }

  static CliRun run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new GatehouseCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  /** A local TCP port that nothing listens on (it was free a moment ago). */
  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** A configuration with one PostgreSQL source on a closed local port, failing fast. */
  static Path unreachableConfig(Path dir, String password) throws IOException {
    return write(dir, "down.yaml", String.join("\n",
        "allowPlaintextSecrets: true",
        "sources:",
        "  - id: shop",
        "    type: postgresql",
        "    host: 127.0.0.1",
        "    port: " + closedPort(),
        "    database: shop",
        "    user: reader",
        "    password: " + password,
        "    tls: disable",
        "    pool: { connectionTimeout: 1s }",
        ""));
  }

  static Path write(Path dir, String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
