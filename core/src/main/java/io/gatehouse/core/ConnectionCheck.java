package io.gatehouse.core;

import io.gatehouse.core.error.ErrorCode;
import java.time.Duration;

/**
 * The result of testing a source's connection.
 *
 * @param latency time to obtain a connection and run a round trip
 * @param code null when ok
 * @param message null when ok; otherwise what went wrong and what to check, without the code
 */
public record ConnectionCheck(String sourceId, boolean ok, Duration latency, ErrorCode code,
    String message) {}
