package io.gatehouse.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.jdbc.FrameRows;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.proto.Common;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.Service;
import org.junit.jupiter.api.Test;

/**
 * The frames and responses the server writes by hand parse, with Avatica's own protobuf classes, to
 * exactly what Avatica's encoder would have sent.
 */
class WireFrameTest {
  /** Every kind of serial value the engine hands the server, with the edges of each encoding. */
  static List<Object[]> rows() {
    List<Object[]> rows = new ArrayList<>();
    rows.add(new Object[] {1L, "abc", null, new BigDecimal("1234.50"), 3, 2.5d, true,
        (short) 7, (byte) -3, 1.25f, new byte[] {1, 2, (byte) 0xff}});
    // proto3 leaves default values out: zeros, empty strings and arrays, false
    rows.add(new Object[] {0L, "", false, BigDecimal.ZERO, 0, 0.0d, false, (short) 0, (byte) 0,
        0.0f, new byte[0]});
    rows.add(new Object[] {Long.MIN_VALUE, "ünïcødé ✓ 𝄞", null, new BigDecimal("-1E+30"),
        Integer.MIN_VALUE, -0.0d, null, Short.MIN_VALUE, Byte.MIN_VALUE, -0.0f, null});
    rows.add(new Object[] {Long.MAX_VALUE, "x".repeat(300), null, new BigDecimal("0.000001"),
        Integer.MAX_VALUE, Double.NaN, true, Short.MAX_VALUE, Byte.MAX_VALUE, Float.NaN,
        new byte[300]});
    rows.add(new Object[] {-1L, "a\u0000b", 'c', new BigDecimal("99999999999999999999.99"), -1,
        Double.NEGATIVE_INFINITY, null, null, null, Float.MIN_VALUE, new byte[] {0}});
    return rows;
  }

  private static Common.Frame parse(WireFrame f) throws Exception {
    com.google.protobuf.CodedOutputStream o;
    byte[] bytes = new byte[f.encodedLength()];
    o = com.google.protobuf.CodedOutputStream.newInstance(bytes);
    f.writeEncoded(o);
    return Common.Frame.parseFrom(bytes);
  }

  private static WireFrame encode(List<Object[]> rows, long offset, boolean done) {
    WireFrame.Encoder e = new WireFrame.Encoder();
    rows.forEach(e::add);
    return e.finish(offset, done);
  }

  @Test
  void valuesAreEncodedAsAvaticaEncodesThem() throws Exception {
    List<Object[]> rows = rows();
    Common.Frame mine = parse(encode(rows, 40_000_000_000L, true));
    Common.Frame avatica = new Meta.Frame(40_000_000_000L, true, new ArrayList<Object>(rows)).toProto();
    assertEquals(avatica.getOffset(), mine.getOffset());
    assertTrue(mine.getDone());
    assertEquals(avatica.getRowsCount(), mine.getRowsCount());
    for (int r = 0; r < rows.size(); r++) {
      for (int c = 0; c < rows.get(r).length; c++) {
        Common.ColumnValue m = mine.getRows(r).getValue(c);
        Common.ColumnValue a = avatica.getRows(r).getValue(c);
        String where = "row " + r + " column " + c + " " + Arrays.toString(rows.get(r));
        assertEquals(a.getScalarValue(), m.getScalarValue(), where);
        assertTrue(m.hasScalarValue(), where);
        assertEquals(0, m.getValueCount(), "new style only: " + where);
        assertFalse(m.getHasArrayValue(), where);
      }
    }
    // and what a client reads from it
    assertEquals(FrameRows.show(Meta.Frame.fromProto(avatica).rows), FrameRows.show(Meta.Frame.fromProto(mine).rows));
  }

  @Test
  void emptyAndFirstFrames() throws Exception {
    Common.Frame empty = parse(encode(List.of(), 0, false));
    assertEquals(Common.Frame.getDefaultInstance(), empty);
    WireFrame f = encode(List.of(), 0, true);
    assertEquals(0, f.size());
    assertTrue(parse(f).getDone());
  }

  @Test
  void growsPastItsFirstBuffer() throws Exception {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      rows.add(new Object[] {(long) i, "row " + i + " " + "y".repeat(i % 50), new BigDecimal(i).movePointLeft(2)});
    }
    WireFrame f = encode(rows, 10, false);
    assertEquals(5_000, f.size());
    Common.Frame mine = parse(f);
    assertEquals(new Meta.Frame(10, false, new ArrayList<Object>(rows)).toProto().getRowsList().stream()
        .map(r -> r.getValueList().stream().map(Common.ColumnValue::getScalarValue).toList()).toList(),
        mine.getRowsList().stream()
            .map(r -> r.getValueList().stream().map(Common.ColumnValue::getScalarValue).toList()).toList());
  }

  @Test
  void rowsAndEncodedFramesConvertBothWays() {
    List<Object[]> rows = rows();
    WireFrame asRows = new WireFrame(5, true, new ArrayList<Object>(rows));
    assertEquals(FrameRows.show(Meta.Frame.fromProto(asRows.toProto()).rows),
        FrameRows.show(Meta.Frame.fromProto(encode(rows, 5, true).toProto()).rows));
    WireFrame back = encode(rows, 5, true).withRows();
    assertFalse(back.isEncoded());
    assertEquals(5, back.offset);
    assertEquals(rows.size(), back.size());
    int r = 0;
    for (Object row : back.rows) {
      Object[] expected = rows.get(r++);
      Object[] actual = (Object[]) row;
      for (int c = 0; c < expected.length; c++) {
        if (expected[c] instanceof byte[] b) {
          assertArrayEquals(b, (byte[]) actual[c]);
        } else {
          assertEquals(expected[c], actual[c]);
        }
      }
    }
  }

  @Test
  void responsesParseWithAvaticasTranslation() throws Exception {
    ServerProtobufTranslation mine = new ServerProtobufTranslation();
    ProtobufTranslationImpl avatica = new ProtobufTranslationImpl();
    List<Object[]> rows = rows();
    Service.RpcMetadataResponse metadata = new Service.RpcMetadataResponse("host:8765");
    for (Service.RpcMetadataResponse m : Arrays.asList(null, metadata)) {
      for (boolean flag : new boolean[] {false, true}) {
        Service.FetchResponse fetch = new Service.FetchResponse(encode(rows, 7, flag), flag, flag, m);
        Service.FetchResponse got = (Service.FetchResponse) avatica.parseResponse(mine.serializeResponse(fetch));
        Service.FetchResponse expected = (Service.FetchResponse) avatica.parseResponse(avatica.serializeResponse(
            new Service.FetchResponse(new Meta.Frame(7, flag, new ArrayList<Object>(rows)), flag, flag, m)));
        assertEquals(FrameRows.show(expected.frame.rows), FrameRows.show(got.frame.rows));
        assertEquals(7, got.frame.offset);
        assertEquals(flag, got.frame.done);
        assertEquals(flag, got.missingStatement);
        assertEquals(flag, got.missingResults);
        assertEquals(expected.rpcMetadata, got.rpcMetadata);

        Service.ResultSetResponse first = new Service.ResultSetResponse("conn", 3, flag, FrameRows.signature(),
            encode(rows, 0, flag), -1, m);
        Service.ResultSetResponse plain = new Service.ResultSetResponse("conn", 4, false, FrameRows.signature(),
            new Meta.Frame(0, true, List.of(List.of(1L))), -1, m);
        Service.ResultSetResponse none = new Service.ResultSetResponse(null, 5, false, null, null, 2, null);
        Service.ExecuteResponse execute = new Service.ExecuteResponse(List.of(first, plain, none), flag, m);
        Service.ExecuteResponse e = (Service.ExecuteResponse) avatica.parseResponse(mine.serializeResponse(execute));
        assertEquals(3, e.results.size());
        assertEquals(flag, e.missingStatement);
        assertEquals(m, e.rpcMetadata);
        Service.ResultSetResponse r = e.results.get(0);
        assertEquals("conn", r.connectionId);
        assertEquals(3, r.statementId);
        assertEquals(flag, r.ownStatement);
        assertEquals(-1, r.updateCount);
        assertEquals(FrameRows.signature(), r.signature);
        assertEquals(m, r.rpcMetadata);
        assertEquals(FrameRows.show(expected.frame.rows), FrameRows.show(r.firstFrame.rows));
        assertEquals(flag, r.firstFrame.done);
        assertEquals("[Long:1, ]\n", FrameRows.show(e.results.get(1).firstFrame.rows));
        assertEquals(4, e.results.get(1).statementId);
        assertNull(e.results.get(2).connectionId);
        assertNull(e.results.get(2).firstFrame);
        assertNull(e.results.get(2).signature);
        assertEquals(2, e.results.get(2).updateCount);
      }
    }
    // everything else is Avatica's own encoding
    Service.FetchResponse plain = new Service.FetchResponse(new Meta.Frame(0, true, List.of()), false, false, null);
    assertArrayEquals(avatica.serializeResponse(plain), mine.serializeResponse(plain));
  }
}
