package io.gatehouse.adapter.redshift;

import io.gatehouse.core.config.ConfigObject;
import io.gatehouse.core.config.NetworkSourceSettings;
import io.gatehouse.core.config.SourceSettings;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The settings of a Redshift source: the network keys every server source has, read exactly as for
 * PostgreSQL but with Redshift's port 5439, plus two session options of Redshift's own.
 *
 * @param network {@code host, port, database, user, password, tls, caFile}
 * @param queryGroup the WLM query group (Redshift's {@code query_group}) every session of the pool
 *     joins, so an administrator can route Gatehouse's queries to a queue; null for none
 * @param applicationName shown as {@code application_name} in Redshift's system views
 *     ({@code gatehouse} unless set)
 */
public record RedshiftSettings(NetworkSourceSettings network, String queryGroup,
    String applicationName) implements SourceSettings {
  static final int DEFAULT_PORT = 5439;
  static final String DEFAULT_APPLICATION_NAME = "gatehouse";

  // Both values end up in SQL text the driver writes (SET query_group TO '...') or in the startup
  // message, so only plain label characters are accepted rather than relying on escaping.
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_.:/ -]+");
  private static final int MAX_QUERY_GROUP = 320;
  private static final int MAX_APPLICATION_NAME = 63; // longer names are cut by the server

  public RedshiftSettings {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(applicationName, "applicationName");
  }

  static RedshiftSettings read(ConfigObject o) {
    NetworkSourceSettings network = NetworkSourceSettings.read(o, DEFAULT_PORT, true);
    String queryGroup = label(o, "queryGroup", MAX_QUERY_GROUP,
        "the name of a WLM query group, such as 'reports'");
    String applicationName = label(o, "applicationName", MAX_APPLICATION_NAME,
        "a short name for Redshift's system views, such as 'gatehouse-bi'");
    return new RedshiftSettings(network, queryGroup,
        applicationName == null ? DEFAULT_APPLICATION_NAME : applicationName);
  }

  private static String label(ConfigObject o, String key, int max, String example) {
    String value = o.string(key);
    if (value == null) {
      return null;
    }
    if (value.length() > max || !LABEL.matcher(value).matches()) {
      o.problem(key, "must be 1.." + max + " letters, digits, spaces or _ . : / - (" + example
          + "), got '" + value + "'");
      return null;
    }
    return value;
  }

  @Override
  public String toString() {
    return "RedshiftSettings[" + network + ", queryGroup=" + queryGroup + ", applicationName="
        + applicationName + "]";
  }
}
