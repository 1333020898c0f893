package io.gatehouse.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class FormattingTest {
  @Test
  void csvQuotesOnlyWhatNeedsIt() {
    assertEquals("plain", CsvPrinter.field("plain"));
    assertEquals("\"\"", CsvPrinter.field(""));
    assertEquals("\"a,b\"", CsvPrinter.field("a,b"));
    assertEquals("\"a\"\"b\"", CsvPrinter.field("a\"b"));
    assertEquals("\"a\r\nb\"", CsvPrinter.field("a\r\nb"));
    assertEquals(" padded ", CsvPrinter.field(" padded "));
  }

  @Test
  void tableCellsStayOnOneLine() {
    assertEquals("a\\nb\\tc\\r", TablePrinter.cell("a\nb\tc\r"));
    assertEquals("bell\\u0007", TablePrinter.cell("bell\u0007"));
    assertEquals("unchanged", TablePrinter.cell("unchanged"));
  }

  @Test
  void valuesAsText() {
    assertEquals("1000", Values.text(new BigDecimal("1E+3"), false));
    assertEquals("2024-01-02T10:00:00", Values.text(LocalDateTime.of(2024, 1, 2, 10, 0), false));
    assertEquals("10:00:00", Values.text(LocalTime.of(10, 0), false));
    assertEquals("2024-01-02T10:00:00Z",
        Values.text(OffsetDateTime.of(2024, 1, 2, 10, 0, 0, 0, ZoneOffset.UTC), false));
    assertEquals("AQL/", Values.text(new byte[] {1, 2, -1}, false));
    assertEquals("\\x0102ff", Values.text(new byte[] {1, 2, -1}, true));
    assertEquals(null, Values.text(null, false));
  }

  @Test
  void yamlSnippetsAreDroppedFromConfigProblems() {
    String message = "is not valid YAML at line 3, column 13: while scanning a quoted scalar\n"
        + " in 'reader', line 3, column 15:\n"
        + "        password: \"hunter2\n"
        + "                  ^\n"
        + "found unexpected end of stream\n"
        + " in 'reader', line 5, column 1:\n"
        + "    \n"
        + "    ^\n";
    assertEquals("is not valid YAML at line 3, column 13: while scanning a quoted scalar"
        + " (line 3, column 15); found unexpected end of stream (line 5, column 1)",
        Errors.withoutYamlSnippets(message));
    assertEquals("sources[0].port: must be 1..65535", Errors.withoutYamlSnippets("sources[0].port: must be 1..65535"));
  }
}
