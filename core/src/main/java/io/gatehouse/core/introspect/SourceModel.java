package io.gatehouse.core.introspect;

import java.util.List;

/**
 * What one source exposes, as {@code introspect} reports it: the model BI tools and AI agents read.
 * Plain records, so that Jackson writes them as JSON as they are.
 *
 * @param source the source id (the JDBC catalog)
 * @param type the source type ({@code postgresql}, {@code mysql}, ...)
 */
public record SourceModel(String source, String type, List<Schema> schemas) {
  public SourceModel {
    schemas = List.copyOf(schemas);
  }

  /** A schema (MySQL: database) with its visible tables and views. */
  public record Schema(String name, List<Table> tables) {
    public Schema {
      tables = List.copyOf(tables);
    }
  }

  /**
   * A table or view.
   *
   * @param kind {@code TABLE} or {@code VIEW}
   * @param rowEstimate the source's estimate, or null when unknown (views)
   * @param sizeBytes space at the source including indexes, or null when unknown
   * @param primaryKey null when there is none
   * @param profile null unless profiling was asked for
   */
  public record Table(String name, String kind, String comment, Long rowEstimate, Long sizeBytes,
      List<Column> columns, Key primaryKey, List<Key> uniqueKeys, List<ForeignKey> foreignKeys,
      TableProfile profile) {
    public Table {
      columns = List.copyOf(columns);
      uniqueKeys = List.copyOf(uniqueKeys);
      foreignKeys = List.copyOf(foreignKeys);
    }
  }

  /**
   * A column.
   *
   * @param sourceType the source's own type name
   * @param sqlType the SQL type Gatehouse exposes ({@code DECIMAL(12, 2)}, {@code VARCHAR(100)})
   * @param precision for numbers and times, or null
   * @param scale for decimals, or null
   * @param length for character and binary strings, or null
   * @param defaultValue the default expression as the source prints it, or null
   */
  public record Column(String name, int position, String sourceType, String sqlType, int jdbcType,
      boolean nullable, String defaultValue, String comment, Integer precision, Integer scale,
      Integer length, ColumnProfile profile) {}

  /** A primary key or unique constraint. */
  public record Key(String name, List<String> columns) {
    public Key {
      columns = List.copyOf(columns);
    }
  }

  /** A foreign key: {@code columns} reference {@code refColumns} of {@code refSchema.refTable}. */
  public record ForeignKey(String name, List<String> columns, String refSchema, String refTable,
      List<String> refColumns) {
    public ForeignKey {
      columns = List.copyOf(columns);
      refColumns = List.copyOf(refColumns);
    }
  }

  /**
   * How a table was sampled.
   *
   * @param sampledRows rows read
   * @param complete whether the sample is the whole table (then the column figures are exact)
   * @param error the error code when the sample could not be read, else null
   */
  public record TableProfile(long sampledRows, boolean complete, String error) {}

  /**
   * Statistics of a column over the sample.
   *
   * @param nullFraction share of NULLs in the sample
   * @param distinctEstimate distinct non-null values: exact for a complete sample, else estimated
   *     for the whole table from the sample's frequencies
   * @param min smallest non-null value in the sample, as text; null for types without an order
   * @param max largest non-null value in the sample, as text
   * @param sampleValues the most frequent non-null values, as text (long ones cut)
   */
  public record ColumnProfile(double nullFraction, long distinctEstimate, String min, String max,
      List<String> sampleValues) {
    public ColumnProfile {
      sampleValues = List.copyOf(sampleValues);
    }
  }
}
