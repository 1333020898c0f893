package io.gatehouse.core.jdbc;

import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.ConnectionConfig;
import org.apache.calcite.avatica.DriverVersion;
import org.apache.calcite.avatica.remote.AvaticaHttpClient;
import org.apache.calcite.avatica.remote.Driver;
import org.apache.calcite.avatica.remote.RemoteProtobufService;
import org.apache.calcite.avatica.remote.Service;

/**
 * Gatehouse's own driver for its JDBC server:
 * {@code jdbc:gatehouse:remote:url=http://host:8765[;authentication=BASIC;avatica_user=...]}.
 *
 * <p>It is Avatica's remote driver (every property of {@code jdbc:avatica:remote:} works the same)
 * fixed to protobuf, with one difference: result frames are decoded straight from the response bytes
 * ({@link ClientProtobufTranslation}) instead of through Avatica's generic protobuf objects, whose
 * reflective field checks made the stock client the slowest stage of a large result. The values a
 * program reads are the same as with the stock driver. Registered through
 * {@code META-INF/services/java.sql.Driver}; the stock {@code jdbc:avatica:remote:} URLs keep working.
 */
public final class RemoteDriver extends Driver {
  public static final String PREFIX = "jdbc:gatehouse:remote:";

  static {
    new RemoteDriver().register();
  }

  @Override
  protected String getConnectStringPrefix() {
    return PREFIX;
  }

  @Override
  protected DriverVersion createDriverVersion() {
    return new DriverVersion("Gatehouse remote JDBC Driver", GatehouseDriver.VERSION, "Gatehouse",
        GatehouseDriver.VERSION, true, 0, 1, 0, 1);
  }

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return null;
    }
    Properties p = new Properties();
    if (info != null) {
      p.putAll(info);
    }
    p.setProperty("serialization", "protobuf");
    p.setProperty("factory", Factory.class.getName());
    return super.connect(url, p);
  }

  /**
   * Makes the connection's service: Avatica's HTTP client and protobuf service, as its remote driver
   * makes them, with the frame-decoding translation. Public for Avatica, which instantiates it.
   */
  public static final class Factory implements Service.Factory {
    @Override
    public Service create(AvaticaConnection connection) {
      ConnectionConfig config = connection.config();
      String url = config.useClientSideLb() ? config.getLBStrategy().getLbURL(config) : config.url();
      if (url == null) {
        throw new IllegalArgumentException(
            "the URL needs url=http://host:port, the Gatehouse server: " + PREFIX + "url=http://localhost:8765");
      }
      AvaticaHttpClient client;
      try {
        client = config.httpClientFactory().getClient(new URI(url).toURL(), config,
            connection.getKerberosConnection());
      } catch (java.net.MalformedURLException | java.net.URISyntaxException e) {
        throw new IllegalArgumentException("not a URL: " + url, e);
      }
      return new RemoteProtobufService(client, new ClientProtobufTranslation());
    }
  }
}
