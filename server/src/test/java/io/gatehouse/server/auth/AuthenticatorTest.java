package io.gatehouse.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import io.gatehouse.core.config.ServerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {
  private static final PasswordHasher CHEAP = new PasswordHasher(256, 1, 1);
  private static final String ALICE_PW = "alice-password-1";
  private static final String BOB_PW = "bob-password-22";
  private static final String ALICE_HASH = CHEAP.hash(ALICE_PW.toCharArray());
  private static final String BOB_HASH =
      OpenBSDBCrypt.generate("2b", BOB_PW.toCharArray(), new byte[16], 4);

  /** Time that moves only when a test says so. */
  private static final class FakeTicker implements Ticker {
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    public long read() {
      return nanos.get();
    }

    void advance(Duration d) {
      nanos.addAndGet(d.toNanos());
    }
  }

  private record Failure(String user, String address, String reason) {}

  private final List<Failure> failures = Collections.synchronizedList(new ArrayList<>());
  private final FakeTicker ticker = new FakeTicker();
  private Authenticator auth;

  @BeforeEach
  void setUp() {
    auth = authenticator(Authenticator.Policy.defaults());
  }

  private Authenticator authenticator(Authenticator.Policy policy) {
    List<ServerConfig.User> users = List.of(
        new ServerConfig.User("Alice", ALICE_HASH, List.of("shop", "crm")),
        new ServerConfig.User("bob", BOB_HASH, List.of("shop")));
    return new Authenticator(users, (u, a, r) -> failures.add(new Failure(u, a, r)), policy, ticker);
  }

  private Optional<AuthenticatedUser> login(String user, String password, String address) {
    return auth.authenticate(user, password == null ? null : password.toCharArray(), address);
  }

  private Failure lastFailure() {
    return failures.get(failures.size() - 1);
  }

  @Test
  void rightPasswordsLogIn() {
    AuthenticatedUser alice = login("Alice", ALICE_PW, "10.0.0.1").orElseThrow();
    assertEquals("Alice", alice.name());
    assertEquals(List.of("shop", "crm"), alice.sourceIds());
    AuthenticatedUser bob = login("bob", BOB_PW, "10.0.0.1").orElseThrow();
    assertEquals(List.of("shop"), bob.sourceIds());
    assertEquals(List.of(), failures);
  }

  @Test
  void namesMatchIgnoringCaseAndTheConfiguredSpellingIsReturned() {
    assertEquals("Alice", login("alice", ALICE_PW, "10.0.0.1").orElseThrow().name());
    assertEquals("Alice", login("ALICE", ALICE_PW, "10.0.0.1").orElseThrow().name());
  }

  @Test
  void wrongPasswordAndUnknownUserLookTheSame() {
    Optional<AuthenticatedUser> wrong = login("Alice", "not-alices-password", "10.0.0.1");
    Optional<AuthenticatedUser> unknown = login("mallory", "not-alices-password", "10.0.0.1");
    assertEquals(Optional.empty(), wrong);
    assertEquals(wrong, unknown);
    assertEquals(new Failure("Alice", "10.0.0.1", "wrong password"), failures.get(0));
    assertEquals(new Failure("mallory", "10.0.0.1", "unknown user"), failures.get(1));
    // Both paths run one full password check: the unknown user's against a configured hash.
    assertEquals(2, auth.passwordChecks());
  }

  @Test
  void anotherUsersPasswordDoesNotWork() {
    assertTrue(login("Alice", BOB_PW, "10.0.0.1").isEmpty());
    assertTrue(login("bob", ALICE_PW, "10.0.0.1").isEmpty());
    // an unknown name with a configured user's password: checked against that hash, still rejected
    assertTrue(login("carol", ALICE_PW, "10.0.0.1").isEmpty());
    assertEquals("unknown user", lastFailure().reason());
  }

  @Test
  void missingOrInvalidInputFails() {
    assertTrue(login("Alice", null, "10.0.0.1").isEmpty());
    assertTrue(login(null, ALICE_PW, "10.0.0.1").isEmpty());
    assertTrue(login("", ALICE_PW, "10.0.0.1").isEmpty());
    assertTrue(login("1alice", ALICE_PW, "10.0.0.1").isEmpty());
    assertTrue(login("a".repeat(65), ALICE_PW, "10.0.0.1").isEmpty());
    assertTrue(login("Alice", "x".repeat(PasswordHasher.MAX_PASSWORD_LENGTH + 1), "10.0.0.1").isEmpty());
    assertEquals(6, failures.size());
    assertEquals("invalid user name", failures.get(1).reason());
    assertEquals(0, auth.passwordChecks(), "nothing to check for these");
    // a missing address is a key like any other
    assertEquals("Alice", login("Alice", ALICE_PW, null).orElseThrow().name());
  }

  @Test
  void anAddressIsLockedAfterFiveFailures() {
    for (int i = 0; i < 5; i++) {
      assertTrue(login("user" + i, "guess-" + i, "10.0.0.66").isEmpty());
    }
    long checks = auth.passwordChecks();
    // Even the right password is now turned away from that address, without a check.
    assertTrue(login("Alice", ALICE_PW, "10.0.0.66").isEmpty());
    assertEquals(checks, auth.passwordChecks());
    assertTrue(lastFailure().reason().startsWith("locked out"), lastFailure()::toString);
    assertTrue(lastFailure().reason().contains("this address"), lastFailure()::toString);
    // Other addresses are not affected.
    assertTrue(login("Alice", ALICE_PW, "10.0.0.1").isPresent());
    // After the backoff (1 s), the address may try again.
    ticker.advance(Duration.ofMillis(999));
    assertTrue(login("Alice", ALICE_PW, "10.0.0.66").isEmpty());
    ticker.advance(Duration.ofMillis(1));
    assertTrue(login("Alice", ALICE_PW, "10.0.0.66").isPresent());
  }

  @Test
  void aUserNameIsLockedAfterFiveFailuresFromAnyAddresses() {
    for (int i = 0; i < 5; i++) {
      assertTrue(login("alice", "guess-" + i, "10.0.1." + i).isEmpty());
    }
    assertTrue(login("Alice", ALICE_PW, "10.0.0.1").isEmpty());
    assertTrue(lastFailure().reason().contains("this user name"), lastFailure()::toString);
    assertTrue(login("bob", BOB_PW, "10.0.0.1").isPresent(), "other users may log in");
    ticker.advance(Duration.ofSeconds(1));
    assertTrue(login("Alice", ALICE_PW, "10.0.0.1").isPresent());
  }

  @Test
  void unknownNamesAreLockedLikeKnownOnes() {
    for (int i = 0; i < 5; i++) {
      assertTrue(login("mallory", "guess-" + i, "10.0.1." + i).isEmpty());
    }
    assertTrue(login("mallory", "guess", "10.0.2.1").isEmpty());
    assertTrue(lastFailure().reason().contains("this user name"), lastFailure()::toString);
  }

  @Test
  void theBackoffDoublesUpToAMinute() {
    for (int i = 0; i < 5; i++) {
      login("Alice", "guess", "10.0.0.66");
    }
    long[] expectedSeconds = {1, 2, 4, 8, 16, 32, 60, 60};
    for (long seconds : expectedSeconds) {
      // locked for exactly this long after the last failure ...
      ticker.advance(Duration.ofSeconds(seconds).minusMillis(1));
      assertTrue(login("Alice", ALICE_PW, "10.0.0.66").isEmpty());
      assertTrue(lastFailure().reason().startsWith("locked out"), seconds + " s: " + lastFailure());
      ticker.advance(Duration.ofMillis(1));
      // ... then one more attempt is checked; it fails and locks for twice as long
      long checks = auth.passwordChecks();
      assertTrue(login("Alice", "guess", "10.0.0.66").isEmpty());
      assertEquals(checks + 1, auth.passwordChecks());
      assertEquals("wrong password", lastFailure().reason());
    }
  }

  @Test
  void aSuccessResetsTheCounts() {
    for (int i = 0; i < 4; i++) {
      login("Alice", "guess", "10.0.0.7");
    }
    assertTrue(login("Alice", ALICE_PW, "10.0.0.7").isPresent());
    for (int i = 0; i < 4; i++) {
      login("Alice", "guess", "10.0.0.7");
    }
    assertTrue(login("Alice", ALICE_PW, "10.0.0.7").isPresent(), "4 + 4 failures, not 8");
    failures.forEach(f -> assertEquals("wrong password", f.reason()));
  }

  @Test
  void failuresAreForgottenAfterTheWindow() {
    for (int i = 0; i < 4; i++) {
      login("Alice", "guess", "10.0.0.7");
    }
    ticker.advance(Duration.ofMinutes(15));
    login("Alice", "guess", "10.0.0.7");
    assertTrue(login("Alice", ALICE_PW, "10.0.0.7").isPresent());
  }

  @Test
  void theListenerSeesEveryFailureButNeverThePassword() {
    login("Alice", "wrong-secret-1", "10.0.0.9");
    login("nobody", "wrong-secret-2", "10.0.0.9");
    login("9nine", "wrong-secret-3", "10.0.0.9");
    login("Alice", "wrong-secret-4", "10.0.0.9");
    login("Alice", "wrong-secret-5", "10.0.0.9");
    login("Alice", ALICE_PW, "10.0.0.9");
    assertEquals(6, failures.size());
    assertEquals(List.of("wrong password", "unknown user", "invalid user name", "wrong password",
        "wrong password"), failures.subList(0, 5).stream().map(Failure::reason).toList());
    assertTrue(failures.get(5).reason().startsWith("locked out"));
    for (Failure f : failures) {
      assertEquals("10.0.0.9", f.address());
      assertFalse(f.toString().contains("secret") || f.toString().contains(ALICE_PW), f::toString);
    }
  }

  @Test
  void theListenerGetsNamesAndAddressesThatCannotForgeLogLines() {
    login("alice\n2024-01-01 INFO login ok", "guess", "10.0.0.1\r\nfake");
    assertEquals(new Failure("alice?2024-01-01 INFO login ok", "10.0.0.1??fake", "invalid user name"),
        lastFailure());
    login("x".repeat(500), "guess", "10.0.0.1");
    assertEquals("x".repeat(100) + "...", lastFailure().user());
  }

  @Test
  void aFailingListenerDoesNotBreakTheLogin() {
    Authenticator a = new Authenticator(
        List.of(new ServerConfig.User("alice", ALICE_HASH, List.of())),
        (u, addr, r) -> {
          throw new IllegalStateException("audit log down");
        },
        Authenticator.Policy.defaults(), ticker);
    assertTrue(a.authenticate("alice", "wrong".toCharArray(), "10.0.0.1").isEmpty());
    assertTrue(a.authenticate("alice", ALICE_PW.toCharArray(), "10.0.0.1").isPresent());
  }

  @Test
  void successesAreReusedForTheirTtlWithoutAnotherCheck() {
    assertTrue(login("Alice", ALICE_PW, "10.0.0.1").isPresent());
    assertEquals(1, auth.passwordChecks());
    for (int i = 0; i < 10; i++) {
      assertEquals("Alice", login("alice", ALICE_PW, "10.0.0.2").orElseThrow().name());
    }
    assertEquals(1, auth.passwordChecks(), "served from the cache");
    // a wrong password is never served from the cache
    assertTrue(login("Alice", ALICE_PW + "x", "10.0.0.1").isEmpty());
    assertEquals(2, auth.passwordChecks());
    // another user with the same password is not alice's cache entry
    assertTrue(login("bob", ALICE_PW, "10.0.0.1").isEmpty());
    // after the TTL the password is checked again
    ticker.advance(Duration.ofSeconds(60));
    long checks = auth.passwordChecks();
    assertTrue(login("Alice", ALICE_PW, "10.0.0.1").isPresent());
    assertEquals(checks + 1, auth.passwordChecks());
  }

  @Test
  void aLockedNameGetsNoAnswerFromTheCacheEither() {
    assertTrue(login("Alice", ALICE_PW, "10.0.0.1").isPresent());
    for (int i = 0; i < 5; i++) {
      login("Alice", "guess", "10.0.9." + i);
    }
    assertTrue(login("Alice", ALICE_PW, "10.0.0.1").isEmpty());
    assertTrue(lastFailure().reason().startsWith("locked out"));
  }

  @Test
  void theSuccessCacheCanBeTurnedOff() {
    Authenticator.Policy d = Authenticator.Policy.defaults();
    auth = authenticator(new Authenticator.Policy(d.maxFailures(), d.failureWindow(),
        d.initialBackoff(), d.maxBackoff(), Duration.ZERO, d.maxTrackedKeys(), 0,
        d.maxConcurrentVerifications()));
    login("Alice", ALICE_PW, "10.0.0.1").orElseThrow();
    login("Alice", ALICE_PW, "10.0.0.1").orElseThrow();
    assertEquals(2, auth.passwordChecks());
  }

  @Test
  void withoutUsersEveryoneIsUnknown() {
    Authenticator none = new Authenticator(List.of(), (u, a, r) -> failures.add(new Failure(u, a, r)),
        Authenticator.Policy.defaults(), ticker);
    assertTrue(none.authenticate("alice", ALICE_PW.toCharArray(), "10.0.0.1").isEmpty());
    assertEquals("unknown user", lastFailure().reason());
  }

  @Test
  void badUsersAreRefusedWhenTheAuthenticatorIsMade() {
    String malformed = "$argon2id$v=19$m=65536,t=3,p=1$not-a-hash";
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Authenticator(
        List.of(new ServerConfig.User("carol", malformed, List.of())), (u, a, r) -> {}));
    assertTrue(e.getMessage().contains("'carol'"), e.getMessage());
    assertFalse(e.getMessage().contains("not-a-hash"), e.getMessage());

    String tooCostly = "$argon2id$v=19$m=1048576,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$"
        + "CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
    e = assertThrows(IllegalArgumentException.class, () -> new Authenticator(
        List.of(new ServerConfig.User("carol", tooCostly, List.of())), (u, a, r) -> {}));
    assertTrue(e.getMessage().contains("heap"), e.getMessage()); // tests run with -Xmx1g

    e = assertThrows(IllegalArgumentException.class, () -> new Authenticator(List.of(
        new ServerConfig.User("carol", ALICE_HASH, List.of()),
        new ServerConfig.User("Carol", BOB_HASH, List.of())), (u, a, r) -> {}));
    assertTrue(e.getMessage().contains("twice"), e.getMessage());
  }

  @Test
  void policiesAreValidated() {
    Duration s = Duration.ofSeconds(1);
    assertThrows(IllegalArgumentException.class,
        () -> new Authenticator.Policy(0, s.multipliedBy(60), s, s, s, 1, 1, 1));
    assertThrows(IllegalArgumentException.class, // window shorter than the longest lock
        () -> new Authenticator.Policy(5, s, s, s.multipliedBy(2), s, 1, 1, 1));
    assertThrows(IllegalArgumentException.class,
        () -> new Authenticator.Policy(5, s, Duration.ZERO, s, s, 1, 1, 1));
  }
}
