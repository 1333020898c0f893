package io.gatehouse.server.cli;

import ch.qos.logback.classic.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Log levels of the command line; the appenders and format are in {@code logback.xml}. */
final class Logging {
  private static final Logger LOG = LoggerFactory.getLogger("io.gatehouse.server.cli");

  private Logging() {}

  /** Raises Gatehouse's own loggers ({@code io.gatehouse}) to DEBUG. */
  static void enableVerbose() {
    Logger gatehouse = LoggerFactory.getLogger("io.gatehouse");
    if (gatehouse instanceof ch.qos.logback.classic.Logger l) {
      l.setLevel(Level.DEBUG);
    }
  }

  /** Details of a failure the user was shown as a coded message; visible with --verbose only. */
  static void debug(String message, Throwable t) {
    // The format prints no stack traces; the exception's own text is in the message.
    LOG.debug("{}: {}", message, t.toString(), t);
  }
}
