package io.gatehouse.sqltests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.jdbc.GatehouseDriver;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * JDBC's own limits reach the source: {@code Statement.setQueryTimeout} (which Avatica keeps to
 * itself) and {@code Statement.cancel()} from another thread both stop the query at PostgreSQL.
 */
class JdbcCancelAndTimeoutTest {
  private static final String SLOW = "select count(*) from shop.public.events a, shop.public.events b"
      + " where a.id + b.id > 17";

  private static int runningAtPostgres() throws Exception {
    return TwoSources.PG.activeStatements("%\"a\".\"id\" + \"b\".\"id\"%");
  }

  @Test
  void setQueryTimeoutStopsTheQueryAtTheSource() throws Exception {
    try (Connection c = GatehouseDriver.connect(TwoSources.ENGINE, new Properties());
        Statement s = c.createStatement()) {
      s.setQueryTimeout(1);
      long start = System.nanoTime();
      SQLException e = assertThrows(SQLException.class, () -> s.executeQuery(SLOW).next());
      assertEquals("57014", e.getSQLState(), e.getMessage());
      assertEquals(1008, e.getErrorCode(), "QUERY_TIMEOUT");
      assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 20);
      assertEquals(0, runningAtPostgres());
    }
  }

  @Test
  void cancelFromAnotherThreadStopsTheQueryAtTheSource() throws Exception {
    ScheduledExecutorService other = Executors.newSingleThreadScheduledExecutor();
    try (Connection c = GatehouseDriver.connect(TwoSources.ENGINE, new Properties());
        Statement s = c.createStatement()) {
      other.schedule(() -> {
        try {
          s.cancel();
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      }, 700, TimeUnit.MILLISECONDS);
      long start = System.nanoTime();
      SQLException e = assertThrows(SQLException.class, () -> s.executeQuery(SLOW).next());
      assertEquals("57014", e.getSQLState(), e.getMessage());
      assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 20);
      assertEquals(0, runningAtPostgres());
      try (ResultSet rs = s.executeQuery("select count(*) from shop.public.customers")) {
        assertTrue(rs.next(), "the statement is usable after a cancel");
        assertEquals(100, rs.getInt(1));
      }
    } finally {
      other.shutdownNow();
    }
  }
}
