package io.gatehouse.core.guard;

import io.gatehouse.core.error.ErrorCode;
import io.gatehouse.core.error.GatehouseException;

/**
 * The guard's refusal messages, in one place so that every path (parsed tree or parser failure)
 * words the same refusal the same way. Each message names what was refused, because "not allowed"
 * alone leaves the user guessing which part of a long script tripped the guard.
 */
final class Rejections {
  static final String ACCEPTED =
      "Gatehouse accepts only read queries (SELECT, WITH, VALUES, UNION/INTERSECT/EXCEPT)";

  private Rejections() {}

  static GatehouseException empty() {
    return rejected("empty statement: the SQL text contains no statement");
  }

  static GatehouseException statementKind(String kind) {
    return rejected(kind + " statements are not allowed; " + ACCEPTED);
  }

  static GatehouseException explainOf(String kind) {
    return rejected(
        "EXPLAIN of " + kind + " statements is not allowed; EXPLAIN PLAN FOR accepts only read"
            + " queries (SELECT, WITH, VALUES, UNION/INTERSECT/EXCEPT)");
  }

  static GatehouseException nested(String kind) {
    return rejected(kind + " is not allowed inside a query; " + ACCEPTED);
  }

  static GatehouseException multiple(int count) {
    return rejected(
        "multiple statements are not allowed: found " + count
            + " statements, only one statement is allowed per request");
  }

  static GatehouseException multipleUnparsed(int line, int column) {
    return rejected(
        "multiple statements are not allowed: another statement starts at line " + line
            + ", column " + column + "; only one statement is allowed per request");
  }

  static GatehouseException locking(String clause) {
    return rejected("SELECT ... " + clause + " is not allowed: Gatehouse never takes locks");
  }

  static GatehouseException selectInto() {
    return rejected("SELECT INTO is not allowed: it creates a table");
  }

  static GatehouseException syntax(String message, int line, int column) {
    return new GatehouseException(ErrorCode.SQL_SYNTAX, message, line, column);
  }

  private static GatehouseException rejected(String message) {
    return new GatehouseException(ErrorCode.QUERY_REJECTED, message);
  }
}
