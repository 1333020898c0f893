package io.gatehouse.adapter.snowflake.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.sql.Connection;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A FAKE Snowflake: an HTTP server on the loopback interface that speaks the part of Snowflake's
 * REST protocol the real {@code snowflake-jdbc} driver uses, so that tests drive the real driver
 * end to end. It is not Snowflake and makes no claim to behave like it beyond what is written here.
 *
 * <p>What it does, as the driver expects it:
 * <ul>
 *   <li>{@code POST /session/v1/login-request}: checks the account, the user and the credential
 *       (the password, or for key-pair users the RS256 JWT the driver signs with the private key,
 *       verified here with the registered public key, its fingerprint, subject and expiry), the
 *       requested role (it must be granted), and records the session parameters the client asked
 *       for ({@code QUERY_TAG}, {@code STATEMENT_TIMEOUT_IN_SECONDS}, ...).</li>
 *   <li>{@code POST /queries/v1/query-request} (gzip-compressed JSON): executes the statement over
 *       the fixture data of {@link FakeSnowflakeDatabase} and answers in the JSON result format
 *       ({@code rowtype}, {@code rowset} of strings, {@code queryResultFormat: "json"}), with
 *       positional bindings, describe-only requests and array binds for INSERT. The session's
 *       (or the statement's) {@code STATEMENT_TIMEOUT_IN_SECONDS} is enforced.</li>
 *   <li>{@code POST /queries/v1/abort-request}: cancels the running statement of that request id.</li>
 *   <li>{@code /session/heartbeat}, {@code /session?delete=true}, {@code /telemetry/send}.</li>
 *   <li>Session statements: {@code ALTER SESSION SET}, {@code USE ROLE|WAREHOUSE|SCHEMA},
 *       {@code USE SECONDARY ROLES ALL|NONE}, {@code COMMIT}, {@code ROLLBACK}.</li>
 * </ul>
 *
 * <p>Privileges are modelled only as far as the read-only posture needs: a role may write or not;
 * a session's privileges are its primary role's plus, while secondary roles are {@code ALL} (the
 * default of users created since 2024), those of every other role granted to the user. A write
 * without the privilege fails as Snowflake's does (003001, SQLState 42501).
 *
 * <p>Everything received is recorded (logins, statements, raw request bodies) for assertions.
 */
public final class FakeSnowflake implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String account;
  private final FakeSnowflakeDatabase database;
  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, User> users = new ConcurrentHashMap<>();
  private final Map<String, Boolean> roles = new ConcurrentHashMap<>();
  private final Map<String, FakeSession> sessionsByToken = new ConcurrentHashMap<>();
  private final Map<String, Running> running = new ConcurrentHashMap<>();
  private final List<Login> logins = new CopyOnWriteArrayList<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final AtomicLong ids = new AtomicLong(1000);
  private volatile boolean down;

  /** A user of the fake account. */
  public static final class User {
    final String name;
    final String password;
    final PublicKey publicKey;
    final String defaultRole;
    final Set<String> roles = ConcurrentHashMap.newKeySet();
    volatile boolean secondaryRolesAll = true;

    User(String name, String password, PublicKey publicKey, String defaultRole) {
      this.name = name;
      this.password = password;
      this.publicKey = publicKey;
      this.defaultRole = defaultRole;
      roles.add(defaultRole);
    }

    /** Grants another role to the user (usable as a secondary role). */
    public User grant(String role) {
      roles.add(role.toUpperCase(Locale.ROOT));
      return this;
    }
  }

  /**
   * One login attempt.
   *
   * @param authenticator {@code SNOWFLAKE} (password) or {@code SNOWFLAKE_JWT} (key pair)
   * @param sessionParameters what the client asked for in {@code SESSION_PARAMETERS}
   * @param error null when the login succeeded, else the code it was refused with
   */
  public record Login(String user, String authenticator, String role, String warehouse,
      String database, String schema, Map<String, Object> sessionParameters, String error) {}

  /**
   * One statement received.
   *
   * @param queryTag the QUERY_TAG in force for it (statement parameter, else session's)
   * @param timeoutSeconds the STATEMENT_TIMEOUT_IN_SECONDS in force for it, 0 for none
   * @param secondaryRoles ALL or NONE, as the session had it when the statement ran
   */
  public record Received(long sessionId, String user, String role, String secondaryRoles, String sql,
      boolean describeOnly, String queryTag, int timeoutSeconds) {}

  private static final class FakeSession {
    final long sessionId;
    final User user;
    volatile String role;
    volatile String secondaryRoles;
    volatile String schema;
    volatile String warehouse;
    final Map<String, Object> parameters = new ConcurrentHashMap<>();
    final Connection h2;

    FakeSession(long sessionId, User user, String role, Connection h2) {
      this.sessionId = sessionId;
      this.user = user;
      this.role = role;
      this.secondaryRoles = user.secondaryRolesAll ? "ALL" : "NONE";
      this.h2 = h2;
    }
  }

  private static final class Running {
    final String sql;
    final Statement statement;
    final AtomicBoolean cancelled = new AtomicBoolean();

    Running(String sql, Statement statement) {
      this.sql = sql;
      this.statement = statement;
    }
  }

  /** Starts a fake account holding one database, listening on a free loopback port. */
  public FakeSnowflake(String account, String databaseName) throws IOException, SQLException {
    this.account = account.toUpperCase(Locale.ROOT);
    this.database = new FakeSnowflakeDatabase(databaseName.toUpperCase(Locale.ROOT));
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fake-snowflake");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  // ---- set-up ----

  public int port() {
    return server.getAddress().getPort();
  }

  public String account() {
    return account;
  }

  public FakeSnowflakeDatabase database() {
    return database;
  }

  /** A role; {@code canWrite} false makes it read-only. */
  public void createRole(String name, boolean canWrite) {
    roles.put(name.toUpperCase(Locale.ROOT), canWrite);
  }

  public User addPasswordUser(String name, String password, String defaultRole) {
    User u = new User(name.toUpperCase(Locale.ROOT), password, null, defaultRole.toUpperCase(Locale.ROOT));
    users.put(u.name, u);
    return u;
  }

  public User addKeyPairUser(String name, PublicKey publicKey, String defaultRole) {
    User u = new User(name.toUpperCase(Locale.ROOT), null, publicKey, defaultRole.toUpperCase(Locale.ROOT));
    users.put(u.name, u);
    return u;
  }

  /** While down, every request is refused at the HTTP level (as an unreachable service would be). */
  public void setDown(boolean down) {
    this.down = down;
  }

  // ---- what was received ----

  public List<Login> logins() {
    return List.copyOf(logins);
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  /** Statements executed (not describe-only requests), in order. */
  public List<Received> executed() {
    return received.stream().filter(r -> !r.describeOnly()).toList();
  }

  /** Every request as received: method, path with query string, and body (decompressed). */
  public List<String> rawRequests() {
    return List.copyOf(requests);
  }

  public void clearRecords() {
    logins.clear();
    received.clear();
    requests.clear();
  }

  /** The SQL of the statements running right now. */
  public List<String> runningStatements() {
    List<String> out = new ArrayList<>();
    running.values().forEach(r -> out.add(r.sql));
    return out;
  }

  /** The parameters each open session has, as the fake applies them (login values, then ALTER SESSION). */
  public List<Map<String, Object>> openSessionParameters() {
    List<Map<String, Object>> out = new ArrayList<>();
    sessionsByToken.values().forEach(s -> out.add(Map.copyOf(s.parameters)));
    return out;
  }

  public int openSessions() {
    return sessionsByToken.size();
  }

  // ---- HTTP ----

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (down) {
        ex.sendResponseHeaders(503, -1);
        return;
      }
      byte[] body = readBody(ex);
      String path = ex.getRequestURI().getPath();
      Map<String, String> query = queryParameters(ex.getRequestURI().getRawQuery());
      requests.add(ex.getRequestMethod() + " " + ex.getRequestURI() + "\n"
          + new String(body, StandardCharsets.UTF_8));
      ObjectNode response;
      try {
        if (path.equals("/session/v1/login-request")) {
          response = login(query, JSON.readTree(body));
        } else if (path.equals("/queries/v1/query-request")) {
          response = query(session(ex), query.get("requestId"), JSON.readTree(body));
        } else if (path.equals("/queries/v1/abort-request")) {
          session(ex);
          response = abort(JSON.readTree(body));
        } else if (path.equals("/session/heartbeat")) {
          session(ex);
          response = ok(null);
        } else if (path.equals("/session") && "true".equals(query.get("delete"))) {
          closeSession(ex);
          response = ok(null);
        } else if (path.startsWith("/telemetry/")) {
          response = ok(null);
        } else {
          response = failure("390400", "the fake does not implement " + path, null);
        }
      } catch (FakeSnowflakeError e) {
        response = failure(e.code, e.getMessage(), e.sqlState);
      }
      byte[] out = JSON.writeValueAsBytes(response);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, out.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(out);
      }
    } catch (RuntimeException | IOException e) {
      // A fake's bug must be visible in the test output rather than as a hung driver.
      e.printStackTrace();
      throw e;
    }
  }

  private static byte[] readBody(HttpExchange ex) throws IOException {
    byte[] raw = ex.getRequestBody().readAllBytes();
    String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
    if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("gzip")) {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
        return in.readAllBytes();
      }
    }
    return raw;
  }

  private static Map<String, String> queryParameters(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null) {
      return out;
    }
    for (String p : raw.split("&")) {
      int eq = p.indexOf('=');
      if (eq > 0) {
        out.put(URLDecoder.decode(p.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static final Pattern TOKEN = Pattern.compile("Snowflake\\s+Token=\"([^\"]*)\"");

  private FakeSession session(HttpExchange ex) {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    Matcher m = auth == null ? null : TOKEN.matcher(auth);
    FakeSession s = m != null && m.find() ? sessionsByToken.get(m.group(1)) : null;
    if (s == null) {
      throw new FakeSnowflakeError("390111", null, "Session no longer exists.  New login required to access the service.");
    }
    return s;
  }

  private void closeSession(HttpExchange ex) {
    FakeSession s = session(ex);
    sessionsByToken.values().remove(s);
    try {
      s.h2.close();
    } catch (SQLException e) {
      // nothing to do
    }
  }

  // ---- login ----

  private ObjectNode login(Map<String, String> query, JsonNode request) throws IOException {
    JsonNode data = request.path("data");
    String userName = data.path("LOGIN_NAME").asText("").toUpperCase(Locale.ROOT);
    String authenticator = data.path("AUTHENTICATOR").asText("SNOWFLAKE");
    Map<String, Object> sessionParameters = new TreeMap<>();
    data.path("SESSION_PARAMETERS").fields().forEachRemaining(e ->
        sessionParameters.put(e.getKey().toUpperCase(Locale.ROOT), value(e.getValue())));
    String role = fold(query.get("roleName"));
    String warehouse = fold(query.get("warehouse"));
    String db = fold(query.get("databaseName"));
    String schema = fold(query.get("schemaName"));
    String error = null;
    User user = users.get(userName);
    if (!account.equals(data.path("ACCOUNT_NAME").asText("").toUpperCase(Locale.ROOT))) {
      error = "390100";
    } else if (user == null) {
      error = "390100";
    } else if (authenticator.equals("SNOWFLAKE_JWT")) {
      if (user.publicKey == null || !validJwt(data.path("TOKEN").asText(""), user)) {
        error = "390144";
      }
    } else if (authenticator.equals("SNOWFLAKE")) {
      if (user.password == null || !user.password.equals(data.path("PASSWORD").asText(null))) {
        error = "390100";
      }
    } else {
      error = "390100";
    }
    if (error == null && role != null && !user.roles.contains(role)) {
      error = "390189";
    }
    logins.add(new Login(userName, authenticator, role, warehouse, db, schema,
        Collections.unmodifiableMap(new TreeMap<>(sessionParameters)), error));
    if (error != null) {
      String message = switch (error) {
        case "390144" -> "JWT token is invalid.";
        case "390189" -> "Role '" + role + "' specified in the connect string is not granted to this user."
            + " Contact your local system administrator, or attempt to login with another role, e.g. PUBLIC.";
        default -> "Incorrect username or password was specified.";
      };
      ObjectNode r = JSON.createObjectNode();
      r.put("success", false);
      r.put("code", error);
      r.put("message", message);
      r.putObject("data").put("nextAction", "RETRY_LOGIN");
      return r;
    }
    String token = UUID.randomUUID().toString();
    FakeSession s;
    try {
      s = new FakeSession(ids.incrementAndGet(), user, role != null ? role : user.defaultRole, database.open());
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    s.parameters.put("TIMEZONE", "America/Los_Angeles"); // Snowflake's defaults
    s.parameters.put("AUTOCOMMIT", true);
    s.parameters.putAll(sessionParameters);
    s.warehouse = warehouse;
    s.schema = db != null && db.equals(database.name()) ? schema : null;
    sessionsByToken.put(token, s);
    ObjectNode r = ok(null);
    ObjectNode d = r.putObject("data");
    d.put("token", token);
    d.put("masterToken", UUID.randomUUID().toString());
    d.put("validityInSeconds", 3600);
    d.put("masterValidityInSeconds", 14400);
    d.put("sessionId", s.sessionId);
    d.put("serverVersion", "9.0.0 (fake)");
    d.set("parameters", parameters(s));
    ObjectNode info = d.putObject("sessionInfo");
    info.put("databaseName", db != null && db.equals(database.name()) ? db : null);
    info.put("schemaName", s.schema);
    info.put("warehouseName", warehouse);
    info.put("roleName", s.role);
    return r;
  }

  private static String fold(String identifier) {
    if (identifier == null || identifier.isEmpty()) {
      return null;
    }
    return identifier.startsWith("\"") && identifier.endsWith("\"") && identifier.length() > 1
        ? identifier.substring(1, identifier.length() - 1) : identifier.toUpperCase(Locale.ROOT);
  }

  private static Object value(JsonNode v) {
    if (v.isIntegralNumber()) {
      return v.asLong();
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    return typed(v.asText());
  }

  /** A parameter value as the server types it: TRUE/FALSE and whole numbers are not text. */
  private static Object typed(String v) {
    if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
      return Boolean.valueOf(v);
    }
    if (v.matches("-?\\d{1,18}")) {
      return Long.valueOf(v);
    }
    return v;
  }

  /** Verifies the key-pair login token as Snowflake documents it: RS256, iss, sub, exp. */
  private boolean validJwt(String jwt, User user) {
    String[] parts = jwt.split("\\.");
    if (parts.length != 3) {
      return false;
    }
    try {
      Base64.Decoder b64 = Base64.getUrlDecoder();
      JsonNode header = JSON.readTree(b64.decode(parts[0]));
      JsonNode claims = JSON.readTree(b64.decode(parts[1]));
      if (!"RS256".equals(header.path("alg").asText())) {
        return false;
      }
      Signature verifier = Signature.getInstance("SHA256withRSA");
      verifier.initVerify(user.publicKey);
      verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!verifier.verify(b64.decode(parts[2]))) {
        return false;
      }
      String fingerprint = "SHA256:" + Base64.getEncoder().encodeToString(
          MessageDigest.getInstance("SHA-256").digest(user.publicKey.getEncoded()));
      String subject = account + "." + user.name;
      return claims.path("sub").asText().equals(subject)
          && claims.path("iss").asText().equals(subject + "." + fingerprint)
          && claims.path("exp").asLong() > Instant.now().getEpochSecond();
    } catch (Exception e) {
      return false;
    }
  }

  private static ArrayNode parameters(FakeSession s) {
    ArrayNode list = JSON.createArrayNode();
    new TreeMap<>(s.parameters).forEach((k, v) -> {
      ObjectNode p = list.addObject();
      p.put("name", k);
      if (v instanceof Long l) {
        p.put("value", l);
      } else if (v instanceof Boolean b) {
        p.put("value", b);
      } else {
        p.put("value", String.valueOf(v));
      }
    });
    return list;
  }

  // ---- statements ----

  private ObjectNode abort(JsonNode request) {
    Running r = running.get(request.path("requestId").asText());
    if (r != null) {
      r.cancelled.set(true);
      try {
        r.statement.cancel();
      } catch (SQLException e) {
        // it ended meanwhile
      }
    }
    return ok(null);
  }

  private ObjectNode query(FakeSession s, String requestId, JsonNode request) {
    String sql = request.path("sqlText").asText();
    boolean describeOnly = request.path("describeOnly").asBoolean(false);
    Map<String, Object> statementParameters = new LinkedHashMap<>();
    request.path("parameters").fields().forEachRemaining(e ->
        statementParameters.put(e.getKey().toUpperCase(Locale.ROOT), value(e.getValue())));
    Object tag = statementParameters.getOrDefault("QUERY_TAG", s.parameters.get("QUERY_TAG"));
    Object timeout = statementParameters.getOrDefault("STATEMENT_TIMEOUT_IN_SECONDS",
        s.parameters.get("STATEMENT_TIMEOUT_IN_SECONDS"));
    int timeoutSeconds = timeout == null ? 0 : Integer.parseInt(timeout.toString());
    received.add(new Received(s.sessionId, s.user.name, s.role, s.secondaryRoles, sql, describeOnly,
        tag == null ? null : tag.toString(), timeoutSeconds));
    if (request.path("asyncExec").asBoolean(false)) {
      throw new FakeSnowflakeError("000002", "0A000", "the fake does not run asynchronous queries");
    }
    String queryId = UUID.randomUUID().toString();
    FakeSnowflakeDatabase.Kind kind = FakeSnowflakeDatabase.kindOf(sql);
    try {
      switch (kind) {
        case SESSION:
          return session(s, sql, queryId, describeOnly);
        case QUERY:
          return select(s, sql, requestId, queryId, describeOnly, request.path("bindings"), timeoutSeconds);
        case INSERT:
          requireWrite(s, sql);
          return insert(s, sql, queryId, describeOnly, request.path("bindings"));
        case CREATE_SCHEMA:
        case CREATE_TABLE:
        case DROP_SCHEMA:
          requireWrite(s, sql);
          if (!describeOnly) {
            if (kind == FakeSnowflakeDatabase.Kind.CREATE_SCHEMA) {
              database.createSchema(s.h2, sql);
            } else if (kind == FakeSnowflakeDatabase.Kind.DROP_SCHEMA) {
              database.dropSchema(s.h2, sql);
            } else {
              database.createTable(s.h2, s.schema, sql);
            }
          }
          return status(queryId, 0x6000, "Statement executed successfully.", describeOnly);
        default:
          requireWrite(s, sql);
          throw new FakeSnowflakeError("000002", "0A000", "the fake does not run this statement");
      }
    } catch (SQLException e) {
      throw translate(e, timeoutSeconds, false);
    }
  }

  /** Writes need a role that may write: the primary role, or with secondary roles ALL any granted one. */
  private void requireWrite(FakeSession s, String sql) {
    boolean allowed = Boolean.TRUE.equals(roles.get(s.role))
        || ("ALL".equals(s.secondaryRoles) && s.user.roles.stream().anyMatch(r -> Boolean.TRUE.equals(roles.get(r))));
    if (!allowed) {
      throw new FakeSnowflakeError("003001", "42501",
          "SQL access control error:\nInsufficient privileges to operate on this object.");
    }
  }

  private static final Pattern ALTER_SESSION = Pattern.compile(
      "(?is)^\\s*alter\\s+session\\s*(?:/\\*.*?\\*/)?\\s*set\\s+(.*?)\\s*;?\\s*$");
  private static final Pattern ASSIGNMENT = Pattern.compile(
      "(?s)\\s*([A-Za-z_][\\w]*)\\s*=\\s*('(?:[^']|'')*'|[^\\s,]+)\\s*,?");

  private ObjectNode session(FakeSession s, String sql, String queryId, boolean describeOnly) {
    String lower = sql.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").replaceAll(";$", "");
    int type = 0x4000;
    if (describeOnly) {
      return status(queryId, type, null, true);
    }
    Matcher alter = ALTER_SESSION.matcher(sql);
    if (alter.matches()) {
      type = 0x4100;
      Matcher a = ASSIGNMENT.matcher(alter.group(1));
      while (a.find()) {
        String v = a.group(2);
        s.parameters.put(a.group(1).toUpperCase(Locale.ROOT),
            v.startsWith("'") ? v.substring(1, v.length() - 1).replace("''", "'") : typed(v));
      }
    } else if (lower.equals("use secondary roles none")) {
      s.secondaryRoles = "NONE";
      type = 0x4300;
    } else if (lower.equals("use secondary roles all")) {
      s.secondaryRoles = "ALL";
      type = 0x4300;
    } else if (lower.startsWith("use role ")) {
      String role = fold(sql.trim().substring(9).trim());
      if (!s.user.roles.contains(role)) {
        throw new FakeSnowflakeError("003013", "42501", "SQL access control error:\nRequested role is not assigned to the executing user.");
      }
      s.role = role;
      type = 0x4300;
    } else if (lower.startsWith("use schema ")) {
      List<String> path = FakeSnowflakeDatabase.identifierPath(sql.trim().substring(11));
      s.schema = path.get(path.size() - 1);
      type = 0x4302;
    } else if (lower.startsWith("use warehouse ")) {
      s.warehouse = fold(sql.trim().substring(14).trim());
      type = 0x4303;
    } else if (lower.equals("commit") || lower.equals("rollback") || lower.equals("begin")) {
      type = 0x5000;
    } else {
      throw new FakeSnowflakeError("000002", "0A000", "the fake does not run this statement");
    }
    ObjectNode r = status(queryId, type, "Statement executed successfully.", false);
    ((ObjectNode) r.get("data")).set("parameters", parameters(s));
    return r;
  }

  private ObjectNode select(FakeSession s, String sql, String requestId, String queryId,
      boolean describeOnly, JsonNode bindings, int timeoutSeconds) throws SQLException {
    FakeSnowflakeDatabase.Translated t = database.translate(sql, s.schema);
    boolean readsData = false;
    for (List<String> table : t.tables()) {
      if (table.get(0).equals("INFORMATION_SCHEMA")) {
        database.refreshRowCounts(s.h2);
      } else {
        readsData = true;
      }
    }
    // As in Snowflake: metadata needs no warehouse, reading tables does.
    if (readsData && s.warehouse == null && !describeOnly) {
      throw new FakeSnowflakeError("000606", "57P03", "No active warehouse selected in the current"
          + " session.  Select an active warehouse with the 'use warehouse' command.");
    }
    try (PreparedStatement ps = s.h2.prepareStatement(t.h2Sql())) {
      if (describeOnly) {
        ObjectNode r = result(queryId, 0x1000, ps.getMetaData(), null);
        ((ObjectNode) r.get("data")).put("numberOfBinds", ps.getParameterMetaData().getParameterCount());
        return r;
      }
      bind(ps, bindings, -1);
      if (timeoutSeconds > 0) {
        ps.setQueryTimeout(timeoutSeconds);
      }
      Running run = new Running(sql, ps);
      if (requestId != null) {
        running.put(requestId, run);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return result(queryId, 0x1000, rs.getMetaData(), rs);
      } catch (SQLException e) {
        throw translate(e, timeoutSeconds, run.cancelled.get());
      } finally {
        if (requestId != null) {
          running.remove(requestId);
        }
      }
    }
  }

  private ObjectNode insert(FakeSession s, String sql, String queryId, boolean describeOnly,
      JsonNode bindings) throws SQLException {
    FakeSnowflakeDatabase.Translated t = database.translate(sql, s.schema);
    try (PreparedStatement ps = s.h2.prepareStatement(t.h2Sql())) {
      if (describeOnly) {
        ObjectNode r = status(queryId, 0x3100, null, true);
        ObjectNode d = (ObjectNode) r.get("data");
        d.put("numberOfBinds", ps.getParameterMetaData().getParameterCount());
        d.put("arrayBindSupported", true);
        return r;
      }
      long count = 0;
      int rows = arrayLength(bindings);
      if (rows < 0) {
        bind(ps, bindings, -1);
        count = ps.executeUpdate();
      } else {
        for (int row = 0; row < rows; row++) {
          bind(ps, bindings, row);
          ps.addBatch();
        }
        for (long n : ps.executeLargeBatch()) {
          count += n;
        }
      }
      ObjectNode r = status(queryId, 0x3100, null, false);
      ObjectNode d = (ObjectNode) r.get("data");
      ArrayNode rowtype = d.putArray("rowtype");
      column(rowtype, "number of rows inserted", "fixed", 19, 0, 0, false);
      d.putArray("rowset").addArray().add(Long.toString(count));
      d.put("total", 1);
      d.put("returned", 1);
      return r;
    }
  }

  private static int arrayLength(JsonNode bindings) {
    Iterator<JsonNode> it = bindings.elements();
    if (it.hasNext()) {
      JsonNode v = it.next().path("value");
      if (v.isArray()) {
        return v.size();
      }
    }
    return -1;
  }

  /** Binds Snowflake's positional bindings ({@code "1": {"type": "FIXED", "value": "42"}}). */
  private static void bind(PreparedStatement ps, JsonNode bindings, int row) throws SQLException {
    ParameterMetaData pmd = ps.getParameterMetaData();
    for (int i = 1; i <= pmd.getParameterCount(); i++) {
      JsonNode b = bindings.path(Integer.toString(i));
      if (b.isMissingNode()) {
        throw new FakeSnowflakeError("002049", "07001", "SQL compilation error: Bind variable ? not set.");
      }
      JsonNode v = row >= 0 ? b.path("value").path(row) : b.path("value");
      ps.setObject(i, v.isNull() || v.isMissingNode() ? null : bindValue(b.path("type").asText(), v.asText()));
    }
  }

  private static Object bindValue(String type, String v) {
    switch (type) {
      case "FIXED":
        return new BigDecimal(v);
      case "REAL":
        return Double.valueOf(v);
      case "BOOLEAN":
        return v.equalsIgnoreCase("true") || v.equals("1");
      case "DATE":
        return LocalDate.ofEpochDay(Math.floorDiv(Long.parseLong(v), 86_400_000L));
      case "TIME":
        return LocalTime.ofNanoOfDay(Long.parseLong(v));
      case "TIMESTAMP_NTZ":
      case "TIMESTAMP_LTZ": {
        long nanos = Long.parseLong(v.split(" ")[0]);
        LocalDateTime utc = LocalDateTime.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L),
            (int) Math.floorMod(nanos, 1_000_000_000L), ZoneOffset.UTC);
        return type.equals("TIMESTAMP_NTZ") ? utc : utc.atOffset(ZoneOffset.UTC);
      }
      case "BINARY":
        return HexFormat.of().parseHex(v);
      default:
        return v;
    }
  }

  private static FakeSnowflakeError translate(SQLException e, int timeoutSeconds, boolean cancelled) {
    if (e.getErrorCode() == 57014 || "57014".equals(e.getSQLState())) {
      return cancelled || timeoutSeconds <= 0
          ? new FakeSnowflakeError("000604", "57014", "SQL execution canceled")
          : new FakeSnowflakeError("000630", "57014", "Statement reached its statement or warehouse"
              + " timeout of " + timeoutSeconds + " second(s) and was canceled.");
    }
    String state = e.getSQLState() == null ? "XX000" : e.getSQLState();
    if (state.equals("42S02") || state.equals("42S22") || state.equals("42S03")) {
      return new FakeSnowflakeError("002003", "42S02", "SQL compilation error:\nObject does not exist"
          + " or not authorized (fake: " + e.getMessage().split("\n")[0] + ")");
    }
    if (state.startsWith("42")) {
      return new FakeSnowflakeError("001003", "42000", "SQL compilation error (fake: "
          + e.getMessage().split("\n")[0] + ")");
    }
    if (state.equals("22012")) {
      return new FakeSnowflakeError("100051", "22012", "Division by zero");
    }
    return new FakeSnowflakeError("100000", state, "fake execution error: " + e.getMessage().split("\n")[0]);
  }

  // ---- responses ----

  private static ObjectNode ok(Object ignored) {
    ObjectNode r = JSON.createObjectNode();
    r.put("success", true);
    r.putNull("code");
    r.putNull("message");
    return r;
  }

  private static ObjectNode failure(String code, String message, String sqlState) {
    ObjectNode r = JSON.createObjectNode();
    r.put("success", false);
    r.put("code", code);
    r.put("message", message);
    ObjectNode d = r.putObject("data");
    if (sqlState != null) {
      d.put("sqlState", sqlState);
      d.put("errorCode", Integer.parseInt(code));
      d.put("queryId", UUID.randomUUID().toString());
    }
    return r;
  }

  /** A successful statement's response, its data holding the query id, type and format. */
  private static ObjectNode success(String queryId, int type) {
    ObjectNode r = ok(null);
    ObjectNode d = r.putObject("data");
    d.put("queryId", queryId);
    d.put("statementTypeId", type);
    d.put("queryResultFormat", "json");
    d.put("version", 1);
    return r;
  }

  private ObjectNode status(String queryId, int type, String message, boolean describeOnly) {
    ObjectNode r = success(queryId, type);
    ObjectNode d = (ObjectNode) r.get("data");
    ArrayNode rowtype = d.putArray("rowtype");
    if (message != null) {
      column(rowtype, "status", "text", -1, -1, 16777216, false);
      if (!describeOnly) {
        d.putArray("rowset").addArray().add(message);
        d.put("total", 1);
        d.put("returned", 1);
      }
    }
    d.put("numberOfBinds", 0);
    d.put("arrayBindSupported", false);
    return r;
  }

  private ObjectNode result(String queryId, int type, ResultSetMetaData md, ResultSet rs)
      throws SQLException {
    ObjectNode r = success(queryId, type);
    ObjectNode d = (ObjectNode) r.get("data");
    d.put("arrayBindSupported", false);
    ArrayNode rowtype = d.putArray("rowtype");
    List<FakeSnowflakeDatabase.SfType> types = new ArrayList<>();
    int n = md.getColumnCount();
    for (int i = 1; i <= n; i++) {
      FakeSnowflakeDatabase.SfType t = database.resultType(md, i);
      types.add(t);
      column(rowtype, md.getColumnLabel(i), t.rowType(), t.precision(), t.scale(), t.length(),
          md.isNullable(i) != ResultSetMetaData.columnNoNulls);
    }
    if (rs != null) {
      ArrayNode rowset = d.putArray("rowset");
      int count = 0;
      while (rs.next()) {
        ArrayNode row = rowset.addArray();
        for (int i = 1; i <= n; i++) {
          row.add(FakeSnowflakeDatabase.encode(rs, i, types.get(i - 1)));
        }
        count++;
      }
      d.put("total", count);
      d.put("returned", count);
    }
    return r;
  }

  private static void column(ArrayNode rowtype, String name, String type, int precision, int scale,
      int length, boolean nullable) {
    ObjectNode c = rowtype.addObject();
    c.put("name", name);
    c.put("type", type);
    if (precision >= 0) {
      c.put("precision", precision);
    } else {
      c.putNull("precision");
    }
    if (scale >= 0) {
      c.put("scale", scale);
    } else {
      c.putNull("scale");
    }
    if (length >= 0) {
      c.put("length", length);
      c.put("byteLength", length);
    } else {
      c.putNull("length");
      c.putNull("byteLength");
    }
    c.put("nullable", nullable);
    c.putNull("collation");
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    for (FakeSession s : sessionsByToken.values()) {
      try {
        s.h2.close();
      } catch (SQLException e) {
        // nothing to do
      }
    }
    sessionsByToken.clear();
    database.close();
  }
}
