package io.gatehouse.adapter.bigquery.fake;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A service-account key made for a test: a fresh RSA key pair and the JSON of a key file, the
 * same shape as one downloaded from Google Cloud, whose {@code token_uri} points at the fake. The
 * fake knows only the public half (see {@link FakeBigQuery#registerServiceAccount}).
 */
public final class ServiceAccountKey {
  private final String clientEmail;
  private final KeyPair pair;
  private final String json;

  private ServiceAccountKey(String clientEmail, KeyPair pair, String json) {
    this.clientEmail = clientEmail;
    this.pair = pair;
    this.json = json;
  }

  /**
   * @param keyId the key file's {@code private_key_id}; tests put a marker here to prove the key
   *     file never shows up in messages or logs
   */
  public static ServiceAccountKey create(String project, String name, String tokenUri, String keyId) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      KeyPair pair = g.generateKeyPair();
      String pem = "-----BEGIN PRIVATE KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
              .encodeToString(pair.getPrivate().getEncoded())
          + "\n-----END PRIVATE KEY-----\n";
      String email = name + "@" + project + ".iam.gserviceaccount.com";
      Map<String, Object> key = new LinkedHashMap<>();
      key.put("type", "service_account");
      key.put("project_id", project);
      key.put("private_key_id", keyId);
      key.put("private_key", pem);
      key.put("client_email", email);
      key.put("client_id", "100000000000000000001");
      key.put("auth_uri", "https://accounts.google.com/o/oauth2/auth");
      key.put("token_uri", tokenUri);
      return new ServiceAccountKey(email, pair, new ObjectMapper().writeValueAsString(key));
    } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public String clientEmail() {
    return clientEmail;
  }

  public PublicKey publicKey() {
    return pair.getPublic();
  }

  /** The key file's JSON (a secret). */
  public String json() {
    return json;
  }

  @Override
  public String toString() {
    return "ServiceAccountKey[" + clientEmail + "]";
  }
}
