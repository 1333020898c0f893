package io.gatehouse.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.gatehouse.core.config.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the user name and password of a login (HTTP BASIC) against the configured
 * {@code server.users}, whose passwords are stored only as argon2 or bcrypt hashes. Thread-safe; one
 * instance serves the whole server.
 *
 * <h2>What a caller can learn</h2>
 *
 * An unknown user and a wrong password give the same answer, an empty Optional, and take the same
 * time: for an unknown name the password is checked against the hash of a configured user with the
 * most common algorithm and costs (the result thrown away), so both paths do the same work. Only the
 * {@link AuthFailureListener} hears the reason. User names match ignoring case (the configuration
 * keeps them unique ignoring case); the user returned carries the configured spelling.
 *
 * <h2>Brute force</h2>
 *
 * Failures are counted per remote address and per user name (unknown names alike, so that the lock
 * does not tell which names exist). Once a key has {@link Policy#maxFailures} failures, each further
 * failure locks it for a backoff that doubles from {@link Policy#initialBackoff} up to
 * {@link Policy#maxBackoff}: 1 s, 2 s, 4 s ... 60 s by default. While either the address or the
 * name is locked, attempts are rejected at once, without checking the password (so they cost the
 * server nothing and tell the attacker nothing, even when the password is right). A key's failures
 * are forgotten {@link Policy#failureWindow} after its last failure, and a successful check clears
 * both the address and the name. The counters live in bounded caches that expire on their own, so
 * a flood of addresses or names cannot exhaust memory; under such a flood the least used counters
 * are the first evicted. The price of the per-name lock: someone who keeps failing as {@code alice}
 * also keeps {@code alice} out, at most for {@link Policy#maxBackoff} after their last attempt.
 *
 * <p>At most {@link Policy#maxConcurrentVerifications} password checks run at once (each allocates
 * the hash's memory, 64 MiB by default); further attempts wait for a turn.
 *
 * <h2>Success cache</h2>
 *
 * Every HTTP request of a session carries the password again, and a full argon2 check of the
 * default costs takes 0.2 to 0.4 s on two cores (and 64 MiB). So a successful check is remembered for {@link Policy#successCacheTtl}
 * (60 s by default, counted from the check, not renewed by use), and a request with the same name
 * and password within that time skips the check. This is safe because:
 *
 * <ul>
 *   <li>the password itself is never stored: the cache key is an HMAC-SHA-256 of the user name and
 *       the password under a random 256-bit key drawn when this authenticator is created, held
 *       only in this process's memory and never written anywhere. Without that key, the cache
 *       keys are no help in guessing a password, not even against a precomputed table; and the
 *       key dies with the process;
 *   <li>only a correct password can produce a key that is in the cache, so a hit tells nothing
 *       that the attempt did not already prove; a wrong password always falls through to the full
 *       check;
 *   <li>the lock check comes first, so a locked address or name gets no answer from the cache
 *       either;
 *   <li>entries live at most the TTL and the cache is bounded; a changed password or removed user
 *       takes effect with the authenticator built from the new configuration, whose cache starts
 *       empty.
 * </ul>
 *
 * What remains: someone who can read this process's memory could take the HMAC key too and test
 * guesses against a live entry at HMAC speed rather than argon2 speed. Such a reader can as well
 * read passwords from the requests as they arrive, so the cache adds little to that exposure.
 *
 * A hit is not a new success: it does not clear failure counts, so a user's busy session does not
 * keep resetting the count of someone guessing that user's password.
 */
public final class Authenticator {
  private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);
  private static final int MAX_ADDRESS_LENGTH = 256;

  /**
   * How attempts are limited and remembered.
   *
   * @param maxFailures failures of an address or user name before the backoff starts
   * @param failureWindow how long after its last failure a key's failures are forgotten; at least
   *     {@code maxBackoff}
   * @param initialBackoff the first lock, doubled at each further failure
   * @param maxBackoff the longest lock
   * @param successCacheTtl how long a successful check is reused; zero disables the cache
   * @param maxTrackedKeys addresses and user names tracked, each
   * @param maxCachedSuccesses successful checks remembered
   * @param maxConcurrentVerifications password checks that run at the same time
   */
  public record Policy(int maxFailures, Duration failureWindow, Duration initialBackoff,
      Duration maxBackoff, Duration successCacheTtl, int maxTrackedKeys, int maxCachedSuccesses,
      int maxConcurrentVerifications) {
    public Policy {
      Objects.requireNonNull(failureWindow, "failureWindow");
      Objects.requireNonNull(initialBackoff, "initialBackoff");
      Objects.requireNonNull(maxBackoff, "maxBackoff");
      Objects.requireNonNull(successCacheTtl, "successCacheTtl");
      if (maxFailures < 1 || maxTrackedKeys < 1 || maxCachedSuccesses < 0
          || maxConcurrentVerifications < 1) {
        throw new IllegalArgumentException("maxFailures, maxTrackedKeys and "
            + "maxConcurrentVerifications must be at least 1, maxCachedSuccesses at least 0");
      }
      if (initialBackoff.isNegative() || initialBackoff.isZero()
          || maxBackoff.compareTo(initialBackoff) < 0 || failureWindow.compareTo(maxBackoff) < 0
          || successCacheTtl.isNegative()) {
        throw new IllegalArgumentException("backoffs must be 0 < initialBackoff <= maxBackoff"
            + " <= failureWindow, and successCacheTtl at least 0");
      }
    }

    /**
     * 5 failures, then 1 s doubling up to 60 s; failures forgotten 15 minutes after the last one;
     * successes reused for 60 s; 100,000 addresses and names tracked each, 10,000 successes; one
     * password check at a time per processor.
     */
    public static Policy defaults() {
      return new Policy(5, Duration.ofMinutes(15), Duration.ofSeconds(1), Duration.ofSeconds(60),
          Duration.ofSeconds(60), 100_000, 10_000,
          Math.max(1, Runtime.getRuntime().availableProcessors()));
    }
  }

  /** A configured user: what a login returns, and the hash it is checked against. */
  private record Account(AuthenticatedUser user, String passwordHash) {
    @Override
    public String toString() {
      return "Account[" + user.name() + "]";
    }
  }

  /** An address's or name's failures since they were last forgotten, and its lock. */
  private record Failures(int count, long lockedUntilNanos) {}

  private final Map<String, Account> accounts;
  private final String dummyHash;
  private final PasswordHasher hasher = new PasswordHasher();
  private final AuthFailureListener listener;
  private final Policy policy;
  private final Ticker ticker;
  private final Cache<String, Failures> addressFailures;
  private final Cache<String, Failures> userFailures;
  private final Cache<String, AuthenticatedUser> verified;
  private final SecretKeySpec cacheKeySecret;
  private final Semaphore verifications;
  private final AtomicLong passwordChecks = new AtomicLong();

  /** With the {@link Policy#defaults() default policy}. */
  public Authenticator(List<ServerConfig.User> users, AuthFailureListener listener) {
    this(users, listener, Policy.defaults());
  }

  /**
   * @throws IllegalArgumentException when two users have the same name ignoring case, when a
   *     user's password hash is not one {@link PasswordHasher#isSupported supported} (that user
   *     could never log in), or when it needs more than half of the JVM's maximum heap per check;
   *     the message names the user, never the hash
   */
  public Authenticator(List<ServerConfig.User> users, AuthFailureListener listener, Policy policy) {
    this(users, listener, policy, Ticker.systemTicker());
  }

  /** With a ticker of its own, for tests that move time. */
  Authenticator(List<ServerConfig.User> users, AuthFailureListener listener, Policy policy,
      Ticker ticker) {
    this.listener = Objects.requireNonNull(listener, "listener");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    Map<String, Account> byName = new HashMap<>();
    Map<String, Integer> costs = new LinkedHashMap<>();
    Map<String, String> hashOfCost = new HashMap<>();
    long heapKiB = Runtime.getRuntime().maxMemory() / 1024;
    for (ServerConfig.User u : users) {
      String name = u.name();
      if (!UserNames.isValid(name)) {
        throw new IllegalArgumentException("user name '" + name + "' " + UserNames.RULE);
      }
      String costKey = PasswordHasher.costKey(u.passwordHash());
      if (costKey == null) {
        throw new IllegalArgumentException("user '" + name + "': passwordHash is not a well-formed"
            + " argon2 or bcrypt hash within the accepted costs (argon2 m <= "
            + PasswordHasher.MAX_MEMORY_KIB + " KiB, t <= " + PasswordHasher.MAX_ITERATIONS
            + ", p <= " + PasswordHasher.MAX_PARALLELISM + "; bcrypt cost <= "
            + PasswordHasher.MAX_BCRYPT_COST + "); create one with: gatehouse user add " + name);
      }
      long kib = PasswordHasher.memoryKiB(u.passwordHash());
      if (kib > heapKiB / 2) {
        throw new IllegalArgumentException("user '" + name + "': checking its passwordHash needs "
            + kib / 1024 + " MiB, more than half of the JVM's maximum heap (" + heapKiB / 1024
            + " MiB); hash the password again with less memory or give the JVM more (-Xmx)");
      }
      Account previous = byName.put(name.toLowerCase(Locale.ROOT),
          new Account(new AuthenticatedUser(name, u.sources()), u.passwordHash()));
      if (previous != null) {
        throw new IllegalArgumentException("user '" + name + "' is defined twice (also as '"
            + previous.user().name() + "'); names must be unique ignoring case");
      }
      costs.merge(costKey, 1, Integer::sum);
      hashOfCost.putIfAbsent(costKey, u.passwordHash());
    }
    this.accounts = Map.copyOf(byName);
    // Unknown names are checked against a real hash of the most common costs, so that they take
    // as long as a wrong password; the result is ignored. Without users, a default-cost dummy.
    this.dummyHash = costs.entrySet().stream()
        .max(Map.Entry.comparingByValue())
        .map(e -> hashOfCost.get(e.getKey()))
        .orElseGet(Authenticator::defaultDummyHash);
    this.addressFailures = failureCache();
    this.userFailures = failureCache();
    this.verified = Caffeine.newBuilder()
        .maximumSize(policy.maxCachedSuccesses())
        .expireAfterWrite(policy.successCacheTtl())
        .ticker(ticker)
        .executor(Runnable::run)
        .build();
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    this.cacheKeySecret = new SecretKeySpec(secret, "HmacSHA256");
    Arrays.fill(secret, (byte) 0);
    this.verifications = new Semaphore(policy.maxConcurrentVerifications(), true);
  }

  private Cache<String, Failures> failureCache() {
    return Caffeine.newBuilder()
        .maximumSize(policy.maxTrackedKeys())
        .expireAfterWrite(policy.failureWindow()) // written at each failure only
        .ticker(ticker)
        .executor(Runnable::run)
        .build();
  }

  /**
   * Checks a login.
   *
   * @param user the user name as the client sent it
   * @param password the password as the client sent it; not modified (the caller clears it)
   * @param remoteAddress the client's address, the key of the per-address limit
   * @return the user when the name and password match a configured user; empty otherwise, for
   *     every reason alike (unknown user, wrong password, locked out), which the listener hears
   */
  public Optional<AuthenticatedUser> authenticate(String user, char[] password, String remoteAddress) {
    String address = addressKey(remoteAddress);
    // No user can have an invalid name: only the address is counted, so junk names take no memory.
    String name = UserNames.isValid(user) ? user.toLowerCase(Locale.ROOT) : null;
    String locked = lockReason(address, name);
    if (locked != null) {
      return reject(user, remoteAddress, locked);
    }
    if (name == null) {
      return fail(user, remoteAddress, address, null, "invalid user name");
    }
    if (password == null || password.length > PasswordHasher.MAX_PASSWORD_LENGTH) {
      return fail(user, remoteAddress, address, name, "password missing or longer than "
          + PasswordHasher.MAX_PASSWORD_LENGTH + " characters");
    }
    Account account = accounts.get(name);
    String cacheKey = cacheKey(name, password);
    if (account != null) {
      AuthenticatedUser hit = verified.getIfPresent(cacheKey);
      if (hit != null) {
        return Optional.of(hit);
      }
    }
    try {
      verifications.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return reject(user, remoteAddress, "interrupted while waiting to check the password");
    }
    boolean matches = false;
    try {
      // Attempts that waited for their turn while the lock was set are turned away now.
      locked = lockReason(address, name);
      if (locked == null) {
        passwordChecks.incrementAndGet();
        matches = hasher.verify(password, account == null ? dummyHash : account.passwordHash());
      }
    } finally {
      verifications.release();
    }
    if (locked != null) {
      return reject(user, remoteAddress, locked);
    }
    if (account == null) {
      return fail(user, remoteAddress, address, name, "unknown user");
    }
    if (!matches) {
      return fail(user, remoteAddress, address, name, "wrong password");
    }
    addressFailures.invalidate(address);
    userFailures.invalidate(name);
    verified.put(cacheKey, account.user());
    return Optional.of(account.user());
  }

  /** Full password checks run so far (cache hits and rejected attempts do not count). */
  long passwordChecks() {
    return passwordChecks.get();
  }

  /** Why the address or the name is locked now, or null when neither is. */
  private String lockReason(String address, String name) {
    long now = ticker.read();
    long addressWait = remaining(addressFailures.getIfPresent(address), now);
    long nameWait = name == null ? 0 : remaining(userFailures.getIfPresent(name), now);
    if (addressWait <= 0 && nameWait <= 0) {
      return null;
    }
    String which = addressWait > 0 && nameWait > 0 ? "this address and this user name"
        : addressWait > 0 ? "this address" : "this user name";
    long millis = Duration.ofNanos(Math.max(addressWait, nameWait)).toMillis();
    return "locked out after repeated failures of " + which + "; " + millis + " ms left"
        + " (rejected without checking the password)";
  }

  private long remaining(Failures f, long now) {
    return f == null || f.count() < policy.maxFailures() ? 0 : f.lockedUntilNanos() - now;
  }

  /** A failed check: counted against the address and the name (when given), and reported. */
  private Optional<AuthenticatedUser> fail(String user, String remoteAddress, String address,
      String name, String reason) {
    long now = ticker.read();
    countFailure(addressFailures, address, now);
    if (name != null) {
      countFailure(userFailures, name, now);
    }
    return reject(user, remoteAddress, reason);
  }

  private void countFailure(Cache<String, Failures> cache, String key, long now) {
    cache.asMap().compute(key, (k, f) -> {
      int count = f == null ? 1 : f.count() + 1;
      long lockedUntil = 0; // read only once count reaches maxFailures
      if (count >= policy.maxFailures()) {
        lockedUntil = now + backoffNanos(count - policy.maxFailures());
      }
      return new Failures(count, lockedUntil);
    });
  }

  /** The lock after the n-th failure beyond the allowed ones: the initial backoff doubled n times. */
  private long backoffNanos(int beyond) {
    long max = policy.maxBackoff().toNanos();
    long backoff = policy.initialBackoff().toNanos();
    for (int i = 0; i < beyond && backoff < max; i++) {
      backoff *= 2;
    }
    return Math.min(backoff, max);
  }

  private Optional<AuthenticatedUser> reject(String user, String remoteAddress, String reason) {
    try {
      listener.onAuthFailure(loggable(user), loggable(remoteAddress), reason);
    } catch (RuntimeException e) {
      LOG.warn("the authentication failure listener failed: {}", e.getClass().getName());
    }
    return Optional.empty();
  }

  /**
   * The client's text made safe for a log line: control characters (a line break could forge a
   * log line) replaced by '?', and cut at 100 characters.
   */
  static String loggable(String s) {
    if (s == null) {
      return null;
    }
    String cut = s.length() > 100 ? s.substring(0, 100) + "..." : s;
    return cut.replaceAll("[\\p{Cntrl}\\u2028\\u2029\\u0085]", "?");
  }

  private static String addressKey(String remoteAddress) {
    if (remoteAddress == null || remoteAddress.isBlank()) {
      return "unknown";
    }
    return remoteAddress.length() > MAX_ADDRESS_LENGTH
        ? remoteAddress.substring(0, MAX_ADDRESS_LENGTH) : remoteAddress;
  }

  /** HMAC-SHA-256, under this instance's random key, of the lower-case name, a 0 and the password. */
  private String cacheKey(String name, char[] password) {
    byte[] bytes = PasswordHasher.utf8(password);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(cacheKeySecret);
      mac.update(name.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      mac.update(bytes);
      return Base64.getEncoder().encodeToString(mac.doFinal());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /** A default-cost argon2id hash that no password matches (its hash part is all zeros). */
  private static String defaultDummyHash() {
    byte[] salt = new byte[PasswordHasher.SALT_LENGTH];
    new SecureRandom().nextBytes(salt);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return "$argon2id$v=19$m=" + PasswordHasher.DEFAULT_MEMORY_KIB + ",t="
        + PasswordHasher.DEFAULT_ITERATIONS + ",p=" + PasswordHasher.DEFAULT_PARALLELISM + "$"
        + b64.encodeToString(salt) + "$" + b64.encodeToString(new byte[PasswordHasher.HASH_LENGTH]);
  }
}
