package io.gatehouse.adapter.bigquery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.core.config.ConfigObject;
import io.gatehouse.core.config.Secret;
import io.gatehouse.core.config.SourceSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The keys of a BigQuery source.
 *
 * @param project the project that holds the datasets and runs (and pays for) the query jobs;
 *     hyphens allowed ({@code my-proj-1}), also domain-scoped ({@code example.com:my-proj})
 * @param datasets the datasets exposed as schemas (the {@code datasets} key, or {@code schemas})
 * @param location where jobs run ({@code US}, {@code EU}, {@code europe-west1}), or null to let
 *     BigQuery choose from the datasets read
 * @param serviceAccountKey the service-account key file's JSON
 * @param maximumBytesBilled the cost cap of one query in bytes: the dry run's estimate must not
 *     exceed it, and the job carries it as {@code maximumBytesBilled}
 * @param jobTimeout the longest a job may run at BigQuery, or null for the query timeout alone
 * @param labels put on every job (cost attribution in billing exports)
 * @param endpoint the API root; {@code https://bigquery.googleapis.com} unless set (emulators,
 *     private endpoints, the tests' fake)
 */
public record BigQuerySettings(String project, List<String> datasets, String location,
    Secret serviceAccountKey, long maximumBytesBilled, Duration jobTimeout,
    Map<String, String> labels, URI endpoint) implements SourceSettings {

  /** BigQuery bills at least 10 MB per table read, so a smaller cap would refuse every query. */
  static final long MIN_BYTES_BILLED = 10L * 1024 * 1024;
  static final long DEFAULT_BYTES_BILLED = 10L * 1024 * 1024 * 1024;
  static final URI DEFAULT_ENDPOINT = URI.create("https://bigquery.googleapis.com");

  // Project ids: 6 to 30 lower-case letters, digits and hyphens, starting with a letter and not
  // ending with a hyphen; older projects may carry a domain prefix ("example.com:").
  private static final Pattern PROJECT =
      Pattern.compile("(?:[a-z0-9][a-z0-9.-]*[a-z0-9]:)?[a-z][a-z0-9-]{4,28}[a-z0-9]");
  private static final Pattern DATASET = Pattern.compile("[A-Za-z0-9_]{1,1024}");
  private static final Pattern LOCATION = Pattern.compile("[A-Za-z][A-Za-z0-9-]{1,62}");
  private static final Pattern LABEL_KEY = Pattern.compile("[\\p{Ll}\\p{Lo}][\\p{Ll}\\p{Lo}\\p{N}_-]{0,62}");
  private static final Pattern LABEL_VALUE = Pattern.compile("[\\p{Ll}\\p{Lo}\\p{N}_-]{0,63}");

  public BigQuerySettings {
    datasets = List.copyOf(datasets);
    labels = Map.copyOf(labels);
  }

  /** Reads and checks the keys, recording every problem on {@code o}; null when unusable. */
  static BigQuerySettings read(ConfigObject o) {
    String project = o.requiredString("project", "the Google Cloud project id, e.g. my-proj-1");
    if (project != null && !PROJECT.matcher(project).matches()) {
      o.problem("project", "'" + project + "' is not a project id: 6 to 30 lower-case letters,"
          + " digits and hyphens, starting with a letter (the id, not the project's display name)");
      project = null;
    }
    List<String> datasets = o.stringList("datasets");
    boolean schemasGiven = o.has("schemas");
    if (!datasets.isEmpty() && schemasGiven) {
      o.problem("datasets", "and schemas both list what to expose; keep one of them (datasets)");
    } else if (datasets.isEmpty() && !schemasGiven && !o.has("datasets")) {
      o.problem("datasets", "is required: list the datasets to expose, e.g. [sales, marketing]");
    }
    for (String d : datasets) {
      if (!DATASET.matcher(d).matches()) {
        o.problem("datasets", "'" + d + "' is not a dataset name: letters, digits and '_' only");
      }
    }
    String location = o.string("location");
    if (location != null && !LOCATION.matcher(location).matches()) {
      o.problem("location", "'" + location + "' is not a BigQuery location such as US, EU or"
          + " europe-west1");
      location = null;
    }
    Secret key = null;
    if (!o.has("serviceAccountKey")) {
      o.problem("serviceAccountKey", "is required: the service-account key file's JSON, e.g."
          + " ${file:/run/secrets/bigquery-key.json}");
    } else {
      key = o.secret("serviceAccountKey");
      if (key != null) {
        String problem = checkKey(key);
        if (problem != null) {
          o.problem("serviceAccountKey", problem);
          key = null;
        }
      }
    }
    Long cap = o.bytes("maximumBytesBilled", MIN_BYTES_BILLED, DEFAULT_BYTES_BILLED);
    Duration jobTimeout = o.duration("jobTimeout", Duration.ofSeconds(1), Duration.ofHours(6), null);
    Map<String, String> labels = o.stringMap("labels");
    for (Map.Entry<String, String> e : labels.entrySet()) {
      if (!LABEL_KEY.matcher(e.getKey()).matches()) {
        o.problem("labels." + e.getKey(), "is not a label name: 1 to 63 lower-case letters, digits,"
            + " '_' or '-', starting with a letter");
      }
      if (!LABEL_VALUE.matcher(e.getValue()).matches()) {
        o.problem("labels." + e.getKey(), "'" + e.getValue() + "' is not a label value: up to 63"
            + " lower-case letters, digits, '_' or '-'");
      }
    }
    if (labels.size() > 64) {
      o.problem("labels", "holds " + labels.size() + " labels; BigQuery allows at most 64 per job");
    }
    URI endpoint = endpoint(o);
    if (project == null || key == null || cap == null) {
      return null;
    }
    return new BigQuerySettings(project, datasets, location, key, cap, jobTimeout, labels,
        endpoint == null ? DEFAULT_ENDPOINT : endpoint);
  }

  /**
   * Plain HTTP only to this machine (an emulator or the tests' fake): anywhere else the access
   * token and the data would travel unencrypted.
   */
  private static URI endpoint(ConfigObject o) {
    String text = o.string("endpoint");
    if (text == null) {
      return null;
    }
    try {
      URI u = new URI(text);
      String host = u.getHost();
      boolean loopback = host != null && (host.equals("localhost") || host.startsWith("127.")
          || host.equals("[::1]") || host.equals("::1"));
      if (host == null || !("https".equals(u.getScheme()) || "http".equals(u.getScheme()) && loopback)
          || u.getRawQuery() != null || u.getRawFragment() != null
          || (u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/"))) {
        o.problem("endpoint", "must be https://HOST[:PORT] (http only for localhost), got '" + text + "'");
        return null;
      }
      return URI.create(u.getScheme() + "://" + u.getRawAuthority());
    } catch (URISyntaxException e) {
      o.problem("endpoint", "is not a URL such as https://bigquery.googleapis.com, got '" + text + "'");
      return null;
    }
  }

  /**
   * Checks that the secret is a service-account key without saying anything about its content
   * (the problem text names only which field is missing).
   */
  private static String checkKey(Secret key) {
    byte[] json = KeyBytes.of(key);
    try {
      JsonNode n = new ObjectMapper().readTree(json);
      if (n == null || !n.isObject()) {
        return "is not a service-account key: expected the JSON of a key file";
      }
      if (!"service_account".equals(n.path("type").asText())) {
        return "is not a service-account key: its \"type\" must be \"service_account\"";
      }
      for (String field : List.of("client_email", "private_key", "token_uri")) {
        if (n.path(field).asText().isEmpty()) {
          return "is not a complete service-account key: \"" + field + "\" is missing";
        }
      }
      return null;
    } catch (IOException e) {
      return "is not a service-account key: expected the JSON of a key file (it does not parse)";
    } finally {
      Arrays.fill(json, (byte) 0);
    }
  }

  /** The key JSON as UTF-8 bytes, for the credential parser; callers clear the array. */
  static final class KeyBytes {
    private KeyBytes() {}

    static byte[] of(Secret key) {
      char[] chars = key.reveal();
      try {
        ByteBuffer b = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        byte[] out = new byte[b.remaining()];
        b.get(out);
        if (b.hasArray()) {
          Arrays.fill(b.array(), (byte) 0);
        }
        return out;
      } finally {
        Arrays.fill(chars, '\0');
      }
    }
  }

  @Override
  public String toString() {
    return "BigQuerySettings[project=" + project + ", datasets=" + datasets + ", location="
        + location + ", serviceAccountKey=****, maximumBytesBilled="
        + describeBytes(maximumBytesBilled) + ", jobTimeout=" + jobTimeout + ", labels="
        + labels + ", endpoint=" + endpoint + "]";
  }

  /** A byte count for people: {@code 1.5 GiB (1610612736 bytes)}. */
  static String describeBytes(long bytes) {
    String[] units = {"TiB", "GiB", "MiB", "KiB"};
    for (int i = 0; i < units.length; i++) {
      long unit = 1L << (40 - 10 * i);
      if (bytes >= unit) {
        return String.format(Locale.ROOT, "%.1f %s (%d bytes)", (double) bytes / unit, units[i], bytes);
      }
    }
    return bytes + " bytes";
  }
}
