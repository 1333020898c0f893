package io.gatehouse.server.auth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashes of the server's users: creates argon2id hashes and verifies argon2 (id, i, d) and
 * bcrypt ({@code $2a$}, {@code $2b$}, {@code $2y$}) hashes. The algorithms are BouncyCastle's.
 *
 * <p>{@link #hash} writes the PHC string format of the reference implementation:
 * {@code $argon2id$v=19$m=65536,t=3,p=1$<salt>$<hash>}, with a 16-byte random salt and a 32-byte
 * hash, both in base64 without padding. Other tools' argon2 and bcrypt hashes verify too.
 *
 * <p>Parameters read from a stored hash are bounded (memory at most {@value #MAX_MEMORY_KIB} KiB,
 * at most {@value #MAX_ITERATIONS} iterations, parallelism at most {@value #MAX_PARALLELISM}, bcrypt
 * cost {@value #MIN_BCRYPT_COST}..{@value #MAX_BCRYPT_COST}): a hash outside them does not verify,
 * so that a mistaken configuration cannot make every login attempt take minutes or gigabytes.
 *
 * <p>Passwords are encoded as UTF-8. The caller's {@code char[]} is never modified (clearing it stays
 * the caller's job); every buffer made from it here is zeroed after use. Nothing thrown from here
 * carries a password or a hash in its message. Instances are immutable and thread-safe.
 */
public final class PasswordHasher {
  /** Memory of new hashes, in KiB (64 MiB). */
  public static final int DEFAULT_MEMORY_KIB = 65536;
  /** Passes over the memory of new hashes. */
  public static final int DEFAULT_ITERATIONS = 3;
  /** Lanes of new hashes. BouncyCastle computes lanes one after the other, so more only costs. */
  public static final int DEFAULT_PARALLELISM = 1;
  /** Bytes of random salt in new hashes. */
  public static final int SALT_LENGTH = 16;
  /** Bytes of hash output in new hashes. */
  public static final int HASH_LENGTH = 32;

  /** Largest argon2 memory accepted from a stored hash: 1 GiB. */
  public static final int MAX_MEMORY_KIB = 1 << 20;
  /** Most argon2 iterations accepted from a stored hash. */
  public static final int MAX_ITERATIONS = 20;
  /** Largest argon2 parallelism accepted from a stored hash. */
  public static final int MAX_PARALLELISM = 16;
  /** Smallest bcrypt cost (2^cost rounds) of the algorithm. */
  public static final int MIN_BCRYPT_COST = 4;
  /** Largest bcrypt cost accepted from a stored hash (about 4 s per check here; 12 is usual). */
  public static final int MAX_BCRYPT_COST = 16;
  /** Longest password, in chars, that is hashed or checked. */
  public static final int MAX_PASSWORD_LENGTH = 1024;

  private static final int MIN_SALT_LENGTH = 8;
  private static final int MAX_SALT_LENGTH = 64;
  private static final int MIN_HASH_LENGTH = 16;
  private static final int MAX_HASH_LENGTH = 64;

  /** {@code $argon2id$v=19$m=65536,t=3,p=1$salt$hash}; the version may be absent (it is then 16). */
  private static final Pattern ARGON2 = Pattern.compile(
      "\\$(argon2id|argon2i|argon2d)(?:\\$v=(\\d{1,3}))?\\$m=(\\d{1,10}),t=(\\d{1,10}),p=(\\d{1,10})"
          + "\\$([A-Za-z0-9+/]{1,128})\\$([A-Za-z0-9+/]{1,128})");
  /** {@code $2b$12$} then 22 characters of salt and 31 of hash in bcrypt's base64. */
  private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

  private final int memoryKiB;
  private final int iterations;
  private final int parallelism;

  /** New hashes with the defaults: argon2id, 64 MiB, 3 iterations, 1 lane. */
  public PasswordHasher() {
    this(DEFAULT_MEMORY_KIB, DEFAULT_ITERATIONS, DEFAULT_PARALLELISM);
  }

  /**
   * New hashes with other argon2id costs, within the bounds that {@link #verify} accepts.
   *
   * @throws IllegalArgumentException when a cost is outside them
   */
  public PasswordHasher(int memoryKiB, int iterations, int parallelism) {
    if (!argon2CostsAllowed(memoryKiB, iterations, parallelism)) {
      throw new IllegalArgumentException("argon2 costs must be memory " + 8 * Math.max(1, parallelism)
          + ".." + MAX_MEMORY_KIB + " KiB (at least 8 per lane), iterations 1.." + MAX_ITERATIONS
          + ", parallelism 1.." + MAX_PARALLELISM + "; got m=" + memoryKiB + ", t=" + iterations
          + ", p=" + parallelism);
    }
    this.memoryKiB = memoryKiB;
    this.iterations = iterations;
    this.parallelism = parallelism;
  }

  /**
   * An argon2id hash of the password in PHC string format, with a fresh random salt.
   *
   * @throws IllegalArgumentException when the password is null or longer than
   *     {@value #MAX_PASSWORD_LENGTH} chars
   */
  public String hash(char[] password) {
    if (password == null || password.length > MAX_PASSWORD_LENGTH) {
      throw new IllegalArgumentException(
          "a password of at most " + MAX_PASSWORD_LENGTH + " characters is required");
    }
    byte[] salt = new byte[SALT_LENGTH];
    RANDOM.nextBytes(salt);
    return hash(password, salt);
  }

  /** {@link #hash(char[])} with a given salt: for tests against known vectors only. */
  String hash(char[] password, byte[] salt) {
    byte[] bytes = utf8(password);
    byte[] out = new byte[HASH_LENGTH];
    try {
      argon2(Argon2Parameters.ARGON2_id, Argon2Parameters.ARGON2_VERSION_13, memoryKiB, iterations,
          parallelism, salt, bytes, out);
      return "$argon2id$v=19$m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism
          + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
    } finally {
      Arrays.fill(bytes, (byte) 0);
      Arrays.fill(out, (byte) 0);
    }
  }

  /**
   * Whether the password matches the stored argon2 or bcrypt hash. False, never an exception, when
   * the stored hash is null, malformed, of another algorithm or has costs outside the bounds, and
   * when the password is null or longer than {@value #MAX_PASSWORD_LENGTH} chars. The hashes are
   * compared in constant time.
   */
  public boolean verify(char[] password, String storedHash) {
    if (password == null || password.length > MAX_PASSWORD_LENGTH) {
      return false;
    }
    Stored stored = parse(storedHash);
    if (stored == null) {
      return false;
    }
    byte[] bytes = utf8(password);
    try {
      return stored.matches(bytes);
    } catch (RuntimeException e) {
      // The library rejected something the parser let through; its message may quote the hash.
      return false;
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /** Whether {@link #verify} can check passwords against this stored hash (format and bounds). */
  public static boolean isSupported(String storedHash) {
    return parse(storedHash) != null;
  }

  /**
   * The algorithm and costs of a stored hash without its salt and hash, e.g.
   * {@code argon2id$v=19$m=65536,t=3,p=1} or {@code 2b$12}: hashes with the same one cost the same
   * to verify. Null when the hash is not {@link #isSupported supported}.
   */
  static String costKey(String storedHash) {
    Stored stored = parse(storedHash);
    return stored == null ? null : stored.costKey();
  }

  /** Memory a check against this stored hash allocates, in KiB; 0 when it is not supported. */
  static long memoryKiB(String storedHash) {
    Stored stored = parse(storedHash);
    return stored instanceof Argon2Hash a ? a.memoryKiB : stored == null ? 0 : 4;
  }

  /** The stored hash parsed, or null when it is malformed or out of bounds. */
  private static Stored parse(String s) {
    if (s == null || s.length() > 400) {
      return null;
    }
    Matcher m = ARGON2.matcher(s);
    if (m.matches()) {
      int type = switch (m.group(1)) {
        case "argon2id" -> Argon2Parameters.ARGON2_id;
        case "argon2i" -> Argon2Parameters.ARGON2_i;
        default -> Argon2Parameters.ARGON2_d;
      };
      int version;
      if (m.group(2) == null || m.group(2).equals("16")) {
        version = Argon2Parameters.ARGON2_VERSION_10;
      } else if (m.group(2).equals("19")) {
        version = Argon2Parameters.ARGON2_VERSION_13;
      } else {
        return null;
      }
      long memory = Long.parseLong(m.group(3));
      long iterations = Long.parseLong(m.group(4));
      long parallelism = Long.parseLong(m.group(5));
      if (memory > MAX_MEMORY_KIB || iterations > MAX_ITERATIONS || parallelism > MAX_PARALLELISM
          || !argon2CostsAllowed((int) memory, (int) iterations, (int) parallelism)) {
        return null;
      }
      byte[] salt = base64(m.group(6));
      byte[] hash = base64(m.group(7));
      if (salt == null || hash == null
          || salt.length < MIN_SALT_LENGTH || salt.length > MAX_SALT_LENGTH
          || hash.length < MIN_HASH_LENGTH || hash.length > MAX_HASH_LENGTH) {
        return null;
      }
      String key = m.group(1) + "$v=" + (version == Argon2Parameters.ARGON2_VERSION_13 ? 19 : 16)
          + "$m=" + memory + ",t=" + iterations + ",p=" + parallelism;
      return new Argon2Hash(type, version, (int) memory, (int) iterations, (int) parallelism, salt,
          hash, key);
    }
    m = BCRYPT.matcher(s);
    if (m.matches()) {
      int cost = Integer.parseInt(m.group(1));
      if (cost < MIN_BCRYPT_COST || cost > MAX_BCRYPT_COST) {
        return null;
      }
      return new BcryptHash(s, s.substring(1, 3) + "$" + m.group(1));
    }
    return null;
  }

  private static boolean argon2CostsAllowed(int memoryKiB, int iterations, int parallelism) {
    return parallelism >= 1 && parallelism <= MAX_PARALLELISM
        && iterations >= 1 && iterations <= MAX_ITERATIONS
        && memoryKiB >= 8 * parallelism && memoryKiB <= MAX_MEMORY_KIB;
  }

  /** Standard base64 without padding, as PHC strings write it; null when it is not that. */
  private static byte[] base64(String s) {
    if (s.length() % 4 == 1) {
      return null;
    }
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static void argon2(int type, int version, int memoryKiB, int iterations, int parallelism,
      byte[] salt, byte[] password, byte[] out) {
    Argon2Parameters parameters = new Argon2Parameters.Builder(type)
        .withVersion(version)
        .withMemoryAsKB(memoryKiB)
        .withIterations(iterations)
        .withParallelism(parallelism)
        .withSalt(salt)
        .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(parameters);
    generator.generateBytes(password, out);
  }

  /** UTF-8 bytes of the chars, without a String in between; the caller zeroes them. */
  static byte[] utf8(char[] chars) {
    CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
    ByteBuffer buffer = ByteBuffer.allocate(chars.length * 3);
    encoder.encode(CharBuffer.wrap(chars), buffer, true);
    encoder.flush(buffer);
    byte[] bytes = Arrays.copyOf(buffer.array(), buffer.position());
    Arrays.fill(buffer.array(), (byte) 0);
    return bytes;
  }

  /** A parsed stored hash. */
  private sealed interface Stored permits Argon2Hash, BcryptHash {
    /** Whether the password's UTF-8 bytes match; leaves them as they are. */
    boolean matches(byte[] password);

    String costKey();
  }

  private record Argon2Hash(int type, int version, int memoryKiB, int iterations, int parallelism,
      byte[] salt, byte[] hash, String costKey) implements Stored {
    @Override
    public boolean matches(byte[] password) {
      byte[] computed = new byte[hash.length];
      try {
        argon2(type, version, memoryKiB, iterations, parallelism, salt, password, computed);
        return MessageDigest.isEqual(computed, hash);
      } finally {
        Arrays.fill(computed, (byte) 0);
      }
    }

    @Override
    public String toString() {
      return "Argon2Hash[" + costKey + "]";
    }
  }

  private record BcryptHash(String text, String costKey) implements Stored {
    @Override
    public boolean matches(byte[] password) {
      // Copies the password and zeroes its copy; compares the whole string in constant time.
      return OpenBSDBCrypt.checkPassword(text, password);
    }

    @Override
    public String toString() {
      return "BcryptHash[" + costKey + "]";
    }
  }
}
