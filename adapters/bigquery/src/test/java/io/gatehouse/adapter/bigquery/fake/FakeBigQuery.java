package io.gatehouse.adapter.bigquery.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * <b>A fake BigQuery</b> for tests: an HTTP server on 127.0.0.1 that speaks the parts of the
 * BigQuery REST API (v2) and of Google's OAuth token endpoint that the real google-cloud-bigquery
 * client uses, so that tests drive the real client library, authentication included:
 *
 * <ul>
 *   <li>{@code POST /token}: the service-account JWT bearer grant. The JWT's RS256 signature is
 *       verified with the public key registered for its issuer, and its audience and expiry are
 *       checked; a valid grant returns an access token, anything else {@code invalid_grant}.
 *       Every API request must carry an issued token (else 401).</li>
 *   <li>{@code POST .../jobs} (jobs.insert) for queries, dry runs included; {@code GET .../jobs/ID}
 *       (jobs.get); {@code POST .../jobs/ID/cancel}; {@code GET .../datasets/D/tables/T/data}
 *       (tabledata.list, paged) for job results; {@code GET .../datasets/D} (datasets.get),
 *       {@code .../datasets/D/tables} (tables.list, paged), {@code .../tables/T} (tables.get).</li>
 * </ul>
 *
 * <p>The SQL a job receives is really executed: parsed as GoogleSQL with Calcite and re-written for
 * an in-memory H2 database holding the fixture data ({@link FakeSql}); datasets are H2 schemas.
 * A wrong generated SQL therefore fails as it would at BigQuery. A dry run reports the statement
 * type and the bytes the statement would process, computed from the tables it reads (their rows
 * times the BigQuery storage size of their columns); a job whose bytes exceed its
 * {@code maximumBytesBilled} fails with {@code bytesBilledLimitExceeded}; {@code jobTimeoutMs} and
 * cancellation stop the H2 statement. Tables flagged external report 0 bytes in dry runs, as
 * BigQuery does for external tables, so the job's own cap can be tested.
 *
 * <p>BigQuery types of the fixture columns come from H2's types (BIGINT and INTEGER: INT64, DECIMAL:
 * NUMERIC, DOUBLE: FLOAT64, VARCHAR: STRING, VARBINARY: BYTES, TIMESTAMP: DATETIME, TIMESTAMP WITH
 * TIME ZONE: TIMESTAMP...) unless a column's comment holds a BigQuery field schema in JSON
 * ({@code {"type":"GEOGRAPHY"}}, {@code {"type":"RECORD","mode":"REPEATED","fields":[...]}}); such
 * columns hold their value in the API's wire form (WKT, JSON text, or the {@code {"f":[{"v":..}]}}
 * encoding of STRUCT and ARRAY values) and are served as stored.
 */
public final class FakeBigQuery implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final String RESULTS_DATASET = "_fake_results";
  private static final String GOOGLE_TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token";

  private final String project;
  private final String jdbcUrl;
  private final Connection keepAlive;
  private final HttpServer http;
  private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fake-bigquery");
    t.setDaemon(true);
    return t;
  });
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "fake-bigquery-timer");
    t.setDaemon(true);
    return t;
  });
  private final FakeSql sql;
  private final Map<String, PublicKey> accounts = new ConcurrentHashMap<>();
  private final Set<String> tokens = ConcurrentHashMap.newKeySet();
  private final Map<String, FakeJob> jobs = new ConcurrentHashMap<>();
  private final Set<String> externalTables = ConcurrentHashMap.newKeySet();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<String> queries = new CopyOnWriteArrayList<>();
  private final List<String> dryRuns = new CopyOnWriteArrayList<>();
  private final List<JsonNode> jobConfigurations = new CopyOnWriteArrayList<>();
  private final AtomicInteger tokenGrants = new AtomicInteger();
  private volatile int queryDelayMillis;

  private FakeBigQuery(String project) throws IOException, SQLException {
    this.project = project;
    this.sql = new FakeSql(project);
    this.jdbcUrl = "jdbc:h2:mem:fakebq" + DATABASES.incrementAndGet()
        + ";DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE;DEFAULT_NULL_ORDERING=LOW";
    this.keepAlive = DriverManager.getConnection(jdbcUrl, "sa", "");
    this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    http.setExecutor(workers);
    http.createContext("/", this::handle);
    http.start();
  }

  /** Starts a fake for one project (hyphens welcome: {@code my-proj-1}). */
  public static FakeBigQuery start(String project) {
    try {
      return new FakeBigQuery(project);
    } catch (IOException | SQLException e) {
      throw new IllegalStateException("the fake BigQuery did not start", e);
    }
  }

  /** The API root to give the client ({@code BigQueryOptions.setHost}, the source's endpoint). */
  public String endpoint() {
    return "http://127.0.0.1:" + http.getAddress().getPort();
  }

  /** The OAuth token endpoint, for the key file's {@code token_uri}. */
  public String tokenUri() {
    return endpoint() + "/token";
  }

  public String project() {
    return project;
  }

  /** A new key whose public half the fake accepts. */
  public ServiceAccountKey newServiceAccount(String name, String keyId) {
    ServiceAccountKey k = ServiceAccountKey.create(project, name, tokenUri(), keyId);
    accounts.put(k.clientEmail(), k.publicKey());
    return k;
  }

  /** A direct connection to the fixture database (datasets are schemas), with all rights. */
  public Connection adminConnection() throws SQLException {
    return DriverManager.getConnection(jdbcUrl, "sa", "");
  }

  /** Marks a table as external: dry runs cannot estimate it and report 0 bytes for it. */
  public void markExternal(String dataset, String table) {
    externalTables.add(dataset + "." + table);
  }

  /** Makes every query job wait this long before it runs (to observe running jobs). */
  public void setQueryDelay(int millis) {
    this.queryDelayMillis = millis;
  }

  /** Every request as {@code METHOD path?query}, in arrival order. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  /** The SQL of every (non dry-run) query job received, in order. */
  public List<String> queries() {
    return List.copyOf(queries);
  }

  /** The SQL of every dry run received, in order. */
  public List<String> dryRuns() {
    return List.copyOf(dryRuns);
  }

  /** The {@code configuration} of every job inserted (dry runs included). */
  public List<JsonNode> jobConfigurations() {
    return List.copyOf(jobConfigurations);
  }

  /** How many token grants the fake issued. */
  public int tokenGrants() {
    return tokenGrants.get();
  }

  public void clearLog() {
    requests.clear();
    queries.clear();
    dryRuns.clear();
    jobConfigurations.clear();
  }

  /** Jobs still running whose SQL matches a LIKE pattern ({@code %} and {@code _}). */
  public int runningJobsLike(String pattern) {
    String regex = ("\\Q" + pattern + "\\E").replace("%", "\\E.*\\Q").replace("_", "\\E.\\Q");
    java.util.regex.Pattern p = java.util.regex.Pattern.compile(regex, java.util.regex.Pattern.DOTALL
        | java.util.regex.Pattern.CASE_INSENSITIVE);
    return (int) jobs.values().stream()
        .filter(j -> !j.dryRun && !"DONE".equals(j.state) && p.matcher(j.query).matches()).count();
  }

  @Override
  public void close() {
    http.stop(0);
    jobs.values().forEach(FakeJob::cancel);
    workers.shutdownNow();
    timers.shutdownNow();
    try {
      keepAlive.close();
    } catch (SQLException e) {
      // in-memory: gone with the JVM
    }
  }

  // ---- HTTP ----

  private record Response(int status, JsonNode body) {}

  private void handle(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getRawPath();
    String query = ex.getRequestURI().getRawQuery();
    requests.add(method + " " + path + (query == null ? "" : "?" + query));
    Response r;
    try {
      byte[] body = ex.getRequestBody().readAllBytes();
      // Google's API clients gzip request bodies.
      if ("gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
        try (InputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
          body = in.readAllBytes();
        }
      }
      if (path.equals("/token")) {
        r = token(new String(body, StandardCharsets.UTF_8));
      } else if (!authorized(ex)) {
        r = error(401, "authError", "Request had invalid authentication credentials.");
      } else {
        r = route(method, path, params(query), body);
      }
    } catch (RuntimeException e) {
      r = error(500, "internalError", "fake failure: " + e);
    }
    byte[] out = JSON.writeValueAsBytes(r.body());
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    ex.sendResponseHeaders(r.status(), out.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(out);
    }
  }

  private boolean authorized(HttpExchange ex) {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    return auth != null && auth.startsWith("Bearer ") && tokens.contains(auth.substring(7));
  }

  private static Map<String, String> params(String query) {
    Map<String, String> m = new LinkedHashMap<>();
    if (query != null) {
      for (String p : query.split("&")) {
        int eq = p.indexOf('=');
        String k = URLDecoder.decode(eq < 0 ? p : p.substring(0, eq), StandardCharsets.UTF_8);
        String v = eq < 0 ? "" : URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8);
        m.put(k, v);
      }
    }
    return m;
  }

  private static Response error(int status, String reason, String message) {
    ObjectNode e = JSON.createObjectNode();
    ObjectNode err = e.putObject("error");
    err.put("code", status);
    err.put("message", message);
    ArrayNode errors = err.putArray("errors");
    ObjectNode one = errors.addObject();
    one.put("reason", reason);
    one.put("message", message);
    one.put("domain", "global");
    err.put("status", status == 404 ? "NOT_FOUND" : status == 401 ? "UNAUTHENTICATED"
        : status == 403 ? "PERMISSION_DENIED" : "INVALID_ARGUMENT");
    return new Response(status, e);
  }

  private Response route(String method, String path, Map<String, String> q, byte[] body) {
    String prefix = "/bigquery/v2/projects/";
    if (!path.startsWith(prefix)) {
      return error(404, "notFound", "Not found: " + path);
    }
    String[] parts = path.substring(prefix.length()).split("/");
    String proj = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
    if (!proj.equals(project)) {
      return error(404, "notFound", "Not found: Project " + proj);
    }
    List<String> p = new ArrayList<>();
    for (int i = 1; i < parts.length; i++) {
      p.add(URLDecoder.decode(parts[i], StandardCharsets.UTF_8));
    }
    if (p.size() == 1 && p.get(0).equals("jobs") && method.equals("POST")) {
      return insertJob(body);
    }
    if (p.size() == 2 && p.get(0).equals("jobs") && method.equals("GET")) {
      FakeJob j = jobs.get(p.get(1));
      return j == null ? error(404, "notFound", "Not found: Job " + project + ":" + p.get(1))
          : new Response(200, j.resource());
    }
    if (p.size() == 3 && p.get(0).equals("jobs") && p.get(2).equals("cancel") && method.equals("POST")) {
      FakeJob j = jobs.get(p.get(1));
      if (j == null) {
        return error(404, "notFound", "Not found: Job " + project + ":" + p.get(1));
      }
      j.cancel();
      ObjectNode r = JSON.createObjectNode();
      r.put("kind", "bigquery#jobCancelResponse");
      r.set("job", j.resource());
      return new Response(200, r);
    }
    if (p.size() >= 2 && p.get(0).equals("datasets") && method.equals("GET")) {
      String dataset = p.get(1);
      if (p.size() == 5 && p.get(2).equals("tables") && p.get(4).equals("data")) {
        return tableData(dataset, p.get(3), q);
      }
      if (!datasetExists(dataset)) {
        return error(404, "notFound", "Not found: Dataset " + project + ":" + dataset);
      }
      if (p.size() == 2) {
        ObjectNode d = JSON.createObjectNode();
        d.put("kind", "bigquery#dataset");
        d.put("id", project + ":" + dataset);
        d.putObject("datasetReference").put("projectId", project).put("datasetId", dataset);
        d.put("location", "US");
        return new Response(200, d);
      }
      if (p.size() == 3 && p.get(2).equals("tables")) {
        return listTables(dataset, q);
      }
      if (p.size() == 4 && p.get(2).equals("tables")) {
        return getTable(dataset, p.get(3));
      }
    }
    return error(404, "notFound", "Not found: " + method + " " + path);
  }

  // ---- OAuth ----

  /** The JWT bearer grant of service accounts (RFC 7523), with the signature checked. */
  private Response token(String form) {
    Map<String, String> f = params(form);
    ObjectNode bad = JSON.createObjectNode();
    bad.put("error", "invalid_grant");
    bad.put("error_description", "Invalid JWT Signature.");
    if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(f.get("grant_type"))
        || f.get("assertion") == null) {
      bad.put("error_description", "Invalid grant_type or assertion.");
      return new Response(400, bad);
    }
    String[] jwt = f.get("assertion").split("\\.");
    try {
      Base64.Decoder d = Base64.getUrlDecoder();
      JsonNode header = JSON.readTree(d.decode(jwt[0]));
      JsonNode claims = JSON.readTree(d.decode(jwt[1]));
      PublicKey key = accounts.get(claims.path("iss").asText());
      if (key == null || !"RS256".equals(header.path("alg").asText())) {
        return new Response(400, bad);
      }
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initVerify(key);
      s.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
      if (!s.verify(d.decode(jwt[2]))) {
        return new Response(400, bad);
      }
      long now = Instant.now().getEpochSecond();
      // Google's token endpoint takes its own address as the audience (what the auth library
      // sends, whatever the key file's token_uri says).
      String aud = claims.path("aud").asText();
      if (!(aud.equals(GOOGLE_TOKEN_AUDIENCE) || aud.equals(tokenUri())) || claims.path("exp").asLong() < now
          || !claims.path("scope").asText().contains("https://www.googleapis.com/auth/bigquery")) {
        bad.put("error_description", "Invalid JWT: audience, expiry or scope.");
        return new Response(400, bad);
      }
    } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
      return new Response(400, bad);
    }
    String token = "fake-token-" + UUID.randomUUID();
    tokens.add(token);
    tokenGrants.incrementAndGet();
    ObjectNode ok = JSON.createObjectNode();
    ok.put("access_token", token);
    ok.put("expires_in", 3600);
    ok.put("token_type", "Bearer");
    return new Response(200, ok);
  }

  // ---- jobs ----

  private Response insertJob(byte[] body) {
    JsonNode job;
    try {
      job = JSON.readTree(body);
    } catch (IOException e) {
      return error(400, "invalid", "Invalid JSON payload.");
    }
    JsonNode config = job.path("configuration");
    jobConfigurations.add(config);
    JsonNode qc = config.path("query");
    if (qc.isMissingNode()) {
      return error(400, "invalid", "The fake runs query jobs only.");
    }
    String text = qc.path("query").asText();
    // The REST default is legacy SQL; the fake, like Gatehouse, speaks GoogleSQL only.
    if (!qc.has("useLegacySql") || qc.path("useLegacySql").asBoolean(true)) {
      return error(400, "invalidQuery", "Legacy SQL is not supported by the fake; set useLegacySql=false.");
    }
    boolean dry = config.path("dryRun").asBoolean(false);
    (dry ? dryRuns : queries).add(text);
    FakeSql.Translation t;
    try {
      t = sql.translate(text);
    } catch (FakeSql.Invalid e) {
      return error(e.reason.equals("notFound") ? 404 : 400, e.reason, e.getMessage());
    }
    for (FakeSql.TableRef ref : t.tables()) {
      if (!tableExists(ref.dataset(), ref.table())) {
        return error(404, "notFound", "Not found: Table " + project + ":" + ref.dataset() + "."
            + ref.table() + " was not found in location US");
      }
    }
    String jobId = job.path("jobReference").path("jobId").asText(null);
    if (jobId == null) {
      jobId = "job_" + UUID.randomUUID().toString().replace("-", "");
    }
    if (!dry && jobs.containsKey(jobId)) {
      return error(409, "duplicate", "Already Exists: Job " + project + ":" + jobId);
    }
    String location = job.path("jobReference").path("location").asText("US");
    FakeJob j = new FakeJob(jobId, location, text, dry, config, t);
    if (!dry) {
      jobs.put(jobId, j);
    }
    try {
      j.bytes = bytesProcessed(t, dry);
    } catch (SQLException e) {
      return error(500, "internalError", "fake: sizing failed: " + e.getMessage());
    }
    if (dry) {
      if (t.h2Sql() != null) {
        try (Connection c = adminConnection(); PreparedStatement ps = c.prepareStatement(t.h2Sql())) {
          j.schema = schemaOf(ps.getMetaData(), c);
        } catch (SQLException e) {
          return error(400, "invalidQuery", e.getMessage().split("\n")[0]);
        }
      }
      j.state = "DONE";
      return new Response(200, j.resource());
    }
    if (!"SELECT".equals(t.statementType())) {
      // Gatehouse must never get here: the dry run's statement type stops it first.
      j.finish(JSON.createObjectNode().put("reason", "accessDenied")
          .put("message", "the fake refuses to modify its fixture"));
      return new Response(200, j.resource());
    }
    long cap = qc.path("maximumBytesBilled").asLong(Long.MAX_VALUE);
    long billed = Math.max(j.bytes, 10L * 1024 * 1024); // BigQuery bills at least 10 MB
    if (billed > cap) {
      j.finish(JSON.createObjectNode().put("reason", "bytesBilledLimitExceeded")
          .put("message", "Query exceeded limit for bytes billed: " + cap + ". " + billed
              + " or higher required."));
      return new Response(200, j.resource());
    }
    j.state = "RUNNING";
    long timeout = config.path("jobTimeoutMs").asLong(0);
    if (timeout > 0) {
      j.timer = timers.schedule(() -> j.stop("timeout", "Job timed out after " + timeout + " ms"),
          timeout, TimeUnit.MILLISECONDS);
    }
    j.future = workers.submit(() -> j.run(qc.path("queryParameters")));
    return new Response(200, j.resource());
  }

  /** Bytes a statement reads: every column of every table it reads, as BigQuery sizes them. */
  private long bytesProcessed(FakeSql.Translation t, boolean dry) throws SQLException {
    long sum = 0;
    for (FakeSql.TableRef ref : t.tables()) {
      if (dry && externalTables.contains(ref.dataset() + "." + ref.table())) {
        continue; // BigQuery cannot estimate external tables in a dry run
      }
      sum += tableStats(ref.dataset(), ref.table())[1];
    }
    return sum;
  }

  /** Rows and BigQuery storage bytes of a fixture table. */
  private long[] tableStats(String dataset, String table) throws SQLException {
    try (Connection c = adminConnection()) {
      List<ObjectNode> fields = tableFields(c, dataset, table);
      StringBuilder q = new StringBuilder("SELECT COUNT(*)");
      for (ObjectNode f : fields) {
        String col = quote(f.path("name").asText());
        switch (f.path("type").asText()) {
          case "INTEGER": case "FLOAT": case "DATE": case "DATETIME": case "TIME": case "TIMESTAMP":
            q.append(", 8 * COUNT(*)");
            break;
          case "NUMERIC":
            q.append(", 16 * COUNT(*)");
            break;
          case "BIGNUMERIC":
            q.append(", 32 * COUNT(*)");
            break;
          case "BOOLEAN":
            q.append(", COUNT(*)");
            break;
          default:
            q.append(", 2 * COUNT(*) + COALESCE(SUM(OCTET_LENGTH(CAST(").append(col)
                .append(" AS VARCHAR))), 0)");
        }
      }
      q.append(" FROM ").append(quote(dataset)).append('.').append(quote(table));
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(q.toString())) {
        rs.next();
        long bytes = 0;
        for (int i = 2; i <= fields.size() + 1; i++) {
          bytes += rs.getLong(i);
        }
        return new long[] {rs.getLong(1), bytes};
      }
    }
  }

  private static String quote(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  /** One job: its resource as the API shows it, and its execution over H2. */
  private final class FakeJob {
    final String id;
    final String location;
    final String query;
    final boolean dryRun;
    final JsonNode config;
    final FakeSql.Translation translation;
    final long created = System.currentTimeMillis();
    volatile String state = "PENDING";
    volatile ObjectNode error;
    volatile long bytes;
    volatile ArrayNode schema;
    volatile List<JsonNode> rows;
    volatile Statement statement;
    volatile java.util.concurrent.Future<?> future;
    volatile java.util.concurrent.ScheduledFuture<?> timer;
    volatile String stopReason;
    volatile String stopMessage;

    FakeJob(String id, String location, String query, boolean dryRun, JsonNode config,
        FakeSql.Translation translation) {
      this.id = id;
      this.location = location;
      this.query = query;
      this.dryRun = dryRun;
      this.config = config;
      this.translation = translation;
    }

    void run(JsonNode parameters) {
      try {
        if (queryDelayMillis > 0) {
          Thread.sleep(queryDelayMillis);
        }
        try (Connection c = adminConnection();
            PreparedStatement ps = c.prepareStatement(translation.h2Sql())) {
          statement = ps;
          if (stopReason != null) {
            throw new SQLException("stopped before start");
          }
          bind(ps, parameters);
          List<JsonNode> out = new ArrayList<>();
          try (ResultSet rs = ps.executeQuery()) {
            ArrayNode fields = schemaOf(rs.getMetaData(), c);
            while (rs.next()) {
              out.add(row(rs, fields));
            }
            schema = fields;
          }
          rows = out;
          finish(null);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        finish(stopError());
      } catch (SQLException | RuntimeException e) {
        if (stopReason != null) {
          finish(stopError());
        } else {
          String m = String.valueOf(e.getMessage()).split("\n")[0];
          if (m.contains("Division by zero")) {
            m = "division by zero: " + m;
          }
          finish(JSON.createObjectNode().put("reason", "invalidQuery").put("message", m));
        }
      }
    }

    private ObjectNode stopError() {
      return JSON.createObjectNode().put("reason", stopReason).put("message", stopMessage);
    }

    /** Cancellation or the job timeout: stop the H2 statement. */
    void stop(String reason, String message) {
      if ("DONE".equals(state)) {
        return;
      }
      stopReason = reason;
      stopMessage = message;
      Statement s = statement;
      if (s != null) {
        try {
          s.cancel();
        } catch (SQLException e) {
          // finished meanwhile
        }
      }
      java.util.concurrent.Future<?> f = future;
      if (f != null && s == null) {
        f.cancel(true);
      }
    }

    void cancel() {
      stop("stopped", "Job execution was cancelled: User requested cancellation");
    }

    synchronized void finish(ObjectNode err) {
      if ("DONE".equals(state)) {
        return;
      }
      error = err;
      state = "DONE";
      if (timer != null) {
        timer.cancel(false);
      }
    }

    ObjectNode resource() {
      ObjectNode r = JSON.createObjectNode();
      r.put("kind", "bigquery#job");
      r.put("id", project + ":" + location + "." + id);
      ObjectNode ref = r.putObject("jobReference");
      ref.put("projectId", project);
      if (!dryRun) {
        ref.put("jobId", id);
      }
      ref.put("location", location);
      ObjectNode conf = config.deepCopy();
      if (!dryRun) {
        ((ObjectNode) conf.path("query")).putObject("destinationTable")
            .put("projectId", project).put("datasetId", RESULTS_DATASET).put("tableId", "anon_" + id);
      }
      r.set("configuration", conf);
      ObjectNode status = r.putObject("status");
      status.put("state", state);
      if (error != null) {
        status.set("errorResult", error);
        status.putArray("errors").add(error);
      }
      ObjectNode stats = r.putObject("statistics");
      stats.put("creationTime", Long.toString(created));
      ObjectNode qs = stats.putObject("query");
      qs.put("totalBytesProcessed", Long.toString(bytes));
      qs.put("statementType", translation.statementType());
      if ("DONE".equals(state) && error == null) {
        if (!dryRun) {
          qs.put("totalBytesBilled", Long.toString(Math.max(bytes, 10L * 1024 * 1024)));
        }
        if (schema != null) {
          qs.putObject("schema").set("fields", schema);
        }
      }
      return r;
    }
  }

  /** Binds BigQuery's positional parameters ({@code ?}) to the H2 statement. */
  private static void bind(PreparedStatement ps, JsonNode parameters) throws SQLException {
    int i = 0;
    for (JsonNode p : parameters) {
      i++;
      String type = p.path("parameterType").path("type").asText();
      JsonNode v = p.path("parameterValue").path("value");
      if (v.isMissingNode() || v.isNull()) {
        ps.setObject(i, null);
        continue;
      }
      String s = v.asText();
      switch (type) {
        case "INT64":
          ps.setLong(i, Long.parseLong(s));
          break;
        case "FLOAT64":
          ps.setDouble(i, Double.parseDouble(s));
          break;
        case "NUMERIC":
        case "BIGNUMERIC":
          ps.setBigDecimal(i, new BigDecimal(s));
          break;
        case "BOOL":
          ps.setBoolean(i, Boolean.parseBoolean(s));
          break;
        case "BYTES":
          ps.setBytes(i, Base64.getDecoder().decode(s));
          break;
        case "DATE":
          ps.setObject(i, LocalDate.parse(s));
          break;
        case "DATETIME":
          ps.setObject(i, LocalDateTime.parse(s.replace(' ', 'T')));
          break;
        case "TIME":
          ps.setObject(i, LocalTime.parse(s));
          break;
        case "TIMESTAMP":
          ps.setObject(i, OffsetDateTime.parse(s.replace(' ', 'T').replaceAll("([+-]\\d\\d)$", "$1:00")));
          break;
        default:
          ps.setString(i, s);
      }
    }
  }

  // ---- results ----

  /** The BigQuery schema of an H2 result: from the column's declared BigQuery type or H2's. */
  private ArrayNode schemaOf(ResultSetMetaData md, Connection c) throws SQLException {
    ArrayNode fields = JSON.createArrayNode();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      ObjectNode f = null;
      String table = md.getTableName(i);
      if (table != null && !table.isEmpty()) {
        f = declared(c, md.getSchemaName(i), table, md.getColumnName(i));
      }
      if (f == null) {
        f = fieldFor(md.getColumnType(i), md.getColumnTypeName(i), md.getPrecision(i), md.getScale(i));
      }
      f.put("name", md.getColumnLabel(i));
      f.put("mode", f.path("mode").asText("NULLABLE"));
      fields.add(f);
    }
    return fields;
  }

  private ObjectNode declared(Connection c, String schema, String table, String column)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT remarks FROM information_schema.columns"
        + " WHERE table_schema = ? AND table_name = ? AND column_name = ?")) {
      ps.setString(1, schema);
      ps.setString(2, table);
      ps.setString(3, column);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next() && rs.getString(1) != null && rs.getString(1).startsWith("{")) {
          return (ObjectNode) JSON.readTree(rs.getString(1));
        }
      }
    } catch (IOException e) {
      throw new SQLException("bad BigQuery type in a column comment", e);
    }
    return null;
  }

  private static ObjectNode fieldFor(int jdbcType, String typeName, int precision, int scale) {
    ObjectNode f = JSON.createObjectNode();
    switch (jdbcType) {
      case Types.TINYINT: case Types.SMALLINT: case Types.INTEGER: case Types.BIGINT:
        f.put("type", "INTEGER");
        break;
      case Types.REAL: case Types.FLOAT: case Types.DOUBLE:
        f.put("type", "FLOAT");
        break;
      case Types.DECIMAL: case Types.NUMERIC:
        boolean big = scale > 9 || precision - scale > 29;
        f.put("type", big ? "BIGNUMERIC" : "NUMERIC");
        if (precision > 0 && precision < (big ? 76 : 38)) {
          f.put("precision", Integer.toString(precision));
          f.put("scale", Integer.toString(scale));
        }
        break;
      case Types.BOOLEAN: case Types.BIT:
        f.put("type", "BOOLEAN");
        break;
      case Types.BINARY: case Types.VARBINARY: case Types.BLOB:
        f.put("type", "BYTES");
        break;
      case Types.DATE:
        f.put("type", "DATE");
        break;
      case Types.TIME:
        f.put("type", "TIME");
        break;
      case Types.TIMESTAMP:
        f.put("type", "DATETIME");
        break;
      case Types.TIMESTAMP_WITH_TIMEZONE:
        f.put("type", "TIMESTAMP");
        break;
      default:
        f.put("type", "STRING");
    }
    return f;
  }

  private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSSSSS]");

  /** One result row in the API's {@code {"f":[{"v":...}]}} form. */
  private static JsonNode row(ResultSet rs, ArrayNode fields) throws SQLException {
    ObjectNode row = JSON.createObjectNode();
    ArrayNode f = row.putArray("f");
    for (int i = 1; i <= fields.size(); i++) {
      JsonNode field = fields.get(i - 1);
      ObjectNode cell = f.addObject();
      Object v = rs.getObject(i);
      if (v == null) {
        cell.putNull("v");
        continue;
      }
      String type = field.path("type").asText();
      boolean nested = "RECORD".equals(type) || "STRUCT".equals(type)
          || "REPEATED".equals(field.path("mode").asText());
      if (nested) {
        try {
          cell.set("v", JSON.readTree(rs.getString(i))); // stored in wire form
        } catch (IOException e) {
          throw new SQLException("bad nested value in fixture", e);
        }
        continue;
      }
      switch (type) {
        case "BOOLEAN":
          cell.put("v", Boolean.toString(rs.getBoolean(i)));
          break;
        case "BYTES":
          cell.put("v", Base64.getEncoder().encodeToString(rs.getBytes(i)));
          break;
        case "NUMERIC":
        case "BIGNUMERIC":
          cell.put("v", rs.getBigDecimal(i).stripTrailingZeros().toPlainString());
          break;
        case "FLOAT": {
          double d = rs.getDouble(i);
          cell.put("v", Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity")
              : Double.toString(d));
          break;
        }
        case "DATE":
          cell.put("v", rs.getObject(i, LocalDate.class).toString());
          break;
        case "DATETIME":
          cell.put("v", DATETIME.format(rs.getObject(i, LocalDateTime.class)));
          break;
        case "TIME":
          cell.put("v", DateTimeFormatter.ISO_LOCAL_TIME.format(rs.getObject(i, LocalTime.class)));
          break;
        case "TIMESTAMP": {
          Instant t = rs.getObject(i, OffsetDateTime.class).toInstant();
          cell.put("v", Long.toString(t.getEpochSecond() * 1_000_000L + t.getNano() / 1000));
          break;
        }
        default:
          cell.put("v", rs.getString(i));
      }
    }
    return row;
  }

  /** tabledata.list of a job's result table: pages of {@code maxResults} rows. */
  private Response tableData(String dataset, String table, Map<String, String> q) {
    if (!dataset.equals(RESULTS_DATASET) || !table.startsWith("anon_")) {
      return error(400, "invalid", "the fake serves table data of query results only");
    }
    FakeJob j = jobs.get(table.substring(5));
    if (j == null || j.rows == null) {
      return error(404, "notFound", "Not found: Table " + project + ":" + dataset + "." + table);
    }
    List<JsonNode> all = j.rows;
    int start = q.containsKey("pageToken") ? Integer.parseInt(q.get("pageToken"))
        : Integer.parseInt(q.getOrDefault("startIndex", "0"));
    int max = Integer.parseInt(q.getOrDefault("maxResults", "100000"));
    int end = Math.min(all.size(), start + max);
    boolean int64Timestamps = "true".equals(q.get("formatOptions.useInt64Timestamp"));
    ObjectNode r = JSON.createObjectNode();
    r.put("kind", "bigquery#tableDataList");
    r.put("totalRows", Integer.toString(all.size()));
    ArrayNode rows = r.putArray("rows");
    for (int i = start; i < end; i++) {
      rows.add(int64Timestamps ? all.get(i) : secondsTimestamps(all.get(i), j.schema));
    }
    if (end < all.size()) {
      r.put("pageToken", Integer.toString(end));
    }
    return new Response(200, r);
  }

  /**
   * Without useInt64Timestamp the API sends TIMESTAMP as seconds in scientific notation, with all
   * the digits of the microseconds ({@code "1.709294400000001E9"}).
   */
  private static JsonNode secondsTimestamps(JsonNode row, ArrayNode schema) {
    ObjectNode copy = row.deepCopy();
    for (int i = 0; i < schema.size(); i++) {
      JsonNode cell = copy.path("f").get(i);
      if ("TIMESTAMP".equals(schema.get(i).path("type").asText()) && cell.path("v").isTextual()) {
        ((ObjectNode) cell).put("v", seconds(Long.parseLong(cell.path("v").asText())));
      }
    }
    return copy;
  }

  static String seconds(long micros) {
    BigDecimal s = BigDecimal.valueOf(micros, 6).stripTrailingZeros();
    String digits = s.unscaledValue().abs().toString();
    int exponent = s.precision() - s.scale() - 1;
    String mantissa = digits.charAt(0) + "." + (digits.length() > 1 ? digits.substring(1) : "0");
    return (micros < 0 ? "-" : "") + mantissa + "E" + exponent;
  }

  // ---- datasets and tables ----

  private boolean datasetExists(String dataset) {
    try (Connection c = adminConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT 1 FROM information_schema.schemata WHERE schema_name = ?")) {
      ps.setString(1, dataset);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private boolean tableExists(String dataset, String table) {
    try (Connection c = adminConnection();
        PreparedStatement ps = c.prepareStatement("SELECT 1 FROM information_schema.tables"
            + " WHERE table_schema = ? AND table_name = ?")) {
      ps.setString(1, dataset);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private Response listTables(String dataset, Map<String, String> q) {
    List<String[]> all = new ArrayList<>();
    try (Connection c = adminConnection();
        PreparedStatement ps = c.prepareStatement("SELECT table_name, table_type FROM"
            + " information_schema.tables WHERE table_schema = ? ORDER BY table_name")) {
      ps.setString(1, dataset);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          all.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
    } catch (SQLException e) {
      return error(500, "internalError", e.getMessage());
    }
    int start = q.containsKey("pageToken") ? Integer.parseInt(q.get("pageToken")) : 0;
    int max = Integer.parseInt(q.getOrDefault("maxResults", "50"));
    int end = Math.min(all.size(), start + max);
    ObjectNode r = JSON.createObjectNode();
    r.put("kind", "bigquery#tableList");
    r.put("totalItems", all.size());
    ArrayNode tables = r.putArray("tables");
    for (String[] t : all.subList(start, end)) {
      ObjectNode o = tables.addObject();
      o.put("kind", "bigquery#table");
      o.put("id", project + ":" + dataset + "." + t[0]);
      o.putObject("tableReference").put("projectId", project).put("datasetId", dataset)
          .put("tableId", t[0]);
      o.put("type", t[1].contains("VIEW") ? "VIEW" : "TABLE");
    }
    if (end < all.size()) {
      r.put("nextPageToken", Integer.toString(end));
    }
    return new Response(200, r);
  }

  private Response getTable(String dataset, String table) {
    if (!tableExists(dataset, table)) {
      return error(404, "notFound", "Not found: Table " + project + ":" + dataset + "." + table);
    }
    try (Connection c = adminConnection()) {
      ObjectNode r = JSON.createObjectNode();
      r.put("kind", "bigquery#table");
      r.put("id", project + ":" + dataset + "." + table);
      r.putObject("tableReference").put("projectId", project).put("datasetId", dataset)
          .put("tableId", table);
      String type = "TABLE";
      String remarks = null;
      try (PreparedStatement ps = c.prepareStatement("SELECT table_type, remarks FROM"
          + " information_schema.tables WHERE table_schema = ? AND table_name = ?")) {
        ps.setString(1, dataset);
        ps.setString(2, table);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          type = rs.getString(1).contains("VIEW") ? "VIEW" : "TABLE";
          remarks = rs.getString(2);
        }
      }
      r.put("type", type);
      if (remarks != null && !remarks.isEmpty()) {
        r.put("description", remarks);
      }
      ArrayNode fields = JSON.createArrayNode();
      tableFields(c, dataset, table).forEach(fields::add);
      r.putObject("schema").set("fields", fields);
      if (type.equals("TABLE")) {
        long[] stats = tableStats(dataset, table);
        r.put("numRows", Long.toString(stats[0]));
        r.put("numBytes", Long.toString(stats[1]));
      }
      List<String> pk = primaryKey(c, dataset, table);
      if (!pk.isEmpty()) {
        ObjectNode constraints = r.putObject("tableConstraints");
        ArrayNode cols = constraints.putObject("primaryKey").putArray("columns");
        pk.forEach(cols::add);
      }
      return new Response(200, r);
    } catch (SQLException e) {
      return error(500, "internalError", e.getMessage());
    }
  }

  private List<ObjectNode> tableFields(Connection c, String dataset, String table) throws SQLException {
    List<ObjectNode> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT column_name, data_type, numeric_precision,"
        + " numeric_scale, is_nullable, remarks FROM information_schema.columns WHERE table_schema = ?"
        + " AND table_name = ? ORDER BY ordinal_position")) {
      ps.setString(1, dataset);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ObjectNode f;
          String remarks = rs.getString(6);
          if (remarks != null && remarks.startsWith("{")) {
            try {
              f = (ObjectNode) JSON.readTree(remarks);
            } catch (IOException e) {
              throw new SQLException("bad BigQuery type in a column comment", e);
            }
          } else {
            f = fieldFor(h2Type(rs.getString(2)), rs.getString(2), rs.getInt(3), rs.getInt(4));
            if (remarks != null && !remarks.isEmpty()) {
              f.put("description", remarks);
            }
          }
          ObjectNode named = JSON.createObjectNode();
          named.put("name", rs.getString(1));
          named.setAll(f);
          named.put("mode", f.path("mode").asText("YES".equals(rs.getString(5)) ? "NULLABLE" : "REQUIRED"));
          out.add(named);
        }
      }
    }
    return out;
  }

  private static int h2Type(String dataType) {
    switch (dataType.toUpperCase(Locale.ROOT)) {
      case "TINYINT": return Types.TINYINT;
      case "SMALLINT": return Types.SMALLINT;
      case "INTEGER": return Types.INTEGER;
      case "BIGINT": return Types.BIGINT;
      case "REAL": return Types.REAL;
      case "DOUBLE PRECISION": return Types.DOUBLE;
      case "NUMERIC": case "DECIMAL": return Types.DECIMAL;
      case "BOOLEAN": return Types.BOOLEAN;
      case "BINARY VARYING": case "BINARY": case "BINARY LARGE OBJECT": return Types.VARBINARY;
      case "DATE": return Types.DATE;
      case "TIME": return Types.TIME;
      case "TIMESTAMP": return Types.TIMESTAMP;
      case "TIMESTAMP WITH TIME ZONE": return Types.TIMESTAMP_WITH_TIMEZONE;
      default: return Types.VARCHAR;
    }
  }

  private static List<String> primaryKey(Connection c, String dataset, String table) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT k.column_name FROM"
        + " information_schema.table_constraints t JOIN information_schema.key_column_usage k"
        + " ON k.constraint_schema = t.constraint_schema AND k.constraint_name = t.constraint_name"
        + " WHERE t.constraint_type = 'PRIMARY KEY' AND t.table_schema = ? AND t.table_name = ?"
        + " ORDER BY k.ordinal_position")) {
      ps.setString(1, dataset);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

}
