package io.gatehouse.server;

/**
 * The authenticated user and the client address of the HTTP request being handled on this thread.
 * Avatica's service layer does not pass them down, and Jetty handles each request on one thread, so
 * the HTTP handler sets them here for the duration of the request and {@link ServerMeta} reads them.
 */
final class RequestContext {
  private static final ThreadLocal<Principal> USER = new ThreadLocal<>();
  private static final ThreadLocal<String> REMOTE = new ThreadLocal<>();
  private static final ThreadLocal<Boolean> PROTOBUF = new ThreadLocal<>();

  private RequestContext() {}

  static void set(Principal user, String remoteAddress) {
    USER.set(user);
    REMOTE.set(remoteAddress);
  }

  static void clear() {
    USER.remove();
    REMOTE.remove();
    PROTOBUF.remove();
  }

  /** Records whether the request is in protobuf (else JSON); its result frames are encoded so. */
  static void protobuf(boolean protobuf) {
    PROTOBUF.set(protobuf);
  }

  /** Whether the request being handled is in protobuf; false outside a request. */
  static boolean protobuf() {
    return Boolean.TRUE.equals(PROTOBUF.get());
  }

  static Principal user() {
    return USER.get();
  }

  static String remoteAddress() {
    String r = REMOTE.get();
    return r == null ? "" : r;
  }
}
