package io.gatehouse.server.auth;

import java.util.regex.Pattern;

/**
 * The rule for login names, the same as the configuration's {@code server.users[].name}: a letter
 * first, then letters, digits, {@code _ . @ -}, at most 64 characters.
 */
public final class UserNames {
  /** Kept equal to the pattern of {@code io.gatehouse.core.config.ServerConfig}. */
  private static final Pattern USER_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.@-]{0,63}");

  /** Said to a user whose name breaks the rule. */
  public static final String RULE =
      "must start with a letter and hold only letters, digits, '_', '.', '@' or '-' (at most 64)";

  private UserNames() {}

  public static boolean isValid(String name) {
    return name != null && name.length() <= 64 && USER_NAME.matcher(name).matches();
  }
}
