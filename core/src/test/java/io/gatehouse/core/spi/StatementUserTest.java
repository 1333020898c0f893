package io.gatehouse.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.gatehouse.core.config.SourceConfig;
import io.gatehouse.core.error.GatehouseException;
import io.gatehouse.core.exec.QueryExecution;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.calcite.sql.SqlDialect;
import org.junit.jupiter.api.Test;

/**
 * The user a query runs for reaches {@link SourceConnector#configureStatement}; connectors that do
 * not care keep working through the three-argument method. (The Snowflake adapter's tests check the
 * whole path: the user ends up in each statement's QUERY_TAG at the source.)
 */
class StatementUserTest {
  private final List<String> calls = new ArrayList<>();

  private final SourceConnector plain = new SourceConnector() {
    @Override
    public SourceConfig config() {
      return null;
    }

    @Override
    public SqlDialect dialect() {
      return null;
    }

    @Override
    public boolean schemasAreCatalogs() {
      return false;
    }

    @Override
    public Connection connection() {
      return null;
    }

    @Override
    public List<TableInfo> readTables(Connection connection, List<String> schemas) {
      return List.of();
    }

    @Override
    public ColumnType mapType(ColumnInfo column) {
      return null;
    }

    @Override
    public void configureStatement(Statement statement, Duration timeout, int fetchSize) {
      calls.add(timeout + "/" + fetchSize);
    }

    @Override
    public GatehouseException translate(SQLException e) {
      return null;
    }

    @Override
    public PoolStats poolStats() {
      return PoolStats.NONE;
    }

    @Override
    public void close() {}
  };

  @Test
  void connectorsWithoutUserSupportAreConfiguredAsBefore() throws SQLException {
    plain.configureStatement(null, Duration.ofSeconds(3), 50, "alice");
    assertEquals(List.of("PT3S/50"), calls);
  }

  @Test
  void theExecutionCarriesItsUser() {
    QueryExecution withUser = new QueryExecution(Map.of(), Duration.ofSeconds(1), 10, List.of(),
        new Object[0], s -> { }, "alice");
    QueryExecution without = new QueryExecution(Map.of(), Duration.ofSeconds(1), 10, List.of(),
        new Object[0], s -> { });
    assertEquals("alice", withUser.user());
    assertNull(without.user());
  }
}
