package io.gatehouse.core.guard;

import io.gatehouse.core.error.GatehouseException;
import java.util.Collection;
import java.util.Set;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.parser.impl.ParseException;
import org.apache.calcite.sql.parser.impl.SqlParserImplConstants;
import org.apache.calcite.sql.parser.impl.Token;

/**
 * Turns a failure of Calcite's parser into the error the user sees.
 *
 * <p>Calcite's core parser knows no DDL, transaction control, COPY, VACUUM, SHOW, ... so those
 * statements never become a tree; they reach the guard as a parse failure. Reporting them as
 * "syntax error" would be wrong (the SQL may be perfectly valid for the database) and unhelpful, so
 * the failure is classified from the parser's own exception: the token it stopped at, the token
 * before it, and the statement that token belongs to (found with the parser's own lexer, see
 * {@link SqlTokens}). No regular expression ever looks at the SQL text.
 *
 * <ul>
 *   <li>failure inside a second statement: several statements were sent -&gt; QUERY_REJECTED;</li>
 *   <li>a statement that does not begin like a query ({@code DROP}, {@code ALTER TABLE},
 *       {@code VACUUM}, {@code SET ROLE}, ...) -&gt; QUERY_REJECTED naming its first keyword;</li>
 *   <li>a query that fails at a locking ({@code FOR UPDATE}) or writing ({@code INTO}) clause, at an
 *       explained non-query, at DML in parentheses or at DML after a WITH list -&gt;
 *       QUERY_REJECTED naming it;</li>
 *   <li>anything else is a real syntax error -&gt; SQL_SYNTAX with the parser's position.</li>
 * </ul>
 */
final class ParseFailures {
  /** Tokens a statement the guard could accept starts with; a failure there is a syntax error. */
  private static final Set<Integer> QUERY_STARTS =
      Set.of(
          SqlParserImplConstants.SELECT,
          SqlParserImplConstants.WITH,
          SqlParserImplConstants.VALUES,
          SqlParserImplConstants.TABLE,
          SqlParserImplConstants.LPAREN,
          SqlParserImplConstants.EXPLAIN);

  /** Words that follow FOR in a row-locking clause (FOR UPDATE, FOR SHARE, FOR NO KEY UPDATE, ...). */
  private static final Set<String> LOCK_WORDS = Set.of("UPDATE", "SHARE", "NO", "KEY");

  /** Statement keywords that write or change something; refused when they appear as a subquery. */
  private static final Set<String> WRITE_WORDS =
      Set.of(
          "INSERT", "UPSERT", "UPDATE", "DELETE", "MERGE", "CALL", "CREATE", "DROP", "ALTER",
          "TRUNCATE", "GRANT", "REVOKE", "REPLACE", "COPY");

  /** Above this many expected tokens the parser's "expecting" list is noise, not help. */
  private static final int MAX_EXPECTED_SHOWN = 4;

  private ParseFailures() {}

  static GatehouseException classify(String sql, SqlParser.Config config, SqlParseException e) {
    SqlTokens tokens = SqlTokens.lex(sql, config);
    if (tokens.hasNoStatement()) {
      return Rejections.empty();
    }
    SqlParserPos pos = failurePosition(e);
    if (pos == null) {
      return Rejections.syntax(cleanMessage(e), 0, 0);
    }
    int at = tokens.indexAt(pos);
    SqlTokens.StatementSpan statement = tokens.statementOf(at);
    if (statement.precedingStatements() > 0) {
      Token first = tokens.get(statement.start());
      Token where = first != null ? first : tokens.get(at);
      return where == null
          ? Rejections.multiple(statement.precedingStatements() + 1)
          : Rejections.multipleUnparsed(where.beginLine, where.beginColumn);
    }
    Token first = statement.start() < at ? tokens.get(statement.start()) : offending(e, tokens, at);
    if (first != null && !QUERY_STARTS.contains(first.kind)) {
      if (SqlTokens.isWord(first)) {
        return Rejections.statementKind(SqlTokens.upper(first));
      }
      return syntax(e, pos);
    }
    GatehouseException clause = forbiddenClause(e, tokens, at, first);
    return clause != null ? clause : syntax(e, pos);
  }

  /**
   * A query that failed at something the guard refuses anyway: FOR UPDATE/SHARE, SELECT INTO,
   * EXPLAIN PLAN FOR a non-query, DML in parentheses. Null when the failure is a plain syntax error.
   */
  private static GatehouseException forbiddenClause(
      SqlParseException e, SqlTokens tokens, int at, Token first) {
    Token bad = offending(e, tokens, at);
    Token before = previous(e, tokens, at);
    if (bad == null) {
      return null;
    }
    if (bad.kind == SqlParserImplConstants.FOR) {
      return Rejections.locking(lockClause(tokens, at + 1));
    }
    if (SqlTokens.is(before, SqlParserImplConstants.FOR) && isLockWord(bad)) {
      return Rejections.locking(lockClause(tokens, at));
    }
    if (bad.kind == SqlParserImplConstants.INTO) {
      return Rejections.selectInto();
    }
    if (SqlTokens.is(first, SqlParserImplConstants.EXPLAIN)
        && SqlTokens.is(before, SqlParserImplConstants.FOR)
        && SqlTokens.isWord(bad)) {
      return Rejections.explainOf(SqlTokens.upper(bad));
    }
    if (SqlTokens.is(first, SqlParserImplConstants.WITH)
        && SqlTokens.is(before, SqlParserImplConstants.RPAREN)
        && isWriteWord(bad)) {
      // PostgreSQL's "WITH x AS (...) DELETE FROM t": a DML statement with a CTE in front
      return Rejections.statementKind(SqlTokens.upper(bad));
    }
    return nestedWrite(tokens, at);
  }

  /** "FOR" and the lock words after it, as written: FOR UPDATE, FOR NO KEY UPDATE, FOR SHARE. */
  private static String lockClause(SqlTokens tokens, int firstWord) {
    StringBuilder clause = new StringBuilder("FOR");
    for (int i = firstWord; i < firstWord + 3 && isLockWord(tokens.get(i)); i++) {
      clause.append(' ').append(SqlTokens.upper(tokens.get(i)));
    }
    return clause.toString();
  }

  private static boolean isWriteWord(Token t) {
    return SqlTokens.isWord(t) && WRITE_WORDS.contains(SqlTokens.upper(t));
  }

  private static boolean isLockWord(Token t) {
    return SqlTokens.isWord(t) && LOCK_WORDS.contains(SqlTokens.upper(t));
  }

  /** {@code (DELETE ...)}, {@code ((INSERT ...))}: the parser stops at or just before the DML. */
  private static GatehouseException nestedWrite(SqlTokens tokens, int at) {
    int i = at;
    while (SqlTokens.is(tokens.get(i), SqlParserImplConstants.LPAREN)) {
      i++;
    }
    Token word = tokens.get(i);
    boolean afterParen = SqlTokens.is(tokens.get(i - 1), SqlParserImplConstants.LPAREN);
    if (afterParen && isWriteWord(word)) {
      return Rejections.nested(SqlTokens.upper(word));
    }
    return null;
  }

  /**
   * The token the parser refused. The generated ParseException carries it as
   * {@code currentToken.next}; other failures (a bare expression where a statement was expected)
   * only carry a position, so the lexed token at that position is used.
   */
  private static Token offending(SqlParseException e, SqlTokens tokens, int at) {
    if (e.getCause() instanceof ParseException pe
        && pe.currentToken != null
        && pe.currentToken.next != null) {
      Token next = pe.currentToken.next;
      return next.kind == SqlParserImplConstants.EOF ? null : next;
    }
    return tokens.get(at);
  }

  /** The last token the parser accepted before failing, or null at the start of the text. */
  private static Token previous(SqlParseException e, SqlTokens tokens, int at) {
    if (e.getCause() instanceof ParseException pe && pe.currentToken != null) {
      // kind EOF with a null image is JavaCC's "nothing consumed yet" sentinel
      return pe.currentToken.image == null ? null : pe.currentToken;
    }
    return tokens.get(at - 1);
  }

  private static SqlParserPos failurePosition(SqlParseException e) {
    if (e.getCause() instanceof ParseException pe
        && pe.currentToken != null
        && pe.currentToken.next != null) {
      Token next = pe.currentToken.next;
      return new SqlParserPos(next.beginLine, next.beginColumn);
    }
    return e.getPos();
  }

  private static GatehouseException syntax(SqlParseException e, SqlParserPos pos) {
    return Rejections.syntax(cleanMessage(e), pos.getLineNum(), pos.getColumnNum());
  }

  /**
   * The parser's message on one line, without the "Was expecting one of" list (hundreds of tokens
   * for most failures). A short expected list is kept because then it is the actual hint.
   */
  static String cleanMessage(SqlParseException e) {
    String message = e.getMessage() == null ? "syntax error" : e.getMessage();
    int cut = message.indexOf("Was expecting");
    String head = collapse(cut >= 0 ? message.substring(0, cut) : message);
    SqlParserPos pos = e.getPos();
    if (pos != null && !head.contains(" at line ")) {
      head = head + " at line " + pos.getLineNum() + ", column " + pos.getColumnNum();
    }
    Collection<String> expected = e.getExpectedTokenNames();
    if (cut >= 0 && !expected.isEmpty() && expected.size() <= MAX_EXPECTED_SHOWN) {
      head = stripPeriod(head) + "; expecting " + String.join(" or ", expected);
    }
    return head;
  }

  private static String collapse(String s) {
    StringBuilder b = new StringBuilder(s.length());
    boolean space = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        space = b.length() > 0;
      } else {
        if (space) {
          b.append(' ');
          space = false;
        }
        b.append(c);
      }
    }
    return b.toString();
  }

  private static String stripPeriod(String s) {
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}
