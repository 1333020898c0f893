package io.gatehouse.core.config;

import static io.gatehouse.core.config.ConfigTestSupport.minimal;
import static io.gatehouse.core.config.ConfigTestSupport.onlyProblem;
import static io.gatehouse.core.config.ConfigTestSupport.parse;
import static io.gatehouse.core.config.ConfigTestSupport.sourceWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A source's {@code limits}: absent means no limit; every bad value is named by its path. */
class SourceLimitsConfigTest {
  @Test
  void withoutLimitsNothingIsLimited() {
    SourceLimits l = parse(minimal()).sources().get(0).limits();
    assertFalse(l.limited());
    assertEquals(SourceLimits.UNLIMITED, l);
  }

  @Test
  void limitsAreRead() {
    SourceLimits l = parse(sourceWith("limits",
        "{maxConcurrentQueries: 4, maxQueued: 20, queueTimeout: 3s}")).sources().get(0).limits();
    assertTrue(l.limited());
    assertEquals(new SourceLimits(4, 20, Duration.ofSeconds(3)), l);
  }

  @Test
  void queueAndTimeoutHaveDefaults() {
    SourceLimits l = parse(sourceWith("limits", "{maxConcurrentQueries: 2}")).sources().get(0).limits();
    assertEquals(new SourceLimits(2, 100, Duration.ofSeconds(10)), l);
  }

  @Test
  void aQueueOfZeroIsAllowed() {
    SourceLimits l = parse(sourceWith("limits", "{maxConcurrentQueries: 1, maxQueued: 0}"))
        .sources().get(0).limits();
    assertEquals(0, l.maxQueued());
  }

  @Test
  void badValuesNameTheirField() {
    onlyProblem(sourceWith("limits", "{maxConcurrentQueries: 0}"),
        "sources[0].limits.maxConcurrentQueries", "must be 1..10000, got 0");
    onlyProblem(sourceWith("limits", "{maxConcurrentQueries: 2, maxQueued: -1}"),
        "sources[0].limits.maxQueued", "must be 0..100000, got -1");
    onlyProblem(sourceWith("limits", "{maxConcurrentQueries: 2, queueTimeout: soon}"),
        "sources[0].limits.queueTimeout", "must be a duration");
    onlyProblem(sourceWith("limits", "{maxConcurrentQueries: 2, queueTimeout: 2h}"),
        "sources[0].limits.queueTimeout", "must be between");
    onlyProblem(sourceWith("limits", "{maxQueued: 5}"),
        "sources[0].limits.maxConcurrentQueries", "is required");
    onlyProblem(sourceWith("limits", "{maxConcurrentQueries: 2, maxQueue: 5}"),
        "sources[0].limits.maxQueue");
    onlyProblem(sourceWith("limits", "4"), "sources[0].limits", "must be a mapping");
  }
}
