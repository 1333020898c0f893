package io.gatehouse.core.config;

import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;
import java.util.List;
import java.util.stream.Collectors;

/** A configuration was refused. Lists every problem found, not only the first. */
public final class ConfigException extends GatehouseException {
  private static final long serialVersionUID = 1L;

  private final transient List<ConfigProblem> problems;

  public ConfigException(String origin, List<ConfigProblem> problems) {
    super(ErrorCode.CONFIG_INVALID, describe(origin, problems));
    this.problems = List.copyOf(problems);
  }

  public List<ConfigProblem> problems() {
    return problems;
  }

  private static String describe(String origin, List<ConfigProblem> problems) {
    String head = (origin == null || origin.isEmpty() ? "configuration" : origin) + " has "
        + problems.size() + (problems.size() == 1 ? " problem" : " problems");
    return problems.stream().map(p -> "  - " + p)
        .collect(Collectors.joining("\n", head + ":\n", ""));
  }
}
