package io.gatehouse.adapter.snowflake.fake;

/** An error the fake answers with, in Snowflake's shape: a vendor code, an SQLState and a message. */
final class FakeSnowflakeError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final String code;
  final String sqlState;

  FakeSnowflakeError(String code, String sqlState, String message) {
    super(message, null, false, false);
    this.code = code;
    this.sqlState = sqlState;
  }
}
