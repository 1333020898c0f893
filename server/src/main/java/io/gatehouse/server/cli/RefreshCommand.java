package io.gatehouse.server.cli;

import io.gatehouse.server.GatehouseServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gatehouse refresh --url URL [--source ID] [--user NAME]}: asks a running server to forget
 * its cached metadata (after DDL at a source), without SQL. With {@code --user}, the password is
 * asked without echo on a terminal, or read from the first line of stdin.
 */
@Command(
    name = "refresh",
    separator = " ",
    sortOptions = false,
    description = "Make a running Gatehouse server read the sources' catalogs again (after tables or"
        + " columns changed at a source).",
    footerHeading = "%n",
    footer = {
        "Examples:",
        "  gatehouse refresh",
        "  gatehouse refresh --url https://gatehouse.internal:8765 --source shop --user alice",
        "",
        "Exit codes: 0 refreshed, 1 the server refused or could not be reached, 2 usage error."})
final class RefreshCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8765",
      description = "The server (default: ${DEFAULT-VALUE}).")
  String url;

  @Option(names = "--source", paramLabel = "ID", description = "Only this source (default: all the"
      + " user may query).")
  String source;

  @Option(names = "--user", paramLabel = "NAME", description = "Log in as this user of server.users.")
  String user;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    URI uri;
    try {
      String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
      uri = URI.create(base + GatehouseServer.REFRESH_PATH + (source == null ? ""
          : "?source=" + URLEncoder.encode(source, StandardCharsets.UTF_8)));
      if (uri.getScheme() == null || !uri.getScheme().matches("https?")) {
        throw new IllegalArgumentException();
      }
    } catch (IllegalArgumentException e) {
      err.println("ERROR INVALID_PARAMETER: --url must be an http:// or https:// address, such as"
          + " http://127.0.0.1:8765");
      return GatehouseCommand.EXIT_USAGE;
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.noBody());
    if (user != null) {
      char[] password = null;
      try {
        password = SecretInput.read("Password for " + user, err,
            in -> SecretInput.firstLine(in, 4096), false);
        request.header("Authorization", basic(user, password));
      } catch (SecretInput.NoSecret e) {
        err.println("ERROR INVALID_PARAMETER: no password: " + e.getMessage());
        return GatehouseCommand.EXIT_USAGE;
      } catch (IOException e) {
        err.println("ERROR INVALID_PARAMETER: cannot read the password (" + e.getClass().getSimpleName() + ")");
        return GatehouseCommand.EXIT_USAGE;
      } finally {
        if (password != null) {
          Arrays.fill(password, '\0');
        }
      }
    }
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(request.build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        out.println(r.body());
        return GatehouseCommand.EXIT_OK;
      }
      String why = r.statusCode() == 401 ? "the server needs a login: pass --user NAME (or the login"
          + " failed)" : r.statusCode() == 404 ? "no source '" + source + "' for this user"
          : "the server answered HTTP " + r.statusCode();
      err.println("ERROR " + (r.statusCode() == 401 ? "ACCESS_DENIED" : "INVALID_PARAMETER") + ": " + why);
      return GatehouseCommand.EXIT_FAILURE;
    } catch (IOException e) {
      err.println("ERROR SOURCE_UNAVAILABLE: the server at " + url + " cannot be reached ("
          + e.getClass().getSimpleName() + ")");
      return GatehouseCommand.EXIT_FAILURE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return GatehouseCommand.EXIT_FAILURE;
    }
  }

  /** The Basic header value; the String it makes cannot be cleared, as with any HTTP client. */
  private static String basic(String user, char[] password) {
    CharBuffer chars = CharBuffer.allocate(user.length() + 1 + password.length);
    chars.put(user).put(':').put(password).flip();
    ByteBuffer bytes = StandardCharsets.UTF_8.encode(chars);
    byte[] raw = Arrays.copyOf(bytes.array(), bytes.limit());
    Arrays.fill(chars.array(), '\0');
    Arrays.fill(bytes.array(), (byte) 0);
    try {
      return "Basic " + Base64.getEncoder().encodeToString(raw);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }
}
