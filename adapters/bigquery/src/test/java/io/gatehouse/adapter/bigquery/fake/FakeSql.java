package io.gatehouse.adapter.bigquery.fake;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.calcite.config.Lex;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlIntervalLiteral;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlUnknownLiteral;
import org.apache.calcite.sql.SqlUnresolvedFunction;
import org.apache.calcite.sql.SqlWith;
import org.apache.calcite.sql.SqlWithItem;
import org.apache.calcite.sql.dialect.H2SqlDialect;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlShuttle;
import org.apache.calcite.sql.validate.SqlConformanceEnum;

/**
 * The fake's SQL front end: parses the GoogleSQL a client sent (Calcite's parser, BigQuery lexical
 * rules and conformance), checks every table reference against the fake's project, and re-writes
 * the statement for the H2 database that holds the fixture data: BigQuery type names (INT64,
 * FLOAT64, NUMERIC, BIGNUMERIC, STRING, BYTES, BOOL, DATETIME, TIMESTAMP) become H2's, DATETIME and
 * TIMESTAMP literals H2's timestamp literals, and the date functions BigQuery has and H2 lacks
 * (DATE_ADD, DATE_SUB, DATE_DIFF, TIMESTAMP_ADD...) H2's DATEADD/DATEDIFF. What it does not know
 * reaches H2 as written and fails there, as unknown SQL fails at BigQuery.
 */
final class FakeSql {
  /** {@code CAST(x AS DATETIME)}: DATETIME is a keyword of Calcite's parser, not a type name. */
  private static final Pattern CAST_DATETIME = Pattern.compile("(?i)\\bAS\\s+DATETIME\\s*\\)");

  /** A table a statement reads. */
  record TableRef(String dataset, String table) {}

  /**
   * @param statementType BigQuery's name of the statement kind (SELECT, INSERT, DELETE...)
   * @param h2Sql the statement for the fixture database; null unless a query
   */
  record Translation(String statementType, String h2Sql, Set<TableRef> tables) {}

  /** A statement BigQuery would refuse, with BigQuery's error reason. */
  static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;
    final String reason;

    Invalid(String reason, String message) {
      super(message);
      this.reason = reason;
    }
  }

  private final String project;

  FakeSql(String project) {
    this.project = project;
  }

  Translation translate(String sql) throws Invalid {
    SqlNode node;
    try {
      node = SqlParser.create(CAST_DATETIME.matcher(sql).replaceAll("AS FAKE_DATETIME)"),
          SqlParser.config().withLex(Lex.BIG_QUERY).withConformance(SqlConformanceEnum.BIG_QUERY))
          .parseStmt();
    } catch (SqlParseException e) {
      throw new Invalid("invalidQuery", "Syntax error: " + e.getMessage().split("\n")[0]);
    }
    String type = statementType(node.getKind());
    if (!type.equals("SELECT")) {
      return new Translation(type, null, Set.of());
    }
    Rewriter r = new Rewriter();
    SqlNode h2 = node.accept(r);
    if (r.problem != null) {
      throw r.problem;
    }
    String text = h2.toSqlString(c -> c.withDialect(H2SqlDialect.DEFAULT)
        .withAlwaysUseParentheses(false).withQuoteAllIdentifiers(true)).getSql();
    return new Translation(type, text, r.tables);
  }

  private static String statementType(SqlKind kind) {
    switch (kind) {
      case SELECT:
      case ORDER_BY:
      case UNION:
      case INTERSECT:
      case EXCEPT:
      case WITH:
      case VALUES:
        return "SELECT";
      case INSERT:
        return "INSERT";
      case UPDATE:
        return "UPDATE";
      case DELETE:
        return "DELETE";
      case MERGE:
        return "MERGE";
      default:
        return kind.name();
    }
  }

  private final class Rewriter extends SqlShuttle {
    final Set<TableRef> tables = new LinkedHashSet<>();
    final Set<String> withNames = new LinkedHashSet<>();
    Invalid problem;

    @Override
    public SqlNode visit(SqlCall call) {
      if (call instanceof SqlWith with) {
        for (SqlNode item : with.withList) {
          withNames.add(((SqlWithItem) item).name.getSimple().toLowerCase(Locale.ROOT));
        }
      }
      if (call instanceof SqlSelect select && select.getFrom() != null) {
        select.setFrom(from(select.getFrom()));
      }
      SqlNode rewritten = function(call);
      if (rewritten != call) {
        return rewritten.accept(this);
      }
      return super.visit(call);
    }

    /** Table references in a FROM clause: joins, aliases, subqueries, plain names. */
    private SqlNode from(SqlNode n) {
      if (n instanceof SqlIdentifier id) {
        return table(id);
      }
      if (n instanceof SqlJoin join) {
        join.setLeft(from(join.getLeft()));
        join.setRight(from(join.getRight()));
        return join;
      }
      if (n instanceof SqlBasicCall call && call.getKind() == SqlKind.AS) {
        call.setOperand(0, from(call.operand(0)));
        return call;
      }
      return n; // a subquery: visited as a call
    }

    private SqlNode table(SqlIdentifier id) {
      List<String> names = id.names;
      if (names.size() == 1 && withNames.contains(names.get(0).toLowerCase(Locale.ROOT))) {
        return id;
      }
      if (names.size() == 3) {
        if (!names.get(0).equals(project)) {
          fail("notFound", "Not found: Project " + names.get(0));
          return id;
        }
        names = names.subList(1, 3);
      } else if (names.size() != 2) {
        fail("invalidQuery", "Table \"" + String.join(".", names) + "\" must be qualified with a"
            + " dataset (e.g. dataset.table).");
        return id;
      }
      tables.add(new TableRef(names.get(0), names.get(1)));
      return new SqlIdentifier(List.copyOf(names), id.getParserPosition());
    }

    private void fail(String reason, String message) {
      if (problem == null) {
        problem = new Invalid(reason, message);
      }
    }

    @Override
    public SqlNode visit(SqlDataTypeSpec type) {
      String name = type.getTypeName().getSimple().toUpperCase(Locale.ROOT);
      SqlTypeName h2;
      switch (name) {
        case "INT64":
          h2 = SqlTypeName.BIGINT;
          break;
        case "FLOAT64":
          h2 = SqlTypeName.DOUBLE;
          break;
        case "BOOL":
          h2 = SqlTypeName.BOOLEAN;
          break;
        case "STRING":
          h2 = SqlTypeName.VARCHAR;
          break;
        case "BYTES":
          h2 = SqlTypeName.VARBINARY;
          break;
        case "FAKE_DATETIME":
          h2 = SqlTypeName.TIMESTAMP;
          break;
        case "NUMERIC":
        case "DECIMAL":
          return spec(SqlTypeName.DECIMAL, 38, 9);
        case "BIGNUMERIC":
          return spec(SqlTypeName.DECIMAL, 76, 38);
        case "TIMESTAMP":
          return new SqlDataTypeSpec(new SqlBasicTypeNameSpec(
              SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, -1, SqlParserPos.ZERO), SqlParserPos.ZERO);
        default:
          return type;
      }
      return new SqlDataTypeSpec(new SqlBasicTypeNameSpec(h2, SqlParserPos.ZERO), SqlParserPos.ZERO);
    }

    private SqlDataTypeSpec spec(SqlTypeName t, int precision, int scale) {
      return new SqlDataTypeSpec(new SqlBasicTypeNameSpec(t, precision, scale, SqlParserPos.ZERO),
          SqlParserPos.ZERO);
    }

    @Override
    public SqlNode visit(SqlLiteral literal) {
      if (literal instanceof SqlUnknownLiteral u) {
        String tag = u.tag.toUpperCase(Locale.ROOT);
        String value = u.getValue().toString();
        if (tag.equals("DATETIME")) {
          return SqlLiteral.createUnknown("TIMESTAMP", value, literal.getParserPosition());
        }
        if (tag.equals("TIMESTAMP")) {
          // BigQuery's TIMESTAMP is an instant; a literal without a zone is in UTC.
          String v = value.trim();
          String zone = "+00:00";
          if (v.endsWith(" UTC")) {
            v = v.substring(0, v.length() - 4);
          } else if (v.matches(".*[+-]\\d\\d(:\\d\\d)?$")) {
            zone = "";
          }
          return SqlLiteral.createUnknown("TIMESTAMP WITH TIME ZONE", v + zone,
              literal.getParserPosition());
        }
      }
      return literal;
    }

    /** BigQuery functions that H2 spells differently. */
    private SqlNode function(SqlCall call) {
      if (!(call.getOperator() instanceof SqlUnresolvedFunction)
          && !(call.getOperator() instanceof SqlFunction f
              && f.getFunctionType() == SqlFunctionCategory.USER_DEFINED_FUNCTION)) {
        String name = call.getOperator().getName().toUpperCase(Locale.ROOT);
        if (!name.equals("DATE_DIFF") && !name.equals("DATETIME_DIFF") && !name.equals("TIMESTAMP_DIFF")) {
          return call;
        }
      }
      String name = call.getOperator().getName().toUpperCase(Locale.ROOT);
      List<SqlNode> ops = call.getOperandList();
      switch (name) {
        case "DATE_ADD":
        case "DATETIME_ADD":
        case "TIMESTAMP_ADD":
        case "DATE_SUB":
        case "DATETIME_SUB":
        case "TIMESTAMP_SUB": {
          if (ops.size() != 2 || !(ops.get(1) instanceof SqlIntervalLiteral i)) {
            return call;
          }
          SqlIntervalLiteral.IntervalValue v = i.getValueAs(SqlIntervalLiteral.IntervalValue.class);
          long amount = Long.parseLong(v.getIntervalLiteral().trim()) * v.getSign();
          if (name.endsWith("_SUB")) {
            amount = -amount;
          }
          SqlIntervalQualifier q = v.getIntervalQualifier();
          return h2Call("DATEADD", SqlLiteral.createCharString(q.timeUnitRange.startUnit.name(),
              SqlParserPos.ZERO), SqlLiteral.createExactNumeric(Long.toString(amount),
              SqlParserPos.ZERO), ops.get(0));
        }
        case "DATE_DIFF":
        case "DATETIME_DIFF":
        case "TIMESTAMP_DIFF": {
          if (ops.size() != 3) {
            return call;
          }
          // BigQuery: DATE_DIFF(end, start, part); H2: DATEDIFF(part, start, end).
          return h2Call("DATEDIFF", SqlLiteral.createCharString(ops.get(2).toString(),
              SqlParserPos.ZERO), ops.get(1), ops.get(0));
        }
        case "STRPOS":
          return ops.size() == 2 ? h2Call("LOCATE", ops.get(1), ops.get(0)) : call;
        default:
          return call;
      }
    }

    private SqlNode h2Call(String name, SqlNode... operands) {
      // A system function: unparsed by its plain name, as H2 wants built-ins (not quoted).
      SqlFunction f = new SqlFunction(name, SqlKind.OTHER_FUNCTION, null, null, null,
          SqlFunctionCategory.SYSTEM);
      return new SqlBasicCall(f, new ArrayList<>(List.of(operands)), SqlParserPos.ZERO);
    }
  }
}
