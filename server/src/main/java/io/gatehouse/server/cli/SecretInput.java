package io.gatehouse.server.cli;

import java.io.BufferedInputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reading a password or secret for a command without echo and without ever making it a String:
 * twice on a terminal, or from stdin when it is piped. Every buffer is cleared when replaced.
 */
final class SecretInput {
  private SecretInput() {}

  /** Thrown with a message for the user when no secret could be read. */
  static final class NoSecret extends Exception {
    NoSecret(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The secret typed twice on the console (prompts on {@code err}) or, when stdin is not a
   * terminal, read with {@code fromStdin}.
   */
  static char[] read(String prompt, PrintWriter err, StdinReader fromStdin) throws NoSecret, IOException {
    return read(prompt, err, fromStdin, true);
  }

  /** As {@link #read(String, PrintWriter, StdinReader)}; {@code confirm} false asks only once (a login). */
  static char[] read(String prompt, PrintWriter err, StdinReader fromStdin, boolean confirm)
      throws NoSecret, IOException {
    Console console = System.console();
    if (console != null && !confirm) {
      err.print(prompt + ": ");
      err.flush();
      char[] once = console.readPassword();
      if (once == null) {
        throw new NoSecret("nothing was entered");
      }
      return once;
    }
    if (console != null) {
      return twice(console, prompt, err);
    }
    if (stdinIsTerminal()) {
      // System.console() is null when stdout is redirected, even if stdin is a terminal:
      // reading there would echo the secret.
      throw new NoSecret("cannot read without echo: stdin is a terminal but stdout is not; run the"
          + " command without redirecting stdout, or pipe the value into it");
    }
    char[] value = fromStdin.read(System.in);
    if (value == null) {
      throw new NoSecret("nothing on stdin; pipe the value into the command");
    }
    return value;
  }

  /** How a command reads its secret from a piped stdin. */
  interface StdinReader {
    char[] read(InputStream in) throws IOException;
  }

  private static char[] twice(Console console, String prompt, PrintWriter err) throws NoSecret {
    err.print(prompt + ": ");
    err.flush();
    char[] first = console.readPassword();
    if (first == null) {
      err.println();
      throw new NoSecret("nothing was entered");
    }
    err.print("Repeat it: ");
    err.flush();
    char[] second = console.readPassword();
    try {
      if (second == null || !Arrays.equals(first, second)) {
        Arrays.fill(first, '\0');
        throw new NoSecret("the two entries do not match");
      }
      return first;
    } finally {
      if (second != null) {
        Arrays.fill(second, '\0');
      }
    }
  }

  /**
   * The first line of the stream as UTF-8, without its line end; null when the stream is empty.
   * Reads at most {@code max + 1} chars, so an overlong line is seen as such.
   */
  static char[] firstLine(InputStream in, int max) throws IOException {
    return readUntil(in, max, true);
  }

  /**
   * The whole stream as UTF-8 (a PEM key has several lines) without trailing line ends, like a
   * {@code ${file:...}} reference reads its file; null when the stream is empty.
   */
  static char[] all(InputStream in, int max) throws IOException {
    char[] value = readUntil(in, max, false);
    if (value == null) {
      return null;
    }
    int n = value.length;
    while (n > 0 && (value[n - 1] == '\n' || value[n - 1] == '\r')) {
      n--;
    }
    if (n == value.length) {
      return value;
    }
    char[] trimmed = Arrays.copyOf(value, n);
    Arrays.fill(value, '\0');
    return trimmed;
  }

  private static char[] readUntil(InputStream in, int max, boolean oneLine) throws IOException {
    Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8); // not closed: it is stdin
    char[] buffer = new char[64];
    int n = 0;
    boolean any = false;
    int c;
    while (n <= max && (c = reader.read()) >= 0) {
      any = true;
      if (oneLine && c == '\n') {
        break;
      }
      if (n == buffer.length) {
        char[] bigger = Arrays.copyOf(buffer, buffer.length * 2);
        Arrays.fill(buffer, '\0');
        buffer = bigger;
      }
      buffer[n++] = (char) c;
    }
    if (!any) {
      return null;
    }
    if (oneLine && n > 0 && buffer[n - 1] == '\r') {
      n--;
    }
    char[] line = Arrays.copyOf(buffer, n);
    Arrays.fill(buffer, '\0');
    return line;
  }

  /**
   * Whether stdin is a terminal when System.console() said nothing (stdout redirected). Only the
   * JVM's own stdin is looked at (a replaced System.in is not a terminal), and only where
   * {@code /proc} tells (Linux); elsewhere the answer is no.
   */
  static boolean stdinIsTerminal() {
    if (System.in.getClass() != BufferedInputStream.class) {
      return false;
    }
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty")
          || target.equals("/dev/console");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }
}
