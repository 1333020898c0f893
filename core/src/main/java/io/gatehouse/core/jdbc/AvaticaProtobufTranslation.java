package io.gatehouse.core.jdbc;

import java.io.IOException;
import org.apache.calcite.avatica.remote.ProtobufTranslation;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.Service;

/**
 * Avatica's protobuf translation, for subclasses that handle some messages themselves (the server's
 * result frames, the remote driver's) and leave the others to Avatica.
 */
public abstract class AvaticaProtobufTranslation implements ProtobufTranslation {
  /** Avatica's own translation. */
  protected final ProtobufTranslation avatica = new ProtobufTranslationImpl();

  @Override
  public byte[] serializeResponse(Service.Response response) throws IOException {
    return avatica.serializeResponse(response);
  }

  @Override
  public byte[] serializeRequest(Service.Request request) throws IOException {
    return avatica.serializeRequest(request);
  }

  @Override
  public Service.Request parseRequest(byte[] bytes) throws IOException {
    return avatica.parseRequest(bytes);
  }

  @Override
  public Service.Response parseResponse(byte[] bytes) throws IOException {
    return avatica.parseResponse(bytes);
  }
}
