package io.gatehouse.sqltests;

import static io.gatehouse.sqltests.TwoSources.engine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Values at the edges of what a type can hold, and failures at the source, as coded errors. */
class ValueEdgesTest {

  @Test
  void aMySqlTimeBeyondADayIsADataErrorNamingTheFix() {
    GatehouseException e = assertThrows(GatehouseException.class,
        () -> engine("select c_time from crm.crm.type_samples where id in (2, 3)"));
    assertEquals(ErrorCode.DATA_ERROR, e.code(), e.getMessage());
    assertTrue(e.getMessage().contains("cannot be read as TIME"), e.getMessage());
  }

  @Test
  void aMySqlTimeBeyondADayCanBeReadAsText() {
    List<List<Object>> rows = engine("select cast(c_time as varchar(20)) from crm.crm.type_samples"
        + " where id in (2, 3) order by id");
    assertEquals(2, rows.size());
    assertTrue(String.valueOf(rows.get(0).get(0)).startsWith("-838:59:59"), rows::toString);
  }

  @Test
  void aDivisionByZeroAtTheSourceIsADataErrorWithoutTheDriversText() {
    GatehouseException e = assertThrows(GatehouseException.class,
        () -> engine("select id / (id - id) from shop.public.customers"));
    assertEquals(ErrorCode.DATA_ERROR, e.code(), e.getMessage());
    assertTrue(e.getMessage().contains("22012"), e.getMessage());
    // PostgreSQL's own text is "ERROR: division by zero"; it stays in the debug log.
    assertTrue(!e.getMessage().contains("ERROR: division"),
        "the driver's own message stays in the log: " + e.getMessage());
  }

  /**
   * SQL's CURRENT_TIMESTAMP is a TIMESTAMP; PostgreSQL answers a timestamptz, which its driver will
   * not give as a LocalDateTime (this was a DATA_ERROR). It reads as UTC wall-clock time, between
   * the source's own clock before and after the query.
   */
  @Test
  void currentTimestampFromPostgresReadsAsUtcWallClock() throws Exception {
    java.time.LocalDateTime before = sourceNowUtc();
    List<List<Object>> rows = engine("select current_timestamp as t, id from shop.public.customers"
        + " where id = 1");
    java.time.LocalDateTime after = sourceNowUtc();
    java.time.LocalDateTime t = (java.time.LocalDateTime) rows.get(0).get(0);
    assertTrue(!t.isBefore(before) && !t.isAfter(after), before + " <= " + t + " <= " + after);
  }

  private static java.time.LocalDateTime sourceNowUtc() throws Exception {
    try (java.sql.Connection c = TwoSources.PG.readerConnection();
        java.sql.Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("select clock_timestamp() at time zone 'UTC'")) {
      rs.next();
      return rs.getObject(1, java.time.LocalDateTime.class);
    }
  }

  /** RAND() reaches PostgreSQL as its random(), which exists there; RAND() does not. */
  @Test
  void randRunsOnPostgres() {
    List<List<Object>> rows = engine("select count(*) from shop.public.customers where rand() < 2");
    assertEquals(100L, ((Number) rows.get(0).get(0)).longValue());
  }
}
