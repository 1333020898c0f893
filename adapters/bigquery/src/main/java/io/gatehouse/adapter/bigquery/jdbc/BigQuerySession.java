package io.gatehouse.adapter.bigquery.jdbc;

import com.google.cloud.bigquery.BigQuery;
import java.time.Duration;
import java.util.Map;

/**
 * What every statement of one source shares: the client (thread-safe, one per source) and the
 * limits each query job carries.
 *
 * @param project the project jobs run in (and that qualifies datasets in the SQL)
 * @param location where jobs run, or null
 * @param maximumBytesBilled the cap checked against the dry run's estimate and set on each job
 * @param jobTimeout an upper bound on each job's own timeout, or null
 * @param sessionTimeout the statement timeout when the caller sets none (the source's query timeout)
 * @param fetchSize rows per page when the caller sets no fetch size
 */
public record BigQuerySession(BigQuery client, String project, String location,
    long maximumBytesBilled, Duration jobTimeout, Map<String, String> labels,
    Duration sessionTimeout, int fetchSize) {

  public BigQuerySession {
    labels = Map.copyOf(labels);
  }
}
