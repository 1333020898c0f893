package io.gatehouse.server.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import io.gatehouse.core.Column;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

/**
 * A JSON array with one object per row, keyed by column name, one row per line. Numbers are JSON
 * numbers (decimals exact, never in exponent form; NaN and infinities as strings), booleans and null
 * as themselves, dates and times as ISO-8601 strings, binary as base64 strings.
 */
final class JsonPrinter implements ResultPrinter {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(com.fasterxml.jackson.core.StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
      .disable(com.fasterxml.jackson.core.StreamWriteFeature.AUTO_CLOSE_TARGET)
      .build();

  private final PrintWriter out;
  private final JsonGenerator json;
  private String[] names;

  JsonPrinter(PrintWriter out) {
    this.out = out;
    try {
      this.json = FACTORY.createGenerator(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    json.setPrettyPrinter(new RowPerLine());
  }

  @Override
  public void start(List<Column> columns) {
    names = columns.stream().map(Column::name).toArray(String[]::new);
    try {
      json.writeStartArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void row(Object[] values) {
    try {
      json.writeStartObject();
      for (int i = 0; i < values.length; i++) {
        json.writeFieldName(names[i]);
        write(values[i]);
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void end(long rowCount, boolean truncated) {
    try {
      json.writeEndArray();
      json.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.println();
    out.flush();
  }

  private void write(Object v) throws IOException {
    if (v == null) {
      json.writeNull();
    } else if (v instanceof Boolean b) {
      json.writeBoolean(b);
    } else if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      json.writeNumber(((Number) v).intValue());
    } else if (v instanceof Long l) {
      json.writeNumber(l);
    } else if (v instanceof BigDecimal d) {
      json.writeNumber(d);
    } else if (v instanceof BigInteger i) {
      json.writeNumber(i);
    } else if (v instanceof Double d) {
      json.writeNumber(d); // NaN and infinities become strings (Jackson's default)
    } else if (v instanceof Float f) {
      json.writeNumber(f);
    } else if (v instanceof String s) {
      json.writeString(s);
    } else if (v instanceof byte[] b) {
      json.writeBinary(b);
    } else {
      String iso = Values.iso(v);
      json.writeString(iso != null ? iso : String.valueOf(v));
    }
  }

  /** {@code [}, each row on its own line indented by two spaces, {@code ]}. */
  private static final class RowPerLine extends MinimalPrettyPrinter {
    private static final long serialVersionUID = 1L;

    @Override
    public void beforeArrayValues(JsonGenerator g) throws IOException {
      g.writeRaw("\n  ");
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(",\n  ");
    }

    @Override
    public void writeEndArray(JsonGenerator g, int nrOfValues) throws IOException {
      g.writeRaw(nrOfValues > 0 ? "\n]" : "]");
    }
  }
}
