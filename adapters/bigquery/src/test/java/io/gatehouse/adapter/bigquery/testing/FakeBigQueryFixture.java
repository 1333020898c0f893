package io.gatehouse.adapter.bigquery.testing;

import io.gatehouse.adapter.bigquery.fake.FakeBigQuery;
import io.gatehouse.adapter.bigquery.fake.ServiceAccountKey;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.config.ConfigLoader;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@link FakeBigQuery} per test JVM (project {@code my-proj-1}: a hyphenated id, as most real
 * ones are) with a registered reader service account, and the configuration entry of a source
 * pointed at it.
 */
public final class FakeBigQueryFixture {
  public static final String PROJECT = "my-proj-1";
  private static FakeBigQuery fake;
  private static ServiceAccountKey reader;

  private FakeBigQueryFixture() {}

  public static synchronized FakeBigQuery fake() {
    if (fake == null) {
      fake = FakeBigQuery.start(PROJECT);
      reader = fake.newServiceAccount("gatehouse-reader", "reader-key-1");
      Runtime.getRuntime().addShutdownHook(new Thread(fake::close));
    }
    return fake;
  }

  /** The reader's key file JSON. */
  public static synchronized ServiceAccountKey reader() {
    fake();
    return reader;
  }

  /** A source entry (without id) for the fake, authenticated with {@code keyJson}. */
  public static Map<String, Object> sourceEntry(String keyJson) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "bigquery");
    m.put("project", PROJECT);
    m.put("endpoint", fake().endpoint());
    m.put("serviceAccountKey", keyJson);
    m.put("labels", Map.of("app", "gatehouse", "team", "data-platform"));
    return m;
  }

  /**
   * An engine with one source {@code bq} on the fake, exposing {@code datasets}, logged in as the
   * reader, with extra source keys.
   */
  public static Gatehouse openEngine(List<String> datasets, Map<String, Object> extra) {
    Map<String, Object> source = new LinkedHashMap<>(sourceEntry(reader().json()));
    source.put("id", "bq");
    source.put("datasets", datasets);
    source.putAll(extra);
    Map<String, Object> root = new HashMap<>();
    root.put("sources", List.of(source));
    return Gatehouse.open(ConfigLoader.withDiscoveredAdapters().fromMap(root));
  }
}
