package io.gatehouse.core.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.proto.Common;
import org.apache.calcite.avatica.proto.Responses;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.Service;
import org.junit.jupiter.api.Test;

/** {@link ClientProtobufTranslation} reads every response exactly as Avatica's translation does. */
class ClientProtobufTranslationTest {
  private final ProtobufTranslationImpl avatica = new ProtobufTranslationImpl();
  private final ClientProtobufTranslation mine = new ClientProtobufTranslation();

  /** Rows of every kind of value Avatica's encoder writes (it writes old and new style both). */
  private static List<Object> rows() {
    List<Object> rows = new ArrayList<>();
    rows.add(new Object[] {1L, "abc", null, new BigDecimal("1234.50"), 3, 2.5d, true, (short) 7,
        (byte) -3, 1.25f, new byte[] {1, 2, (byte) 0xff}, 'c', new java.sql.Date(86_400_000L),
        new java.sql.Timestamp(1_700_000_000_123L), new java.sql.Time(3_600_000L)});
    rows.add(new Object[] {0L, "", false, BigDecimal.ZERO, 0, 0.0d, false, (short) 0, (byte) 0,
        0.0f, new byte[0], ' ', null, null, null});
    rows.add(new Object[] {Long.MIN_VALUE, "ünïcødé ✓ 𝄞", null, new BigDecimal("-1E+30"),
        Integer.MIN_VALUE, -0.0d, null, Short.MIN_VALUE, Byte.MIN_VALUE, -0.0f, null, null,
        new java.sql.Date(-86_400_000L * 365), new java.sql.Timestamp(-1L), null});
    rows.add(new Object[] {Long.MAX_VALUE, "x".repeat(300), List.of(1, 2, 3),
        new BigDecimal("0.000001"), Integer.MAX_VALUE, Double.NaN, true, Short.MAX_VALUE,
        Byte.MAX_VALUE, Float.NaN, new byte[300], 'z', null, null, null});
    rows.add(new Object[] {1L, "d", null, new BigDecimal("-0.00"), 1, 1.0d, true, (short) 1,
        (byte) 1, 1f, null, 'd', null, null, null});
    rows.add(new Object[] {1L, "d", null, new BigDecimal("12345678901234567890.12"), 1, 1.0d, true,
        (short) 1, (byte) 1, 1f, null, 'd', null, null, null});
    rows.add(new Object[] {1L, "d", null, BigDecimal.valueOf(-5, -3), 1, 1.0d, true,
        (short) 1, (byte) 1, 1f, null, 'd', null, null, null});
    return rows;
  }

  @Test
  void fetchResponses() throws Exception {
    for (Service.RpcMetadataResponse m : Arrays.asList(null, new Service.RpcMetadataResponse("h:1"))) {
      for (boolean flag : new boolean[] {false, true}) {
        byte[] bytes = avatica.serializeResponse(
            new Service.FetchResponse(new Meta.Frame(12, flag, rows()), flag, !flag, m));
        Service.FetchResponse expected = (Service.FetchResponse) avatica.parseResponse(bytes);
        Service.FetchResponse got = (Service.FetchResponse) mine.parseResponse(bytes);
        assertEquals(FrameRows.show(expected.frame.rows), FrameRows.show(got.frame.rows));
        assertEquals(expected.frame.offset, got.frame.offset);
        assertEquals(expected.frame.done, got.frame.done);
        assertEquals(expected.missingStatement, got.missingStatement);
        assertEquals(expected.missingResults, got.missingResults);
        assertEquals(expected.rpcMetadata, got.rpcMetadata);
      }
    }
    // no frame at all
    byte[] empty = avatica.serializeResponse(new Service.FetchResponse(null, false, false, null));
    Service.FetchResponse got = (Service.FetchResponse) mine.parseResponse(empty);
    Service.FetchResponse expected = (Service.FetchResponse) avatica.parseResponse(empty);
    assertEquals(expected.frame.offset, got.frame.offset);
    assertEquals(expected.frame.done, got.frame.done);
    assertEquals(FrameRows.show(expected.frame.rows), FrameRows.show(got.frame.rows));
  }

  @Test
  void executeResponses() throws Exception {
    Service.RpcMetadataResponse m = new Service.RpcMetadataResponse("h:1");
    Service.ResultSetResponse first = new Service.ResultSetResponse("conn", 3, true, FrameRows.signature(),
        new Meta.Frame(0, false, rows()), -1, m);
    Service.ResultSetResponse none = new Service.ResultSetResponse(null, 5, false, null, null, 2, null);
    byte[] bytes = avatica.serializeResponse(new Service.ExecuteResponse(List.of(first, none), true, m));
    Service.ExecuteResponse expected = (Service.ExecuteResponse) avatica.parseResponse(bytes);
    Service.ExecuteResponse got = (Service.ExecuteResponse) mine.parseResponse(bytes);
    assertEquals(expected.missingStatement, got.missingStatement);
    assertEquals(expected.rpcMetadata, got.rpcMetadata);
    assertEquals(expected.results.size(), got.results.size());
    for (int i = 0; i < expected.results.size(); i++) {
      Service.ResultSetResponse e = expected.results.get(i);
      Service.ResultSetResponse g = got.results.get(i);
      assertEquals(e.connectionId, g.connectionId);
      assertEquals(e.statementId, g.statementId);
      assertEquals(e.ownStatement, g.ownStatement);
      assertEquals(e.signature, g.signature);
      assertEquals(e.updateCount, g.updateCount);
      assertEquals(e.rpcMetadata, g.rpcMetadata);
      if (e.firstFrame == null) {
        assertEquals(null, g.firstFrame);
      } else {
        assertEquals(FrameRows.show(e.firstFrame.rows), FrameRows.show(g.firstFrame.rows));
        assertEquals(e.firstFrame.done, g.firstFrame.done);
      }
    }
  }

  /** Hand-made columns: new style only, arrays, old-style decimals, both styles, empty. */
  @Test
  void unusualColumns() throws Exception {
    Common.TypedValue one = Common.TypedValue.newBuilder().setType(Common.Rep.INTEGER).setNumberValue(1).build();
    Common.TypedValue oldDecimal = Common.TypedValue.newBuilder().setType(Common.Rep.BIG_DECIMAL)
        .setBytesValue(com.google.protobuf.ByteString.copyFrom(new java.math.BigInteger("12345").toByteArray()))
        .setNumberValue(2).build();
    Common.TypedValue array = Common.TypedValue.newBuilder().setType(Common.Rep.ARRAY)
        .setComponentType(Common.Rep.INTEGER).addArrayValue(one).addArrayValue(one).build();
    List<Common.ColumnValue> columns = List.of(
        Common.ColumnValue.newBuilder().setScalarValue(one).build(),
        Common.ColumnValue.newBuilder().setScalarValue(oldDecimal).build(),
        Common.ColumnValue.newBuilder().setScalarValue(array).build(),
        Common.ColumnValue.newBuilder().setHasArrayValue(true).addArrayValue(one).addArrayValue(array).build(),
        Common.ColumnValue.newBuilder().addValue(one).build(),
        Common.ColumnValue.newBuilder().addValue(one).addValue(one).build(),
        Common.ColumnValue.newBuilder().addValue(one).setScalarValue(oldDecimal).build(),
        Common.ColumnValue.newBuilder().setScalarValue(Common.TypedValue.newBuilder()
            .setType(Common.Rep.STRING).setStringValue("s").setImplicitlyNull(true)).build());
    Common.Frame frame = Common.Frame.newBuilder().setDone(true)
        .addRows(Common.Row.newBuilder().addAllValue(columns)).build();
    byte[] bytes = wrap(Responses.FetchResponse.newBuilder().setFrame(frame).build());
    Service.FetchResponse expected = (Service.FetchResponse) avatica.parseResponse(bytes);
    Service.FetchResponse got = (Service.FetchResponse) mine.parseResponse(bytes);
    assertEquals(FrameRows.show(expected.frame.rows), FrameRows.show(got.frame.rows));

    // what Avatica refuses, this refuses too
    Common.Frame both = Common.Frame.newBuilder().addRows(Common.Row.newBuilder().addValue(
        Common.ColumnValue.newBuilder().setScalarValue(one).setHasArrayValue(true))).build();
    byte[] bad = wrap(Responses.FetchResponse.newBuilder().setFrame(both).build());
    assertThrows(IllegalArgumentException.class, () -> avatica.parseResponse(bad));
    assertThrows(IllegalArgumentException.class, () -> mine.parseResponse(bad));
  }

  private static byte[] wrap(Responses.FetchResponse message) {
    return Common.WireMessage.newBuilder().setName(Responses.FetchResponse.class.getName())
        .setWrappedMessage(message.toByteString()).build().toByteArray();
  }

  @Test
  void decimalsReadAsBigDecimalReadsThem() throws Exception {
    for (String text : List.of("0", "-0", "0.00", "-0.00", "1.50", "-1234.56", "007", "1.", ".5",
        "-.5", "000.000", "999999999999999999", "-999999999999999999", "9999999999999999999",
        "123456789012345678.9", "0.000000000000000001", "1E+30", "-5E+3", "1.2E-7", "+5", "1.2.3",
        "12345678901234567890123456789.123456789")) {
      byte[] b = ("xx" + text + "yy").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      BigDecimal expected;
      try {
        expected = new BigDecimal(text);
      } catch (NumberFormatException e) {
        assertThrows(NumberFormatException.class, () -> ClientProtobufTranslation.decimal(b, 2, text.length()));
        continue;
      }
      BigDecimal got = ClientProtobufTranslation.decimal(b, 2, text.length());
      assertEquals(expected, got, text);
      assertEquals(expected.toString(), got.toString(), text);
      assertEquals(expected.scale(), got.scale(), text);
    }
  }

  @Test
  void stringsAreUtf8AsProtobufReadsThem() throws Exception {
    for (String text : List.of("", "plain ascii", "latin-1 é", "ünïcødé ✓ 𝄞", "\uFFFD itself")) {
      byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      assertEquals(text, ClientProtobufTranslation.string(b, 0, b.length));
    }
    byte[] malformed = {'a', (byte) 0xC3, 'b'};
    assertThrows(com.google.protobuf.InvalidProtocolBufferException.class,
        () -> ClientProtobufTranslation.string(malformed, 0, malformed.length));
  }

  @Test
  void otherResponsesAreAvaticas() throws Exception {
    Service.ErrorResponse error = new Service.ErrorResponse(List.of(), "boom", 42, "XX000",
        org.apache.calcite.avatica.AvaticaSeverity.ERROR, null);
    Service.Response got = mine.parseResponse(avatica.serializeResponse(error));
    assertEquals(error, got);
    Service.CloseStatementResponse close = new Service.CloseStatementResponse(null);
    assertEquals(close, mine.parseResponse(avatica.serializeResponse(close)));
  }

  @Test
  void urlsOfBothDrivers() throws Exception {
    assertEquals(true, new RemoteDriver().acceptsURL("jdbc:gatehouse:remote:url=http://h:1"));
    assertEquals(false, new GatehouseDriver().acceptsURL("jdbc:gatehouse:remote:url=http://h:1"));
    assertEquals(true, new GatehouseDriver().acceptsURL("jdbc:gatehouse:config=/x.yaml"));
    assertEquals(false, new RemoteDriver().acceptsURL("jdbc:gatehouse:config=/x.yaml"));
    assertEquals(null, new GatehouseDriver().connect("jdbc:gatehouse:remote:url=http://h:1", new java.util.Properties()));
  }
}
