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
}
