package io.gatehouse.core.config;

/** One thing wrong with a configuration: where ({@code sources[1].port}) and what, with the fix. */
public record ConfigProblem(String path, String message) {
  @Override
  public String toString() {
    return path.isEmpty() ? message : path + ": " + message;
  }
}
