package io.gatehouse.core.guard;

import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.impl.SqlParserImpl;
import org.apache.calcite.sql.validate.SqlConformance;
import org.apache.calcite.sql.validate.SqlConformanceEnum;

/**
 * The SQL dialect clients speak to Gatehouse, in one place so that the guard, the validator and the
 * planner agree on it.
 *
 * <ul>
 *   <li>Identifiers keep the case they are written in and match case-insensitively, the way users of
 *       PostgreSQL and MySQL expect ({@code pg.public.Orders} finds {@code orders}). Calcite's default
 *       upper-cases unquoted names, which makes {@code pg} unknown.</li>
 *   <li>Quoted identifiers use double quotes (standard SQL, PostgreSQL).</li>
 *   <li>The LENIENT conformance accepts the common dialect conveniences: {@code LIMIT n OFFSET m},
 *       {@code LIMIT m, n}, {@code !=}, {@code %}, GROUP BY alias and ordinal.</li>
 * </ul>
 */
public final class SqlSyntax {
  public static final SqlConformance CONFORMANCE = SqlConformanceEnum.LENIENT;

  private static final SqlParser.Config PARSER_CONFIG =
      SqlParser.config()
          .withParserFactory(SqlParserImpl.FACTORY)
          .withQuoting(Quoting.DOUBLE_QUOTE)
          .withUnquotedCasing(Casing.UNCHANGED)
          .withQuotedCasing(Casing.UNCHANGED)
          .withCaseSensitive(false)
          .withConformance(CONFORMANCE)
          .withIdentifierMaxLength(1024);

  private SqlSyntax() {}

  public static SqlParser.Config parserConfig() {
    return PARSER_CONFIG;
  }
}
