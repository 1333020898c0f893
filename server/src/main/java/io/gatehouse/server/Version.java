package io.gatehouse.server;

/** The version reported to clients. */
final class Version {
  static final String VERSION = "0.1.0";

  private Version() {}
}
