package io.gatehouse.adapter.bigquery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.RuntimeVersion;
import java.util.List;
import org.apache.calcite.avatica.proto.Common;
import org.junit.jupiter.api.Test;

/**
 * What the BigQuery client brings onto the class path the server shares with the other adapters.
 * The pom leaves out the Storage Read API, gRPC transport, Netty and Arrow (used only by the
 * client's optional Connection API), and the enforcer's dependencyConvergence keeps one version of
 * everything else; these tests check the run-time side of that. (Every other test of this module
 * runs the client without those libraries.)
 */
class BigQueryDependencyTest {
  @Test
  void theGrpcNettyAndArrowStacksAreNotOnTheClassPath() {
    for (String name : List.of("io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder",
        "io.netty.buffer.ByteBuf", "org.apache.arrow.vector.VectorSchemaRoot",
        "com.google.cloud.bigquery.storage.v1.BigQueryReadClient", "io.grpc.internal.ManagedChannelImplBuilder",
        "com.google.api.gax.grpc.GrpcTransportChannel")) {
      assertThrows(ClassNotFoundException.class, () -> Class.forName(name), name);
    }
  }

  @Test
  void protobufIsTheRootPinAndAvaticasWireFormatRunsOnIt() throws Exception {
    assertEquals(4, RuntimeVersion.MAJOR);
    assertEquals(33, RuntimeVersion.MINOR);
    Common.TypedValue v = Common.TypedValue.newBuilder().setType(Common.Rep.LONG)
        .setNumberValue(42).build();
    assertEquals(42, Common.TypedValue.parseFrom(v.toByteArray()).getNumberValue());
  }

  @Test
  void guavaIsTheOneVersionTheRootPins() {
    String jar = com.google.common.base.Preconditions.class.getProtectionDomain().getCodeSource()
        .getLocation().toString();
    assertEquals(true, jar.contains("33.5.0-jre"), jar);
  }
}
