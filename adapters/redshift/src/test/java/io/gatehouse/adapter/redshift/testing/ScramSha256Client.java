package io.gatehouse.adapter.redshift.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client side of SCRAM-SHA-256 (RFC 5802 / RFC 7677) as PostgreSQL uses it: no channel binding,
 * the user name taken from the startup message. For the test proxy only; passwords are assumed to be
 * plain ASCII, so SASLprep leaves them unchanged.
 */
final class ScramSha256Client {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String GS2_HEADER = "n,,";

  private final char[] password;
  private final String clientNonce;
  private String clientFirstBare;
  private byte[] saltedPassword;
  private String authMessage;

  ScramSha256Client(char[] password) {
    this.password = password.clone();
    byte[] nonce = new byte[18];
    RANDOM.nextBytes(nonce);
    this.clientNonce = Base64.getEncoder().encodeToString(nonce);
  }

  String clientFirstMessage() {
    clientFirstBare = "n=,r=" + clientNonce;
    return GS2_HEADER + clientFirstBare;
  }

  /** The answer to the server's first message ({@code r=...,s=...,i=...}), with the proof. */
  String clientFinalMessage(String serverFirst) {
    Map<String, String> a = attributes(serverFirst);
    String nonce = a.get("r");
    if (nonce == null || !nonce.startsWith(clientNonce)) {
      throw new IllegalStateException("the server's nonce does not extend the client's");
    }
    byte[] salt = Base64.getDecoder().decode(a.get("s"));
    int iterations = Integer.parseInt(a.get("i"));
    try {
      SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
      saltedPassword = f.generateSecret(new PBEKeySpec(password, salt, iterations, 256)).getEncoded();
      Arrays.fill(password, '\0');
      byte[] clientKey = hmac(saltedPassword, "Client Key");
      byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
      String withoutProof = "c=" + Base64.getEncoder().encodeToString(
          GS2_HEADER.getBytes(StandardCharsets.US_ASCII)) + ",r=" + nonce;
      authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
      byte[] signature = hmac(storedKey, authMessage);
      byte[] proof = new byte[clientKey.length];
      for (int i = 0; i < proof.length; i++) {
        proof[i] = (byte) (clientKey[i] ^ signature[i]);
      }
      return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Checks the server's signature ({@code v=...}): the server knew the password too. */
  void verifyServerFinalMessage(String serverFinal) {
    String v = attributes(serverFinal).get("v");
    try {
      byte[] expected = hmac(hmac(saltedPassword, "Server Key"), authMessage);
      if (v == null || !MessageDigest.isEqual(expected, Base64.getDecoder().decode(v))) {
        throw new IllegalStateException("the server's SCRAM signature does not verify");
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String text) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, String> attributes(String message) {
    Map<String, String> out = new HashMap<>();
    for (String part : message.split(",")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        out.put(part.substring(0, eq), part.substring(eq + 1));
      }
    }
    return out;
  }
}
