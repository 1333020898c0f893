package io.gatehouse.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One mapping of the configuration being read, with its path ({@code sources[1]}). Every accessor
 * checks the value's type and range and records a problem naming the key and the fix instead of
 * throwing, so that one pass over the file reports everything that is wrong. Keys that no accessor
 * asked for are reported as unknown by {@link #finish()}: a typo must not silently pass.
 *
 * <p>Adapters read their own keys through this class, so every source type validates the same way.
 */
public final class ConfigObject {
  private final String path;
  private final JsonNode node;
  private final ConfigProblems problems;
  private final SecretResolver secrets;
  private final Set<String> consumed = new LinkedHashSet<>();

  ConfigObject(String path, JsonNode node, ConfigProblems problems, SecretResolver secrets) {
    this.path = path;
    this.node = node;
    this.problems = problems;
    this.secrets = secrets;
  }

  /** The path of this mapping, e.g. {@code sources[1]}; empty for the document root. */
  public String path() {
    return path;
  }

  /** The path of a key in this mapping, e.g. {@code sources[1].port}. */
  public String pathOf(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  public ConfigProblems problems() {
    return problems;
  }

  /** Records a problem on a key of this mapping. */
  public void problem(String key, String message) {
    problems.add(key == null ? path : pathOf(key), message);
  }

  public boolean has(String key) {
    consumed.add(key);
    JsonNode v = node.get(key);
    return v != null && !v.isNull();
  }

  private JsonNode value(String key) {
    consumed.add(key);
    JsonNode v = node.get(key);
    return v == null || v.isNull() ? null : v;
  }

  /** A text value, or null when absent. Numbers and booleans are refused: quote them if meant. */
  public String string(String key) {
    JsonNode v = value(key);
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      problem(key, "must be a text value, got " + describe(v));
      return null;
    }
    String s = v.asText().trim();
    if (s.isEmpty()) {
      problem(key, "must not be empty");
      return null;
    }
    return s;
  }

  public String requiredString(String key, String hint) {
    if (!has(key)) {
      problem(key, "is required" + hintSuffix(hint));
      return null;
    }
    return string(key);
  }

  /** An integer in [min, max], or {@code dflt} when absent. */
  public Integer integer(String key, int min, int max, Integer dflt) {
    Long l = longValue(key, min, max, dflt == null ? null : dflt.longValue());
    return l == null ? null : l.intValue();
  }

  public Integer requiredInteger(String key, int min, int max, String hint) {
    if (!has(key)) {
      problem(key, "is required" + hintSuffix(hint));
      return null;
    }
    return integer(key, min, max, null);
  }

  /** A long in [min, max], or {@code dflt} when absent. */
  public Long longValue(String key, long min, long max, Long dflt) {
    JsonNode v = value(key);
    if (v == null) {
      return dflt;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      problem(key, "must be a whole number between " + min + " and " + max + ", got " + describe(v));
      return dflt;
    }
    long l = v.asLong();
    if (l < min || l > max) {
      problem(key, "must be " + min + ".." + max + ", got " + l);
      return dflt;
    }
    return l;
  }

  /** Whether the value of {@code key} is a YAML boolean (for keys that take true/false or a mapping). */
  public boolean isBoolean(String key) {
    JsonNode v = value(key);
    return v != null && v.isBoolean();
  }

  public Boolean bool(String key, Boolean dflt) {
    JsonNode v = value(key);
    if (v == null) {
      return dflt;
    }
    if (!v.isBoolean()) {
      problem(key, "must be true or false, got " + describe(v));
      return dflt;
    }
    return v.asBoolean();
  }

  /**
   * A duration such as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d} or ISO-8601
   * {@code PT30S}, within [min, max]; {@code dflt} when absent.
   */
  public Duration duration(String key, Duration min, Duration max, Duration dflt) {
    JsonNode v = value(key);
    if (v == null) {
      return dflt;
    }
    Duration d = v.isTextual() ? Durations.parse(v.asText()) : null;
    if (d == null) {
      problem(key, "must be a duration such as 500ms, 30s, 5m or 1h, got " + describe(v));
      return dflt;
    }
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      problem(key, "must be between " + Durations.format(min) + " and " + Durations.format(max)
          + ", got " + v.asText());
      return dflt;
    }
    return d;
  }

  /**
   * A byte size such as {@code 64KB}, {@code 512MB}, {@code 2GB} (1024-based), at least {@code min};
   * a plain whole number is bytes.
   */
  public Long bytes(String key, long min, Long dflt) {
    JsonNode v = value(key);
    if (v == null) {
      return dflt;
    }
    Long b = v.isTextual() ? Durations.parseBytes(v.asText())
        : v.isIntegralNumber() && v.canConvertToLong() && v.asLong() >= 0 ? Long.valueOf(v.asLong())
        : null;
    if (b == null) {
      problem(key, "must be a size such as 64KB, 512MB or 2GB, got " + describe(v));
      return dflt;
    }
    if (b < min) {
      problem(key, "must be at least " + Durations.formatBytes(min) + ", got " + v.asText());
      return dflt;
    }
    return b;
  }

  /** One of the allowed words (case-insensitive), or {@code dflt} when absent. */
  public <E> E choice(String key, Map<String, E> allowed, E dflt) {
    JsonNode v = value(key);
    if (v == null) {
      return dflt;
    }
    if (!v.isTextual() && !v.isBoolean()) {
      problem(key, "must be one of " + String.join(", ", allowed.keySet()) + ", got " + describe(v));
      return dflt;
    }
    E e = allowed.get(v.asText().trim().toLowerCase(Locale.ROOT));
    if (e == null) {
      problem(key, "must be one of " + String.join(", ", allowed.keySet()) + ", got '" + v.asText() + "'"
          + (v.isBoolean() ? " (YAML reads on/off/yes/no as true/false)" : ""));
      return dflt;
    }
    return e;
  }

  /** A list of non-empty texts; a single text is accepted as a one-element list. */
  public List<String> stringList(String key) {
    JsonNode v = value(key);
    List<String> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (v.isTextual()) {
      String s = v.asText().trim();
      if (s.isEmpty()) {
        problem(key, "must not be empty");
      } else {
        out.add(s);
      }
      return out;
    }
    if (!v.isArray()) {
      problem(key, "must be a list such as [a, b], got " + describe(v));
      return out;
    }
    Set<String> seen = new LinkedHashSet<>();
    for (int i = 0; i < v.size(); i++) {
      JsonNode e = v.get(i);
      String p = key + "[" + i + "]";
      if (e == null || !e.isTextual() || e.asText().trim().isEmpty()) {
        problem(p, "must be a non-empty text value, got " + describe(e));
      } else if (!seen.add(e.asText().trim())) {
        problem(p, "'" + e.asText().trim() + "' is listed twice");
      } else {
        out.add(e.asText().trim());
      }
    }
    return out;
  }

  /**
   * A secret: {@code ${env:NAME}} (environment variable), {@code ${file:PATH}} (the file's content
   * without its trailing newline), {@code enc:v1:...} (encrypted with the master key), or plain text
   * where the configuration allows it (see {@link SecretResolver}). The value is never echoed in a
   * problem. A value starting with <code>${</code> that is not one of these forms is a problem, not
   * a literal.
   */
  public Secret secret(String key) {
    JsonNode v = value(key);
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      // Never describe(v): the value is the secret.
      problem(key, "must be a text value (quote it), got " + kind(v));
      return null;
    }
    return secrets.resolve(this, key, v.asText());
  }

  /**
   * The position of {@code value} in the list under {@code key} as written (the first entry equal to
   * it after trimming), or -1 when the value is not a list or does not hold it. {@link #stringList}
   * drops bad and repeated entries, so its indexes are not the file's.
   */
  int indexInList(String key, String value) {
    JsonNode v = node.get(key);
    if (v != null && v.isArray()) {
      for (int i = 0; i < v.size(); i++) {
        if (v.get(i).isTextual() && v.get(i).asText().trim().equals(value)) {
          return i;
        }
      }
    }
    return -1;
  }

  /**
   * A mapping of names to text values ({@code labels: {team: data, env: prod}}), in the order
   * written; empty when absent. Entries whose value is not text are reported by their path.
   */
  public Map<String, String> stringMap(String key) {
    JsonNode v = value(key);
    Map<String, String> out = new java.util.LinkedHashMap<>();
    if (v == null) {
      return out;
    }
    if (!v.isObject()) {
      problem(key, "must be a mapping of names to text values such as {team: data}, got " + describe(v));
      return out;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode value = e.getValue();
      if (value == null || value.isNull() || value.isContainerNode()) {
        problem(key + "." + e.getKey(), "must be a text value, got " + describe(value));
      } else {
        out.put(e.getKey(), value.asText().trim());
      }
    }
    return out;
  }

  /** A nested mapping, or null when absent (a problem is recorded when it is not a mapping). */
  public ConfigObject object(String key) {
    JsonNode v = value(key);
    if (v == null) {
      return null;
    }
    if (!v.isObject()) {
      problem(key, "must be a mapping of keys to values, got " + describe(v));
      return null;
    }
    return new ConfigObject(pathOf(key), v, problems, secrets);
  }

  /** A list of mappings; entries that are not mappings are reported and skipped. */
  public List<ConfigObject> objectList(String key) {
    JsonNode v = value(key);
    List<ConfigObject> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (!v.isArray()) {
      problem(key, "must be a list of mappings, got " + describe(v));
      return out;
    }
    for (int i = 0; i < v.size(); i++) {
      JsonNode e = v.get(i);
      String p = pathOf(key) + "[" + i + "]";
      if (e == null || !e.isObject()) {
        problems.add(p, "must be a mapping of keys to values, got " + describe(e));
      } else {
        out.add(new ConfigObject(p, e, problems, secrets));
      }
    }
    return out;
  }

  /** Parses a value with a function that returns null for a bad value, recording {@code expected}. */
  public <T> T parsed(String key, Function<String, T> parser, String expected) {
    String s = string(key);
    if (s == null) {
      return null;
    }
    T t = parser.apply(s);
    if (t == null) {
      problem(key, "must be " + expected + ", got '" + s + "'");
    }
    return t;
  }

  /** Reports every key of this mapping that no accessor asked for, suggesting the closest known key. */
  public void finish() {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!consumed.contains(k)) {
        String suggestion = closest(k, consumed);
        problems.add(pathOf(k), "unknown key" + (suggestion == null ? "" : "; did you mean '" + suggestion + "'?")
            + (consumed.isEmpty() ? "; remove it"
                : (suggestion == null ? "; known keys here: " : " Known keys here: ") + String.join(", ", consumed)));
      }
    }
  }

  private static String hintSuffix(String hint) {
    return hint == null || hint.isEmpty() ? "" : " (" + hint + ")";
  }

  static String describe(JsonNode v) {
    if (v == null || v.isNull()) {
      return "nothing";
    }
    if (v.isTextual()) {
      return "'" + v.asText() + "'";
    }
    if (v.isArray()) {
      return "a list";
    }
    if (v.isObject()) {
      return "a mapping";
    }
    return v.asText();
  }

  /** The kind of a value without the value itself (for secrets). */
  private static String kind(JsonNode v) {
    if (v.isArray()) {
      return "a list";
    }
    if (v.isObject()) {
      return "a mapping";
    }
    if (v.isBoolean()) {
      return "true/false";
    }
    return v.isNumber() ? "a number" : "a " + v.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  private static String closest(String key, Set<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = distance(key.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return bestDistance <= Math.max(2, key.length() / 3) ? best : null;
  }

  private static int distance(String a, String b) {
    int[] prevPrev = new int[b.length() + 1];
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          cur[j] = Math.min(cur[j], prevPrev[j - 2] + 1); // two letters swapped: one typo
        }
      }
      int[] t = prevPrev;
      prevPrev = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  static Duration parseIso(String s) {
    try {
      return Duration.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
