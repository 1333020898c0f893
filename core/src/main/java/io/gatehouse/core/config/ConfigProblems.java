package io.gatehouse.core.config;

import java.util.ArrayList;
import java.util.List;

/** Collects problems while a configuration is read, so that all of them are reported at once. */
public final class ConfigProblems {
  private final List<ConfigProblem> problems = new ArrayList<>();

  public void add(String path, String message) {
    problems.add(new ConfigProblem(path, message));
  }

  public boolean isEmpty() {
    return problems.isEmpty();
  }

  public int size() {
    return problems.size();
  }

  public List<ConfigProblem> list() {
    return List.copyOf(problems);
  }

  /** Throws a {@link ConfigException} listing every problem, if there is any. */
  public void throwIfAny(String origin) {
    if (!problems.isEmpty()) {
      throw new ConfigException(origin, problems);
    }
  }
}
