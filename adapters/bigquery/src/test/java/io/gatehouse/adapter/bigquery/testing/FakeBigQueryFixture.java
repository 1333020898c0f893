package io.gatehouse.adapter.bigquery.testing;

import io.gatehouse.adapter.bigquery.fake.FakeBigQuery;
import io.gatehouse.adapter.bigquery.fake.ServiceAccountKey;
import java.util.LinkedHashMap;
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
}
