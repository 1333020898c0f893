package io.gatehouse.core.engine;

import io.gatehouse.core.config.ConfigObject;
import io.gatehouse.core.config.EngineConfig;
import io.gatehouse.core.config.SourceConfig;
import io.gatehouse.core.config.SourceSettings;
import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import io.gatehouse.core.spi.ColumnInfo;
import io.gatehouse.core.spi.ColumnType;
import io.gatehouse.core.spi.SourceAdapter;
import io.gatehouse.core.spi.SourceConnector;
import io.gatehouse.core.spi.TableInfo;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.dialect.AnsiSqlDialect;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * A source type for engine tests that need no database: its catalog is a fixed list of tables and it
 * refuses to run anything. Columns of source type {@code broken} make the type mapping throw an
 * AssertionError, the way a Calcite bug would surface.
 */
final class FakeAdapter implements SourceAdapter {
  final AtomicInteger catalogReads = new AtomicInteger();
  private final List<TableInfo> tables;

  FakeAdapter(List<TableInfo> tables) {
    this.tables = tables;
  }

  @Override
  public String type() {
    return "fake";
  }

  @Override
  public SourceSettings readSettings(ConfigObject source) {
    return new SourceSettings() { };
  }

  @Override
  public List<String> defaultSchemas(SourceSettings settings) {
    return List.of("main");
  }

  @Override
  public SourceConnector connector(SourceConfig source, EngineConfig engine) {
    return new SourceConnector() {
      @Override
      public SourceConfig config() {
        return source;
      }

      @Override
      public SqlDialect dialect() {
        return AnsiSqlDialect.DEFAULT;
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
        catalogReads.incrementAndGet();
        return tables;
      }

      @Override
      public ColumnType mapType(ColumnInfo column) {
        if (column.sourceType().equals("broken")) {
          throw new AssertionError("simulated planner bug");
        }
        return ColumnType.of(SqlTypeName.valueOf(column.sourceType().toUpperCase(java.util.Locale.ROOT)));
      }

      @Override
      public void configureStatement(Statement statement, Duration timeout, int fetchSize) {}

      @Override
      public GatehouseException translate(SQLException e) {
        return new GatehouseException(ErrorCode.SOURCE_ERROR, "fake source failed");
      }

      @Override
      public PoolStats poolStats() {
        return PoolStats.NONE;
      }

      @Override
      public void close() {}
    };
  }

  static TableInfo table(String name, double rows, String... columns) {
    List<ColumnInfo> cols = new java.util.ArrayList<>();
    for (int i = 0; i < columns.length; i += 2) {
      cols.add(new ColumnInfo(columns[i], i / 2 + 1, columns[i + 1], -1, -1, true, null, null));
    }
    return new TableInfo("main", name, TableInfo.Kind.TABLE, rows, null, cols);
  }
}
