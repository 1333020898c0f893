package io.gatehouse.core.guard;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.calcite.sql.parser.SqlAbstractParserImpl;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.parser.impl.SqlParserImpl;
import org.apache.calcite.sql.parser.impl.SqlParserImplConstants;
import org.apache.calcite.sql.parser.impl.Token;
import org.apache.calcite.sql.parser.impl.TokenMgrError;

/**
 * The token stream of a SQL text, produced by Calcite's own generated lexer with the same settings
 * the parser uses (quoting state, tab size 1).
 *
 * <p>The guard only needs it when the parser has failed: the parse exception tells <em>where</em>
 * the parser stopped and which token it disliked, but not which statement that token belongs to.
 * Re-lexing with the parser's lexer gives statement boundaries ({@code ;} tokens) without ever
 * looking at the raw text, so semicolons, keywords inside string literals, quoted identifiers and
 * comments are handled exactly as the parser handles them.
 */
final class SqlTokens {
  private static final Set<String> KEYWORDS =
      Set.copyOf(SqlParser.create("", SqlSyntax.parserConfig()).getMetadata().getTokens());

  private final List<Token> tokens;

  private SqlTokens(List<Token> tokens) {
    this.tokens = tokens;
  }

  /**
   * Lexes {@code sql}. A lexical error (unterminated comment or literal) ends the stream at the
   * error; the tokens before it are kept.
   */
  static SqlTokens lex(String sql, SqlParser.Config config) {
    SqlParserImpl lexer = new SqlParserImpl(new StringReader(sql));
    lexer.setTabSize(1);
    lexer.switchTo(SqlAbstractParserImpl.LexicalState.forConfig(config));
    List<Token> out = new ArrayList<>();
    try {
      for (Token t = lexer.getNextToken(); t.kind != SqlParserImplConstants.EOF;
          t = lexer.getNextToken()) {
        out.add(t);
      }
    } catch (TokenMgrError lexicalError) {
      // keep what was lexed before the error; the parser reports the error itself
    }
    return new SqlTokens(Collections.unmodifiableList(out));
  }

  List<Token> all() {
    return tokens;
  }

  /** True when the text has no token other than {@code ;} (empty, blank or comments only). */
  boolean hasNoStatement() {
    return tokens.stream().allMatch(SqlTokens::isSemicolon);
  }

  /** Index of the first token that starts at or after {@code pos}; {@code size()} if none. */
  int indexAt(SqlParserPos pos) {
    for (int i = 0; i < tokens.size(); i++) {
      if (!startsBefore(tokens.get(i), pos)) {
        return i;
      }
    }
    return tokens.size();
  }

  /** The statement that token {@code index} belongs to: where it starts and how many precede it. */
  StatementSpan statementOf(int index) {
    int precedingStatements = 0;
    int start = 0;
    for (int i = 0; i < index && i < tokens.size(); i++) {
      if (isSemicolon(tokens.get(i))) {
        if (i > start) {
          precedingStatements++;
        }
        start = i + 1;
      }
    }
    return new StatementSpan(start, precedingStatements);
  }

  /** The token at {@code index}, or null past the end. */
  Token get(int index) {
    return index >= 0 && index < tokens.size() ? tokens.get(index) : null;
  }

  static boolean isSemicolon(Token t) {
    return t != null && t.kind == SqlParserImplConstants.SEMICOLON;
  }

  /**
   * True for a bare word: an unquoted identifier or any keyword of the parser (reserved or not).
   * Quoted identifiers, literals, operators and punctuation are not words.
   */
  static boolean isWord(Token t) {
    return t != null
        && t.image != null
        && (t.kind == SqlParserImplConstants.IDENTIFIER
            || KEYWORDS.contains(t.image.toUpperCase(Locale.ROOT)));
  }

  /** The token's text upper-cased, the way statement kinds are named in messages. */
  static String upper(Token t) {
    return t.image.toUpperCase(Locale.ROOT);
  }

  static boolean is(Token t, int kind) {
    return t != null && t.kind == kind;
  }

  private static boolean startsBefore(Token t, SqlParserPos pos) {
    return t.beginLine < pos.getLineNum()
        || (t.beginLine == pos.getLineNum() && t.beginColumn < pos.getColumnNum());
  }

  /**
   * A statement within the token stream.
   *
   * @param start index of the statement's first token
   * @param precedingStatements how many non-empty statements come before it
   */
  record StatementSpan(int start, int precedingStatements) {}
}
