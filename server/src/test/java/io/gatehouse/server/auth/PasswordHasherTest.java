package io.gatehouse.server.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
  /** Cheap costs for tests that are not about the defaults. */
  private static final PasswordHasher CHEAP = new PasswordHasher(256, 1, 1);
  private static final PasswordHasher DEFAULT = new PasswordHasher();

  private static final Pattern PHC = Pattern.compile(
      "\\$argon2id\\$v=19\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");

  @Test
  void defaultHashRoundTrips() {
    String hash = DEFAULT.hash(pw("correct horse battery staple"));
    assertTrue(DEFAULT.verify(pw("correct horse battery staple"), hash));
    assertFalse(DEFAULT.verify(pw("correct horse battery stapler"), hash));
    assertTrue(PasswordHasher.isSupported(hash));
  }

  @Test
  void defaultHashIsPhcArgon2idWithTheDocumentedCosts() {
    String hash = DEFAULT.hash(pw("correct horse battery staple"));
    Matcher m = PHC.matcher(hash);
    assertTrue(m.matches(), hash);
    assertEquals("65536", m.group(1));
    assertEquals("3", m.group(2));
    assertEquals("1", m.group(3));
    assertEquals(16, Base64.getDecoder().decode(m.group(4)).length);
    assertEquals(32, Base64.getDecoder().decode(m.group(5)).length);
    assertFalse(m.group(4).contains("=") || m.group(5).contains("="), "no base64 padding: " + hash);
  }

  @Test
  void wrongPasswordsFail() {
    String hash = CHEAP.hash(pw("s3cret-passphrase"));
    assertTrue(CHEAP.verify(pw("s3cret-passphrase"), hash));
    assertFalse(CHEAP.verify(pw("s3cret-passphras"), hash));
    assertFalse(CHEAP.verify(pw("S3cret-passphrase"), hash));
    assertFalse(CHEAP.verify(pw(""), hash));
    assertFalse(CHEAP.verify(null, hash));
  }

  @Test
  void theSamePasswordHashesDifferentlyEachTime() {
    String a = CHEAP.hash(pw("same password here"));
    String b = CHEAP.hash(pw("same password here"));
    assertNotEquals(a, b);
    assertNotEquals(a.split("\\$")[4], b.split("\\$")[4], "salts differ");
    assertTrue(CHEAP.verify(pw("same password here"), a));
    assertTrue(CHEAP.verify(pw("same password here"), b));
  }

  @Test
  void costsComeFromTheStoredHashNotTheHasher() {
    String hash = new PasswordHasher(512, 2, 2).hash(pw("another password"));
    assertTrue(hash.startsWith("$argon2id$v=19$m=512,t=2,p=2$"), hash);
    assertTrue(CHEAP.verify(pw("another password"), hash));
  }

  @Test
  void unicodePasswordsAreUtf8() {
    char[] password = pw("pässwörd-日本語-\uD83D\uDD11");
    String hash = CHEAP.hash(password);
    assertTrue(CHEAP.verify(password, hash));
    assertFalse(CHEAP.verify(pw("passwörd-日本語-\uD83D\uDD11"), hash));
    assertArrayEquals(pw("pässwörd-日本語-\uD83D\uDD11"), password, "the caller's array is untouched");
  }

  /**
   * Vectors of the reference implementation's own tests (P-H-C/phc-winner-argon2, src/test.c): the
   * PHC strings it produces for "password" with salt "somesalt". Written by another
   * implementation, they check both the parser and the algorithm.
   */
  @Test
  void referenceImplementationVectorsVerify() {
    String[][] vectors = {
        {"password", "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"},
        {"password", "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"},
        {"password", "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc"},
        {"differentpassword", "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$C4TWUs9rDEvq7w3+J4umqA32aWKB1+DSiRuBfYxFj94"},
        {"password", "$argon2id$v=19$m=65536,t=2,p=1$ZGlmZnNhbHQ$vfMrBczELrFdWP0ZsfhWsRPaHppYdP3MVEMIVlqoFBw"},
        // argon2i, version 19 and version 16 (written without v=)
        {"password", "$argon2i$v=19$m=256,t=2,p=2$c29tZXNhbHQ$T/XOJ2mh1/TIpJHfCdQan76Q5esCFVoT5MAeIM1Oq2E"},
        {"password", "$argon2i$m=256,t=2,p=2$c29tZXNhbHQ$tsEVYKap1h6scGt5ovl9aLRGOqOth+AMB+KwHpDFZPs"},
    };
    for (String[] v : vectors) {
      assertTrue(CHEAP.verify(pw(v[0]), v[1]), v[1]);
      assertFalse(CHEAP.verify(pw(v[0] + "x"), v[1]), v[1]);
    }
  }

  /** hash() itself, with the reference's salt, writes exactly the reference implementation's string. */
  @Test
  void hashWithAFixedSaltEqualsTheReferenceString() {
    byte[] salt = "somesalt".getBytes(StandardCharsets.US_ASCII);
    assertEquals("$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        new PasswordHasher(65536, 2, 1).hash(pw("password"), salt));
    assertEquals("$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc",
        new PasswordHasher(256, 2, 2).hash(pw("password"), salt));
  }

  /** RFC 9106 section 5.3: the library's argon2id, with secret and associated data. */
  @Test
  void libraryMatchesRfc9106Argon2idVector() {
    byte[] password = filled(32, 0x01);
    Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(32)
        .withIterations(3)
        .withParallelism(4)
        .withSalt(filled(16, 0x02))
        .withSecret(filled(8, 0x03))
        .withAdditional(filled(12, 0x04))
        .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(parameters);
    byte[] tag = new byte[32];
    generator.generateBytes(password, tag);
    assertEquals("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659",
        HexFormat.of().formatHex(tag));
  }

  @Test
  void bcryptHashesOfTheLibraryVerify() {
    byte[] salt = filled(16, 0x5a);
    for (String version : new String[] {"2a", "2b", "2y"}) {
      String hash = OpenBSDBCrypt.generate(version, pw("bcrypt password"), salt, 5);
      assertTrue(hash.startsWith("$" + version + "$05$"), hash);
      assertTrue(CHEAP.verify(pw("bcrypt password"), hash), hash);
      assertFalse(CHEAP.verify(pw("bcrypt passwore"), hash), hash);
      assertTrue(PasswordHasher.isSupported(hash));
    }
  }

  /** Vectors of the jBCrypt / py-bcrypt test suites, written by other implementations. */
  @Test
  void knownBcryptVectorsVerify() {
    assertTrue(CHEAP.verify(pw(""), "$2a$06$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s."));
    assertTrue(CHEAP.verify(pw("abc"), "$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i"));
    assertTrue(CHEAP.verify(pw("abcdefghijklmnopqrstuvwxyz"),
        "$2a$06$.rCVZVOThsIa97pEDOxvGuRRgzG64bvtJ0938xuqzv18d3ZpQhstC"));
    assertFalse(CHEAP.verify(pw("abd"), "$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i"));
  }

  @Test
  void malformedStoredHashesAreFalseNotExceptions() {
    String good = CHEAP.hash(pw("a good password"));
    String bcrypt = OpenBSDBCrypt.generate("2b", pw("a good password"), filled(16, 1), 4);
    String[] bad = {
        null, "", "a good password", "$", "$$$$$", "$argon2id$", "$argon2id$v=19$",
        good.replace("$argon2id$", "$argon2x$"),
        good.replace("$argon2id$", "$ARGON2ID$"),
        good.replace("v=19", "v=18"),
        good.replace("v=19", "v=019x"),
        good.replace("m=256,t=1,p=1", "t=1,m=256,p=1"),
        good.replace("m=256,t=1,p=1", "m=256,t=1,p=1,keyid=abc"),
        good.replace("m=256,t=1,p=1", "m=-256,t=1,p=1"),
        good.replace("m=256,t=1,p=1", "m=99999999999999999999,t=1,p=1"),
        good.replace("m=256", "m=2x6"),
        good + "=", // padding
        good.substring(0, good.lastIndexOf('$')) + "$!!notbase64!!",
        good.substring(0, good.lastIndexOf('$')), // no hash part
        "$argon2id$v=19$m=256,t=1,p=1$c29t$" + good.substring(good.lastIndexOf('$') + 1), // 3-byte salt
        "$argon2id$v=19$m=256,t=1,p=1$c29tZXNhbHQ$AAAAAAAA", // 6-byte hash
        " " + good, good + " ", good + "\n",
        bcrypt.substring(0, 59),
        bcrypt + "x",
        bcrypt.replace("$2b$", "$2c$"),
        bcrypt.replace("$2b$", "$2$"),
        bcrypt.replace("$04$", "$4x$"),
        bcrypt.replace("$04$", "$03$"), // cost below the algorithm's minimum
        bcrypt.substring(0, 10) + "#" + bcrypt.substring(11),
        "$2a$10$",
    };
    for (String s : bad) {
      assertFalse(CHEAP.verify(pw("a good password"), s), String.valueOf(s));
      assertFalse(PasswordHasher.isSupported(s), String.valueOf(s));
    }
    // Well formed but altered: they parse, and do not verify.
    String[] altered = {
        good.substring(0, good.length() - 5), // a shorter hash is another computation
        good + "AAAA",
        good.replace("m=256,t=1,p=1", "m=264,t=1,p=1"),
        // a character inside the hash: the last one also holds unused padding bits, and an edit
        // there can decode to the same bytes
        flip(good, good.length() - 10),
        flip(bcrypt, bcrypt.length() - 10),
    };
    for (String s : altered) {
      assertTrue(PasswordHasher.isSupported(s), s);
      assertFalse(CHEAP.verify(pw("a good password"), s), s);
    }
    assertTrue(CHEAP.verify(pw("a good password"), good));
    assertTrue(CHEAP.verify(pw("a good password"), bcrypt));
  }

  /** {@code s} with the character at {@code i} changed to another base64 character. */
  private static String flip(String s, int i) {
    char c = s.charAt(i) == 'A' ? 'B' : 'A';
    return s.substring(0, i) + c + s.substring(i + 1);
  }

  /** Out-of-bounds costs are refused before any memory is allocated or time spent. */
  @Test
  void costsOutsideTheBoundsAreRefused() {
    String tail = "$c29tZXNhbHRzb21lc2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
    assertTrue(PasswordHasher.isSupported("$argon2id$v=19$m=1048576,t=20,p=16" + tail));
    assertTrue(PasswordHasher.isSupported("$argon2id$v=19$m=8,t=1,p=1" + tail));
    String[] tooCostly = {
        "$argon2id$v=19$m=1048577,t=1,p=1", // memory above 1 GiB
        "$argon2id$v=19$m=4194304,t=1,p=1",
        "$argon2id$v=19$m=4294967295,t=1,p=1",
        "$argon2id$v=19$m=65536,t=21,p=1", // iterations
        "$argon2id$v=19$m=65536,t=1000000,p=1",
        "$argon2id$v=19$m=65536,t=1,p=17", // parallelism
        "$argon2id$v=19$m=65536,t=0,p=1", // below the algorithm's minimums
        "$argon2id$v=19$m=65536,t=1,p=0",
        "$argon2id$v=19$m=7,t=1,p=1",
        "$argon2id$v=19$m=127,t=1,p=16",
    };
    for (String prefix : tooCostly) {
      assertFalse(PasswordHasher.isSupported(prefix + tail), prefix);
      assertFalse(CHEAP.verify(pw("password"), prefix + tail), prefix);
    }
    String bcrypt = OpenBSDBCrypt.generate("2b", pw("pw"), filled(16, 1), 4);
    assertFalse(CHEAP.verify(pw("pw"), bcrypt.replace("$04$", "$17$")));
    assertFalse(CHEAP.verify(pw("pw"), bcrypt.replace("$04$", "$31$")));
    assertTrue(PasswordHasher.isSupported(bcrypt.replace("$04$", "$16$")));

    assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(1048577, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(65536, 21, 1));
    assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(65536, 1, 17));
    assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(7, 1, 1));
  }

  @Test
  void passwordLengthIsBounded() {
    char[] longest = new char[PasswordHasher.MAX_PASSWORD_LENGTH];
    Arrays.fill(longest, 'x');
    String hash = CHEAP.hash(longest);
    assertTrue(CHEAP.verify(longest, hash));
    char[] tooLong = Arrays.copyOf(longest, longest.length + 1);
    tooLong[longest.length] = 'x';
    assertFalse(CHEAP.verify(tooLong, hash));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CHEAP.hash(tooLong));
    assertFalse(e.getMessage().contains("xxxx"));
    assertThrows(IllegalArgumentException.class, () -> CHEAP.hash(null));
  }

  @Test
  void costKeysGroupHashesOfEqualCost() {
    assertEquals("argon2id$v=19$m=256,t=1,p=1", PasswordHasher.costKey(CHEAP.hash(pw("one password"))));
    assertEquals("argon2i$v=16$m=256,t=2,p=2",
        PasswordHasher.costKey("$argon2i$m=256,t=2,p=2$c29tZXNhbHQ$tsEVYKap1h6scGt5ovl9aLRGOqOth+AMB+KwHpDFZPs"));
    assertEquals("2y$05", PasswordHasher.costKey(OpenBSDBCrypt.generate(pw("pw"), filled(16, 1), 5)));
    assertEquals(null, PasswordHasher.costKey("nonsense"));
  }

  private static char[] pw(String s) {
    return s.toCharArray();
  }

  private static byte[] filled(int n, int value) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) value);
    return b;
  }
}
