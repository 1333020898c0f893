package io.gatehouse.server;

import io.gatehouse.core.ConnectionCheck;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.config.ServerConfig;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.apache.calcite.avatica.remote.Handler.HandlerResponse;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.AbstractHandler;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDBC server: Avatica's protocol over HTTP(S) on Jetty, for the stock Avatica remote driver
 * ({@code jdbc:avatica:remote:url=http://host:8765;serialization=protobuf}).
 *
 * <p>Why Jetty is assembled here rather than with Avatica's {@code HttpServer.Builder}: the builder
 * listens on every interface unless told otherwise, its BASIC authentication checks plain-text or
 * MD5 password files and does not tell the service layer who the user is, and its handlers send
 * stack traces to clients. Here the handler authenticates against argon2id/bcrypt hashes, tells
 * {@link ServerMeta} the user of each request, and sanitises every error.
 *
 * <p>Exposure rules: the server binds 127.0.0.1 unless configured otherwise; it refuses to listen on
 * any other address without both TLS and users, unless started with {@code insecure} (and then says
 * so loudly); without users it serves anonymous requests from loopback clients only.
 */
public final class GatehouseServer implements AutoCloseable {
  /** The path of the SQL-free metadata refresh call. */
  public static final String REFRESH_PATH = "/metadata/refresh";
  private static final Logger LOG = LoggerFactory.getLogger(GatehouseServer.class);
  private static final Logger AUDIT = LoggerFactory.getLogger("gatehouse.audit");
  /** The largest request body accepted (a statement with its parameters). */
  private static final int MAX_BODY = 16 << 20;

  private final Gatehouse engine;
  private final ServerConfig config;
  private final CredentialCheck credentials;
  private final String bind;
  private final int requestedPort;
  private final boolean insecure;
  private final ServerMeta meta;
  private final AvaticaEndpoint endpoint;
  private final HealthReport health;
  private final ServerMetrics metrics;
  private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "gatehouse-server-housekeeping");
    t.setDaemon(true);
    return t;
  });
  private Server jetty;
  private ServerConnector connector;

  /**
   * @param credentials checks BASIC credentials; null when {@code server.users} is empty
   * @param bindOverride an address given on the command line, or null for the configured one
   * @param portOverride a port given on the command line, or null for the configured one (0 picks a
   *     free port)
   */
  public GatehouseServer(Gatehouse engine, ServerConfig config, CredentialCheck credentials,
      String bindOverride, Integer portOverride, boolean insecure) {
    this.engine = engine;
    this.config = config;
    this.credentials = config.users().isEmpty() ? null : credentials;
    this.bind = bindOverride != null ? bindOverride : config.bind();
    this.requestedPort = portOverride != null ? portOverride : config.port();
    this.insecure = insecure;
    this.meta = new ServerMeta(engine, config.limits());
    this.endpoint = new AvaticaEndpoint(meta);
    this.health = new HealthReport(engine);
    this.metrics = new ServerMetrics(engine, meta);
  }

  /** Starts listening; throws a coded error when the exposure rules forbid this configuration. */
  public void start() {
    boolean loopback = isLoopback(bind);
    boolean secured = config.tls() != null && !config.users().isEmpty();
    if (!loopback && !secured) {
      if (!insecure) {
        throw new GatehouseException(ErrorCode.CONFIG_INVALID, "refusing to listen on " + bind
            + " without both TLS (server.tls) and users (server.users): anyone who can reach it could"
            + " read the sources in plain text. Configure both, bind 127.0.0.1, or pass --insecure"
            + " to do it anyway");
      }
      LOG.warn("*** INSECURE: listening on {} without {} ***", bind,
          config.tls() == null && config.users().isEmpty() ? "TLS or authentication"
              : config.tls() == null ? "TLS" : "authentication");
    }
    QueuedThreadPool threads = new QueuedThreadPool(200, 8);
    threads.setName("gatehouse-http");
    jetty = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    if (config.tls() != null) {
      SslContextFactory.Server ssl = new SslContextFactory.Server();
      ssl.setKeyStorePath(config.tls().keystore().toString());
      ssl.setKeyStoreType("PKCS12");
      if (config.tls().password() != null) {
        ssl.setKeyStorePassword(config.tls().password().revealAsString());
      }
      ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
      http.setSecureScheme("https");
      http.addCustomizer(new SecureRequestCustomizer());
      connector = new ServerConnector(jetty, new SslConnectionFactory(ssl, "http/1.1"),
          new HttpConnectionFactory(http));
    } else {
      connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
    }
    connector.setHost(bind);
    connector.setPort(requestedPort);
    connector.setIdleTimeout(Duration.ofMinutes(5).toMillis());
    jetty.addConnector(connector);
    // The statistics handler is what lets Jetty wait for running requests on a graceful stop.
    StatisticsHandler stats = new StatisticsHandler();
    stats.setHandler(new RequestHandler());
    jetty.setHandler(stats);
    jetty.setStopTimeout(config.limits().shutdownGrace().toMillis());
    jetty.setStopAtShutdown(false);
    try {
      jetty.start();
    } catch (Exception e) {
      throw new GatehouseException(ErrorCode.CONFIG_INVALID, "cannot listen on " + bind + ":"
          + requestedPort + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
    }
    housekeeping.scheduleWithFixedDelay(meta::closeIdleConnections, 30, 30, TimeUnit.SECONDS);
    housekeeping.scheduleWithFixedDelay(meta::reclaimAbandonedResults, 1, 1, TimeUnit.SECONDS);
    LOG.info("Gatehouse JDBC server listening on {}", url());
  }

  /** The port listened on (useful when 0 was asked for). */
  public int port() {
    return connector.getLocalPort();
  }

  /** {@code http://host:port} or {@code https://...}. */
  public String url() {
    String host = bind.contains(":") ? "[" + bind + "]" : bind;
    if (host.equals("0.0.0.0") || host.equals("[::]")) {
      host = "localhost";
    }
    return (config.tls() != null ? "https" : "http") + "://" + host + ":" + port();
  }

  /** The URL a JDBC client uses with the stock Avatica remote driver. */
  public String jdbcUrl() {
    return "jdbc:avatica:remote:url=" + url() + ";serialization=protobuf"
        + (credentials != null ? ";authentication=BASIC" : "");
  }

  /** The server's view of connections, for tests and metrics. */
  public ServerMeta meta() {
    return meta;
  }

  /** Stops accepting, lets running requests finish for up to the grace period, closes connections. */
  @Override
  public void close() {
    housekeeping.shutdownNow();
    if (jetty != null) {
      try {
        jetty.stop();
      } catch (Exception e) {
        LOG.warn("server stop: {}", e.getMessage());
      }
    }
    meta.closeAll();
  }

  static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Routes /health and the Avatica protocol, and authenticates. */
  private final class RequestHandler extends AbstractHandler {
    @Override
    public void handle(String target, Request base, HttpServletRequest request,
        HttpServletResponse response) throws IOException {
      base.setHandled(true);
      String remote = request.getRemoteAddr();
      if ("GET".equals(request.getMethod()) && (target.equals("/health") || target.equals("/health/ready"))) {
        HealthReport.Status s = health.status();
        response.setContentType("application/json;charset=utf-8");
        response.setStatus(target.equals("/health/ready") && !s.ready() ? 503 : 200);
        response.getOutputStream().write(s.json().getBytes(StandardCharsets.UTF_8));
        return;
      }
      if ("GET".equals(request.getMethod()) && target.equals("/metrics")) {
        // Metrics name sources and error counts; with users configured they need a login too.
        if (authenticate(request, remote).isEmpty()) {
          response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
          response.setHeader("WWW-Authenticate", "Basic realm=\"Gatehouse\", charset=\"UTF-8\"");
          return;
        }
        response.setContentType("text/plain; version=0.0.4; charset=utf-8");
        response.setStatus(200);
        response.getOutputStream().write(metrics.scrape().getBytes(StandardCharsets.UTF_8));
        return;
      }
      if ("POST".equals(request.getMethod()) && target.equals(REFRESH_PATH)) {
        refresh(request, response, remote);
        return;
      }
      if (!"POST".equals(request.getMethod())) {
        response.setStatus(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
        response.setHeader("Allow", "POST");
        return;
      }
      Optional<Principal> user = authenticate(request, remote);
      if (user.isEmpty()) {
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader("WWW-Authenticate", "Basic realm=\"Gatehouse\", charset=\"UTF-8\"");
        return;
      }
      byte[] body;
      try (InputStream in = request.getInputStream()) {
        body = in.readNBytes(MAX_BODY + 1);
      }
      if (body.length > MAX_BODY) {
        response.setStatus(413);
        return;
      }
      RequestContext.set(user.get(), remote);
      HandlerResponse<byte[]> r;
      try {
        r = endpoint.handle(body);
      } finally {
        RequestContext.clear();
      }
      response.setContentType("application/octet-stream;charset=utf-8");
      response.setStatus(r.getStatusCode());
      // a known length: one write of the whole body, no chunked encoding
      response.setContentLength(r.getResponse().length);
      response.getOutputStream().write(r.getResponse());
    }

    /**
     * {@code POST /metadata/refresh[?source=ID]}: forgets cached table lists and column types so
     * that the next use reads the sources' catalogs again (after DDL at a source), and the sources'
     * cached results (engine.resultCache), which a refresh implies may be stale. A user may refresh
     * only the sources it may query; without {@code source}, all of them. Answers
     * {@code {"refreshed":[ids]}}.
     */
    private void refresh(HttpServletRequest request, HttpServletResponse response, String remote)
        throws IOException {
      Optional<Principal> user = authenticate(request, remote);
      if (user.isEmpty()) {
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader("WWW-Authenticate", "Basic realm=\"Gatehouse\", charset=\"UTF-8\"");
        return;
      }
      Principal p = user.get();
      String wanted = request.getParameter("source");
      List<String> refreshed = new ArrayList<>();
      for (String id : engine.sourceIds()) {
        boolean allowed = p.allSources() || p.sources().stream().anyMatch(id::equalsIgnoreCase);
        if (allowed && (wanted == null || wanted.equalsIgnoreCase(id))) {
          engine.refreshMetadata(id);
          refreshed.add(id);
        }
      }
      response.setContentType("application/json;charset=utf-8");
      com.fasterxml.jackson.databind.node.ObjectNode body =
          new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
      if (wanted != null && refreshed.isEmpty()) {
        // The same answer for a source that does not exist and one the user may not see.
        response.setStatus(404);
        body.put("error", "INVALID_PARAMETER").put("message", "no source '" + wanted + "'");
      } else {
        response.setStatus(200);
        refreshed.forEach(body.putArray("refreshed")::add);
        AUDIT.info("{\"event\":\"metadata_refresh\",\"user\":\"{}\",\"sources\":\"{}\"}",
            p.name(), String.join(",", refreshed));
      }
      response.getOutputStream().write(body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private Optional<Principal> authenticate(HttpServletRequest request, String remote) {
      if (credentials == null) {
        // No users: anonymous, and only for clients on this machine.
        if (isLoopback(remote)) {
          return Optional.of(Principal.anonymous());
        }
        AUDIT.warn("{\"event\":\"auth_failed\",\"user\":\"\",\"remote\":\"{}\",\"status\":401}", remote);
        return Optional.empty();
      }
      String header = request.getHeader("Authorization");
      if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
        return Optional.empty(); // the challenge; clients answer it with credentials
      }
      byte[] decoded;
      try {
        decoded = Base64.getDecoder().decode(header.substring(6).trim());
      } catch (IllegalArgumentException e) {
        AUDIT.warn("{\"event\":\"auth_failed\",\"user\":\"\",\"remote\":\"{}\",\"status\":401}", remote);
        return Optional.empty();
      }
      CharBuffer chars = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(decoded));
      Arrays.fill(decoded, (byte) 0);
      char[] all = new char[chars.remaining()];
      chars.get(all);
      Arrays.fill(chars.array(), '\0');
      int colon = -1;
      for (int i = 0; i < all.length; i++) {
        if (all[i] == ':') {
          colon = i;
          break;
        }
      }
      if (colon < 0) {
        Arrays.fill(all, '\0');
        AUDIT.warn("{\"event\":\"auth_failed\",\"user\":\"\",\"remote\":\"{}\",\"status\":401}", remote);
        return Optional.empty();
      }
      String name = new String(all, 0, colon);
      char[] password = Arrays.copyOfRange(all, colon + 1, all.length);
      Arrays.fill(all, '\0');
      try {
        Optional<Principal> p = credentials.check(name, password, remote);
        if (p.isEmpty()) {
          AUDIT.warn("{\"event\":\"auth_failed\",\"user\":\"{}\",\"remote\":\"{}\",\"status\":401}",
              sanitizeForLog(name), remote);
        }
        return p;
      } finally {
        Arrays.fill(password, '\0');
      }
    }
  }

  /** A user name as typed by a client, safe to put into a JSON log line. */
  static String sanitizeForLog(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (b.length() >= 64) {
        b.append("...");
        break;
      }
      b.append(Character.isLetterOrDigit(c) || "_.@-".indexOf(c) >= 0 ? c : '?');
    }
    return b.toString();
  }

  /** Liveness and per-source readiness, refreshed at most every few seconds. */
  static final class HealthReport {
    private static final Duration MAX_AGE = Duration.ofSeconds(5);
    private final Gatehouse engine;
    private volatile Status last;
    private volatile long lastAt;

    HealthReport(Gatehouse engine) {
      this.engine = engine;
    }

    record Status(boolean ready, String json) {}

    synchronized Status status() {
      if (last != null && System.nanoTime() - lastAt < MAX_AGE.toNanos()) {
        return last;
      }
      Map<String, String> sources = new LinkedHashMap<>();
      boolean ready = true;
      StringBuilder json = new StringBuilder("{\"status\":\"UP\",\"sources\":{");
      List<ConnectionCheck> checks = engine.testConnections();
      for (int i = 0; i < checks.size(); i++) {
        ConnectionCheck c = checks.get(i);
        ready &= c.ok();
        if (i > 0) {
          json.append(',');
        }
        json.append('"').append(c.sourceId()).append("\":{\"status\":\"")
            .append(c.ok() ? "UP" : "DOWN").append('"');
        if (c.ok()) {
          json.append(",\"latencyMs\":").append(c.latency().toMillis());
        } else {
          json.append(",\"code\":\"").append(c.code()).append('"');
        }
        json.append('}');
        sources.put(c.sourceId(), c.ok() ? "UP" : "DOWN");
      }
      json.append("},\"ready\":").append(ready).append('}');
      last = new Status(ready, json.toString());
      lastAt = System.nanoTime();
      return last;
    }
  }
}
