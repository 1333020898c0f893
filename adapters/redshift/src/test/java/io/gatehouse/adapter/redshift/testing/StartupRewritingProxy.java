package io.gatehouse.adapter.redshift.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A loopback TCP proxy between Amazon's Redshift JDBC driver and a real PostgreSQL, so that the
 * real driver can be tested against a real server. It is not a fake: every query is run by
 * PostgreSQL. It changes only what PostgreSQL would refuse before a session exists:
 *
 * <ul>
 *   <li>The startup message: the driver sends parameters of Redshift's own ({@code driver_version},
 *       {@code os_version}, {@code client_protocol_version}, ...) that PostgreSQL rejects with
 *       "unrecognized configuration parameter". The proxy parses the message, drops every parameter
 *       not in {@link #KEPT} (remembering which, see {@link #droppedParameters()}) and sends the
 *       rewritten message on.
 *   <li>Authentication: the driver cannot do SCRAM-SHA-256, which the shared PostgreSQL fixture
 *       requires. The proxy asks the driver for its password (the cleartext request that Redshift
 *       servers may also send) and performs SCRAM with PostgreSQL itself, so a wrong password is
 *       still refused by PostgreSQL, with its own SQLState, which is passed back to the driver.
 *   <li>TLS: the startup message travels inside TLS, so to rewrite it the proxy must end TLS
 *       itself. Given a server {@link SSLContext} it answers the driver's SSLRequest and does the
 *       handshake as the server; without one it refuses TLS ('N'), as a server without TLS does.
 * </ul>
 *
 * <p>After that, bytes are relayed both ways unchanged. The SQL text of every Query and Parse
 * message the driver sends is recorded ({@link #statements()}), so a test can see exactly what the
 * source received. Cancel requests (a new connection carrying the backend's key) are passed through,
 * so statement cancellation reaches PostgreSQL.
 */
public final class StartupRewritingProxy implements AutoCloseable {
  /** Startup parameters PostgreSQL accepts; the rest are Redshift's own and are dropped. */
  public static final Set<String> KEPT = Set.of("user", "database", "options", "application_name",
      "client_encoding", "DateStyle", "TimeZone", "extra_float_digits", "search_path");

  private static final int PROTOCOL_3 = 196608;
  private static final int SSL_REQUEST = 80877103;
  private static final int GSSENC_REQUEST = 80877104;
  private static final int CANCEL_REQUEST = 80877102;

  private final ServerSocket server;
  private final String upstreamHost;
  private final int upstreamPort;
  private final SSLContext tls;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "redshift-test-proxy");
    t.setDaemon(true);
    return t;
  });
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final Set<String> dropped = ConcurrentHashMap.newKeySet();
  private final List<Map<String, String>> startups = new CopyOnWriteArrayList<>();
  private final List<String> statements = new CopyOnWriteArrayList<>();
  private final AtomicInteger tlsSessions = new AtomicInteger();
  private final AtomicInteger cancelRequests = new AtomicInteger();
  private final AtomicInteger executes = new AtomicInteger();
  private volatile boolean closed;

  private StartupRewritingProxy(String upstreamHost, int upstreamPort, SSLContext tls)
      throws IOException {
    this.upstreamHost = upstreamHost;
    this.upstreamPort = upstreamPort;
    this.tls = tls;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::acceptLoop);
  }

  /**
   * Starts a proxy on a free loopback port in front of {@code upstreamHost:upstreamPort}.
   *
   * @param tls the server side of TLS towards the driver, or null to refuse TLS
   */
  public static StartupRewritingProxy start(String upstreamHost, int upstreamPort, SSLContext tls)
      throws IOException {
    return new StartupRewritingProxy(upstreamHost, upstreamPort, tls);
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Names of startup parameters the driver sent and the proxy dropped. */
  public Set<String> droppedParameters() {
    return Set.copyOf(dropped);
  }

  /** The startup parameters of every session, as the driver sent them (before rewriting). */
  public List<Map<String, String>> startups() {
    return List.copyOf(startups);
  }

  /** The SQL of every Query and Parse message received, in order. */
  public List<String> statements() {
    return List.copyOf(statements);
  }

  public void clearStatements() {
    statements.clear();
  }

  /** Sessions whose driver side was encrypted. */
  public int tlsSessions() {
    return tlsSessions.get();
  }

  /**
   * Execute messages received: a result read through a cursor takes one per batch of rows, a
   * result read whole takes one.
   */
  public int executes() {
    return executes.get();
  }

  /** Cancel requests passed to PostgreSQL. */
  public int cancelRequests() {
    return cancelRequests.get();
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    for (Socket s : sockets) {
      closeQuietly(s);
    }
    threads.shutdownNow();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = server.accept();
        sockets.add(client);
        threads.execute(() -> serve(client));
      } catch (IOException e) {
        if (!closed) {
          // A failed accept of one connection must not stop the proxy.
          continue;
        }
        return;
      }
    }
  }

  private void serve(Socket client) {
    Socket upstream = null;
    try {
      client.setTcpNoDelay(true);
      Socket c = client;
      DataInputStream in = new DataInputStream(new BufferedInputStream(c.getInputStream()));
      OutputStream out = c.getOutputStream();
      while (true) {
        int length = in.readInt();
        if (length < 8 || length > 100_000) {
          throw new IOException("not a PostgreSQL startup packet (length " + length + ")");
        }
        byte[] body = new byte[length - 4];
        in.readFully(body);
        int code = ByteBuffer.wrap(body).getInt();
        if (code == SSL_REQUEST) {
          if (tls == null) {
            out.write('N');
            out.flush();
            continue;
          }
          out.write('S');
          out.flush();
          // The driver waits for 'S' before its handshake, so nothing is left in the buffer.
          SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(c, null, c.getPort(), true);
          s.setUseClientMode(false);
          s.startHandshake();
          sockets.add(s);
          tlsSessions.incrementAndGet();
          c = s;
          in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
          out = s.getOutputStream();
          continue;
        }
        if (code == GSSENC_REQUEST) {
          out.write('N');
          out.flush();
          continue;
        }
        upstream = new Socket(upstreamHost, upstreamPort);
        upstream.setTcpNoDelay(true);
        sockets.add(upstream);
        if (code == CANCEL_REQUEST) {
          cancelRequests.incrementAndGet();
          OutputStream up = upstream.getOutputStream();
          up.write(ByteBuffer.allocate(4).putInt(length).array());
          up.write(body);
          up.flush();
          upstream.getInputStream().read(); // PostgreSQL closes the connection when done
          return;
        }
        if (code != PROTOCOL_3) {
          throw new IOException("unsupported protocol " + code);
        }
        Map<String, String> params = startupParameters(body);
        startups.add(params);
        DataInputStream upIn = new DataInputStream(new BufferedInputStream(upstream.getInputStream()));
        OutputStream upOut = upstream.getOutputStream();
        upOut.write(startupMessage(params));
        upOut.flush();
        if (!authenticate(in, out, upIn, upOut)) {
          return;
        }
        DataInputStream clientIn = in;
        Socket clientSocket = c;
        Socket upstreamSocket = upstream;
        threads.execute(() -> clientToServer(clientIn, upOut, clientSocket, upstreamSocket));
        upIn.transferTo(out); // server to client, unchanged, until either side closes
        return;
      }
    } catch (IOException e) {
      // The driver or PostgreSQL closed the connection, or the proxy is closing.
    } finally {
      closeQuietly(client);
      if (upstream != null) {
        closeQuietly(upstream);
      }
    }
  }

  /** The startup parameters, in the order sent. */
  private static Map<String, String> startupParameters(byte[] body) {
    Map<String, String> params = new LinkedHashMap<>();
    int i = 4;
    while (i < body.length && body[i] != 0) {
      int end = indexOfZero(body, i);
      String name = new String(body, i, end - i, StandardCharsets.UTF_8);
      int valueEnd = indexOfZero(body, end + 1);
      params.put(name, new String(body, end + 1, valueEnd - end - 1, StandardCharsets.UTF_8));
      i = valueEnd + 1;
    }
    return params;
  }

  private byte[] startupMessage(Map<String, String> params) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(ByteBuffer.allocate(4).putInt(PROTOCOL_3).array());
    for (Map.Entry<String, String> e : params.entrySet()) {
      if (!KEPT.contains(e.getKey())) {
        dropped.add(e.getKey());
        continue;
      }
      b.writeBytes(cstring(e.getKey()));
      b.writeBytes(cstring(e.getValue()));
    }
    b.write(0);
    byte[] body = b.toByteArray();
    return ByteBuffer.allocate(4 + body.length).putInt(4 + body.length).put(body).array();
  }

  /**
   * Runs the authentication exchange until PostgreSQL sends AuthenticationOk (passed to the driver:
   * true) or an error (passed to the driver: false).
   */
  private boolean authenticate(DataInputStream in, OutputStream out, DataInputStream upIn,
      OutputStream upOut) throws IOException {
    ScramSha256Client scram = null;
    while (true) {
      byte type = upIn.readByte();
      byte[] body = new byte[upIn.readInt() - 4];
      upIn.readFully(body);
      if (type == 'E') {
        writeMessage(out, type, body);
        return false;
      }
      if (type != 'R') {
        writeMessage(out, type, body);
        continue;
      }
      int request = ByteBuffer.wrap(body).getInt();
      switch (request) {
        case 0: // AuthenticationOk
          writeMessage(out, type, body);
          return true;
        case 10: { // AuthenticationSASL: ask the driver for its password, then do SCRAM here
          writeMessage(out, (byte) 'R', ByteBuffer.allocate(4).putInt(3).array());
          byte answer = in.readByte();
          byte[] password = new byte[in.readInt() - 4];
          in.readFully(password);
          if (answer != 'p') {
            throw new IOException("expected a password message, got " + (char) answer);
          }
          scram = new ScramSha256Client(new String(password, 0, password.length - 1,
              StandardCharsets.UTF_8).toCharArray());
          byte[] first = scram.clientFirstMessage().getBytes(StandardCharsets.UTF_8);
          ByteArrayOutputStream b = new ByteArrayOutputStream();
          b.writeBytes(cstring("SCRAM-SHA-256"));
          b.writeBytes(ByteBuffer.allocate(4).putInt(first.length).array());
          b.writeBytes(first);
          writeMessage(upOut, (byte) 'p', b.toByteArray());
          break;
        }
        case 11: // AuthenticationSASLContinue
          writeMessage(upOut, (byte) 'p', scram.clientFinalMessage(
              new String(body, 4, body.length - 4, StandardCharsets.UTF_8))
              .getBytes(StandardCharsets.UTF_8));
          break;
        case 12: // AuthenticationSASLFinal
          scram.verifyServerFinalMessage(new String(body, 4, body.length - 4, StandardCharsets.UTF_8));
          break;
        default: { // cleartext or MD5: the driver answers PostgreSQL directly
          writeMessage(out, type, body);
          byte answer = in.readByte();
          byte[] response = new byte[in.readInt() - 4];
          in.readFully(response);
          writeMessage(upOut, answer, response);
        }
      }
    }
  }

  /** Relays the driver's messages, recording the SQL of Query ('Q') and Parse ('P'). */
  private void clientToServer(DataInputStream in, OutputStream upOut, Socket client, Socket upstream) {
    try {
      while (true) {
        byte type = in.readByte();
        byte[] body = new byte[in.readInt() - 4];
        in.readFully(body);
        if (type == 'Q') {
          statements.add(new String(body, 0, indexOfZero(body, 0), StandardCharsets.UTF_8));
        } else if (type == 'P') {
          int nameEnd = indexOfZero(body, 0);
          statements.add(new String(body, nameEnd + 1, indexOfZero(body, nameEnd + 1) - nameEnd - 1,
              StandardCharsets.UTF_8));
        }
        if (type == 'E') {
          executes.incrementAndGet();
        }
        writeMessage(upOut, type, body);
        if (type == 'X') {
          return;
        }
      }
    } catch (IOException e) {
      // either side closed
    } finally {
      closeQuietly(client);
      closeQuietly(upstream);
    }
  }

  private static void writeMessage(OutputStream out, byte type, byte[] body) throws IOException {
    byte[] m = ByteBuffer.allocate(5 + body.length).put(type).putInt(4 + body.length).put(body)
        .array();
    synchronized (out) {
      out.write(m);
      out.flush();
    }
  }

  private static byte[] cstring(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[b.length + 1];
    System.arraycopy(b, 0, out, 0, b.length);
    return out;
  }

  private static int indexOfZero(byte[] b, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == 0) {
        return i;
      }
    }
    return b.length;
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  /** Statements recorded, without the transaction and session statements the driver adds. */
  public List<String> queries() {
    List<String> out = new ArrayList<>();
    for (String s : statements) {
      String t = s.trim().toUpperCase(java.util.Locale.ROOT);
      if (t.startsWith("SELECT") || t.startsWith("WITH") || t.startsWith("INSERT")
          || t.startsWith("UPDATE") || t.startsWith("DELETE")) {
        out.add(s);
      }
    }
    return Collections.unmodifiableList(out);
  }
}
