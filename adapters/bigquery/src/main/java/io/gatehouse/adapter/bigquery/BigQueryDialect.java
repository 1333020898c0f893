package io.gatehouse.adapter.bigquery;

import io.gatehouse.core.spi.Aggregates;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlAbstractDateTimeLiteral;
import org.apache.calcite.sql.SqlAlienSystemTypeNameSpec;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.dialect.BigQuerySqlDialect;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Calcite's BigQuery dialect with BigQuery's own type names where Calcite's and BigQuery's
 * meanings differ.
 *
 * <ul>
 *   <li>Calcite's TIMESTAMP (no time zone) is BigQuery's DATETIME, and Calcite's TIMESTAMP WITH
 *       LOCAL TIME ZONE is BigQuery's TIMESTAMP (an instant). Literals and casts say so:
 *       {@code DATETIME '2024-01-05 00:00:00'}, {@code TIMESTAMP '2024-01-05 00:00:00 UTC'};
 *       BigQuery refuses to compare a DATETIME column with a TIMESTAMP literal.</li>
 *   <li>Casts use BigQuery's names: INT64, FLOAT64, NUMERIC or BIGNUMERIC (by precision and
 *       scale: NUMERIC holds 29 digits before the point and 9 after), STRING, BYTES, BOOL.</li>
 *   <li>AVG and the variance family are computed by BigQuery (see {@link Aggregates}).</li>
 * </ul>
 */
final class BigQueryDialect extends BigQuerySqlDialect {
  static final BigQueryDialect INSTANCE = new BigQueryDialect();

  private BigQueryDialect() {
    super(BigQuerySqlDialect.DEFAULT_CONTEXT);
  }

  @Override
  public boolean supportsAggregateFunction(SqlKind kind) {
    return Aggregates.computedBySqlSources(kind) || super.supportsAggregateFunction(kind);
  }

  @Override
  public void unparseDateTimeLiteral(SqlWriter writer, SqlAbstractDateTimeLiteral literal,
      int leftPrec, int rightPrec) {
    switch (literal.getTypeName()) {
      case TIMESTAMP:
        writer.literal("DATETIME '" + literal.toFormattedString() + "'");
        return;
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
        writer.literal("TIMESTAMP '" + literal.toFormattedString() + " UTC'");
        return;
      default:
        super.unparseDateTimeLiteral(writer, literal, leftPrec, rightPrec);
    }
  }

  @Override
  public SqlNode getCastSpec(RelDataType type) {
    String name = bigQueryTypeName(type);
    if (name == null) {
      return super.getCastSpec(type);
    }
    return new SqlDataTypeSpec(
        new SqlAlienSystemTypeNameSpec(name, type.getSqlTypeName(), SqlParserPos.ZERO),
        SqlParserPos.ZERO);
  }

  /** The GoogleSQL name of a Calcite type, or null where Calcite's own spelling is right. */
  static String bigQueryTypeName(RelDataType type) {
    SqlTypeName t = type.getSqlTypeName();
    switch (t) {
      case TINYINT:
      case SMALLINT:
      case INTEGER:
      case BIGINT:
        return "INT64";
      case REAL:
      case FLOAT:
      case DOUBLE:
        return "FLOAT64";
      case DECIMAL: {
        int p = type.getPrecision();
        int s = Math.max(0, type.getScale());
        return s <= 9 && p - s <= 29 ? "NUMERIC" : "BIGNUMERIC";
      }
      case CHAR:
      case VARCHAR:
        return "STRING";
      case BINARY:
      case VARBINARY:
        return "BYTES";
      case BOOLEAN:
        return "BOOL";
      case DATE:
        return "DATE";
      case TIME:
        return "TIME";
      case TIMESTAMP:
        return "DATETIME";
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
        return "TIMESTAMP";
      default:
        return null;
    }
  }
}
