package io.gatehouse.core.config;

import static io.gatehouse.core.config.ConfigTestSupport.minimal;
import static io.gatehouse.core.config.ConfigTestSupport.onlyProblem;
import static io.gatehouse.core.config.ConfigTestSupport.parse;
import static io.gatehouse.core.config.ConfigTestSupport.sourceWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code engine.resultCache} and a source's {@code resultCache}. */
class ResultCacheConfigTest {
  private static final String ENGINE_ON = "engine:\n  resultCache: { maxBytes: 256MB, ttl: 60s }\n";

  @Test
  void absentMeansOff() {
    assertNull(parse(minimal()).engine().resultCache());
    assertEquals(ResultCacheConfig.Source.DEFAULT, parse(minimal()).sources().get(0).resultCache());
  }

  @Test
  void engineBlockIsReadWithADefaultEntryBound() {
    ResultCacheConfig c = parse(minimal() + ENGINE_ON).engine().resultCache();
    assertEquals(new ResultCacheConfig(256L << 20, Duration.ofSeconds(60), 16L << 20), c);
  }

  @Test
  void emptyEngineBlockTurnsTheCacheOnWithDefaults() {
    ResultCacheConfig c = parse(minimal() + "engine:\n  resultCache: {}\n").engine().resultCache();
    assertEquals(ResultCacheConfig.DEFAULT_MAX_BYTES, c.maxBytes());
    assertEquals(ResultCacheConfig.DEFAULT_TTL, c.ttl());
  }

  @Test
  void badEngineValuesNameTheirField() {
    onlyProblem(minimal() + "engine:\n  resultCache: { maxBytes: lots }\n",
        "engine.resultCache.maxBytes", "must be a size such as 64KB, 512MB or 2GB, got 'lots'");
    onlyProblem(minimal() + "engine:\n  resultCache: { ttl: 0s }\n", "engine.resultCache.ttl",
        "must be between 1ms and 1d, got 0s");
    onlyProblem(minimal() + "engine:\n  resultCache: { maxBytes: 1MB, maxEntryBytes: 2MB }\n",
        "engine.resultCache.maxEntryBytes", "must not exceed maxBytes (1MB), got 2MB");
    onlyProblem(minimal() + "engine:\n  resultCache: { maxByte: 1MB }\n",
        "engine.resultCache.maxByte", "did you mean 'maxBytes'?");
    onlyProblem(minimal() + "engine:\n  resultCache: true\n", "engine.resultCache",
        "must be a mapping");
  }

  @Test
  void aSourceMayOptOutOrSetItsOwnTtl() {
    ResultCacheConfig engine = parse(minimal() + ENGINE_ON).engine().resultCache();
    ResultCacheConfig.Source off = parse(sourceWith("resultCache", "false") + ENGINE_ON)
        .sources().get(0).resultCache();
    assertFalse(off.enabled());
    ResultCacheConfig.Source own = parse(sourceWith("resultCache", "{ ttl: 30s }") + ENGINE_ON)
        .sources().get(0).resultCache();
    assertTrue(own.enabled());
    assertEquals(Duration.ofSeconds(30), own.effectiveTtl(engine));
    assertEquals(Duration.ofSeconds(60),
        parse(sourceWith("resultCache", "true") + ENGINE_ON).sources().get(0).resultCache()
            .effectiveTtl(engine));
  }

  @Test
  void badSourceValuesNameTheirField() {
    onlyProblem(sourceWith("resultCache", "{ ttl: soon }") + ENGINE_ON, "sources[0].resultCache.ttl",
        "must be a duration");
    onlyProblem(sourceWith("resultCache", "{ tll: 5s }") + ENGINE_ON, "sources[0].resultCache.tll",
        "did you mean 'ttl'?");
    onlyProblem(sourceWith("resultCache", "sometimes") + ENGINE_ON, "sources[0].resultCache",
        "must be a mapping");
  }

  @Test
  void aSourceTtlWithoutTheEngineCacheIsAMistakeButOptingOutIsHarmless() {
    onlyProblem(sourceWith("resultCache", "{ ttl: 30s }"), "sources[0].resultCache.ttl",
        "has no effect: the result cache is off (engine.resultCache is not set)");
    assertFalse(parse(sourceWith("resultCache", "false")).sources().get(0).resultCache().enabled());
  }
}
