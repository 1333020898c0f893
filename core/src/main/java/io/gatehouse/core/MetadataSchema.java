package io.gatehouse.core;

import io.gatehouse.core.spi.ColumnInfo;
import io.gatehouse.core.spi.ConstraintInfo;
import io.gatehouse.core.spi.TableInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * {@code gatehouse.metadata}: the catalog as tables any client can {@code SELECT}, including keys,
 * which JDBC clients of the server cannot get otherwise (Avatica's protocol has no request for
 * them). Each session sees the tables of its own sources only, read from the cached catalogs.
 *
 * <ul>
 *   <li>{@code tables}: source, schema_name, table_name, table_type, remarks, row_estimate,
 *       size_bytes
 *   <li>{@code columns}: source, schema_name, table_name, column_name, ordinal_position, data_type,
 *       source_type, is_nullable, column_default, remarks, numeric_precision, numeric_scale,
 *       character_length
 *   <li>{@code keys}: source, schema_name, table_name, constraint_name, constraint_type
 *       ({@code PRIMARY KEY}, {@code UNIQUE}, {@code FOREIGN KEY}), column_name, key_seq,
 *       ref_schema_name, ref_table_name, ref_column_name
 * </ul>
 */
final class MetadataSchema extends AbstractSchema {
  /** The top-level schema name, reserved: no source may take it. */
  static final String ROOT = "gatehouse";
  static final String NAME = "metadata";

  private final Session session;

  MetadataSchema(Session session) {
    this.session = session;
  }

  @Override
  protected Map<String, Table> getTableMap() {
    return Map.of(
        "tables", new MetaTable(this::tableRows, f -> f.builder()
            .add("source", SqlTypeName.VARCHAR).add("schema_name", SqlTypeName.VARCHAR)
            .add("table_name", SqlTypeName.VARCHAR).add("table_type", SqlTypeName.VARCHAR)
            .add("remarks", SqlTypeName.VARCHAR).nullable(true)
            .add("row_estimate", SqlTypeName.BIGINT).nullable(true)
            .add("size_bytes", SqlTypeName.BIGINT).nullable(true).build()),
        "columns", new MetaTable(this::columnRows, f -> f.builder()
            .add("source", SqlTypeName.VARCHAR).add("schema_name", SqlTypeName.VARCHAR)
            .add("table_name", SqlTypeName.VARCHAR).add("column_name", SqlTypeName.VARCHAR)
            .add("ordinal_position", SqlTypeName.INTEGER).add("data_type", SqlTypeName.VARCHAR)
            .add("source_type", SqlTypeName.VARCHAR).add("is_nullable", SqlTypeName.BOOLEAN)
            .add("column_default", SqlTypeName.VARCHAR).nullable(true)
            .add("remarks", SqlTypeName.VARCHAR).nullable(true)
            .add("numeric_precision", SqlTypeName.INTEGER).nullable(true)
            .add("numeric_scale", SqlTypeName.INTEGER).nullable(true)
            .add("character_length", SqlTypeName.INTEGER).nullable(true).build()),
        "keys", new MetaTable(this::keyRows, f -> f.builder()
            .add("source", SqlTypeName.VARCHAR).add("schema_name", SqlTypeName.VARCHAR)
            .add("table_name", SqlTypeName.VARCHAR).add("constraint_name", SqlTypeName.VARCHAR)
            .add("constraint_type", SqlTypeName.VARCHAR).add("column_name", SqlTypeName.VARCHAR)
            .add("key_seq", SqlTypeName.INTEGER)
            .add("ref_schema_name", SqlTypeName.VARCHAR).nullable(true)
            .add("ref_table_name", SqlTypeName.VARCHAR).nullable(true)
            .add("ref_column_name", SqlTypeName.VARCHAR).nullable(true).build()));
  }

  /** Every visible table of every source of the session; a source that is down is left out. */
  private List<TableDescription> all() {
    List<TableDescription> out = new ArrayList<>();
    for (String id : session.sourceIds()) {
      try {
        out.addAll(session.describeTables(id));
      } catch (io.gatehouse.core.error.GatehouseException e) {
        // One unreachable source must not hide the others' metadata.
      }
    }
    return out;
  }

  private List<Object[]> tableRows() {
    List<Object[]> rows = new ArrayList<>();
    for (TableDescription t : all()) {
      TableInfo i = t.info();
      rows.add(new Object[] {t.sourceId(), t.schema(), i.name(), i.kind() == TableInfo.Kind.VIEW
          ? "VIEW" : "TABLE", i.comment(), i.rowEstimate() < 0 ? null : Math.round(i.rowEstimate()),
          i.sizeBytes() < 0 ? null : i.sizeBytes()});
    }
    return rows;
  }

  private List<Object[]> columnRows() {
    List<Object[]> rows = new ArrayList<>();
    for (TableDescription t : all()) {
      for (int k = 0; k < t.columns().size(); k++) {
        ColumnInfo ci = t.info().columns().get(k);
        Column c = t.columns().get(k);
        boolean text = c.jdbcType() == java.sql.Types.VARCHAR || c.jdbcType() == java.sql.Types.CHAR
            || c.jdbcType() == java.sql.Types.VARBINARY || c.jdbcType() == java.sql.Types.BINARY;
        boolean numeric = c.jdbcType() == java.sql.Types.DECIMAL || c.jdbcType() == java.sql.Types.NUMERIC;
        rows.add(new Object[] {t.sourceId(), t.schema(), t.info().name(), ci.name(), k + 1,
            c.typeName(), ci.sourceType(), ci.nullable(), ci.defaultValue(), ci.comment(),
            numeric ? c.precision() : null, numeric ? c.scale() : null,
            text && c.precision() > 0 ? c.precision() : null});
      }
    }
    return rows;
  }

  private List<Object[]> keyRows() {
    List<Object[]> rows = new ArrayList<>();
    for (TableDescription t : all()) {
      for (ConstraintInfo k : t.constraints()) {
        String type = k.kind() == ConstraintInfo.Kind.PRIMARY_KEY ? "PRIMARY KEY"
            : k.kind() == ConstraintInfo.Kind.UNIQUE ? "UNIQUE" : "FOREIGN KEY";
        boolean fk = k.kind() == ConstraintInfo.Kind.FOREIGN_KEY;
        for (int i = 0; i < k.columns().size(); i++) {
          rows.add(new Object[] {t.sourceId(), t.schema(), t.info().name(), k.name(), type,
              k.columns().get(i), i + 1, fk ? session.configuredSchemaOf(t.sourceId(), k.refSchema()) : null,
              fk ? k.refTable() : null, fk && i < k.refColumns().size() ? k.refColumns().get(i) : null});
        }
      }
    }
    return rows;
  }

  /** A table whose rows are computed when it is scanned. */
  private static final class MetaTable extends AbstractTable implements ScannableTable {
    private final java.util.function.Supplier<List<Object[]>> rows;
    private final Function<RelDataTypeFactory, RelDataType> rowType;

    MetaTable(java.util.function.Supplier<List<Object[]>> rows,
        Function<RelDataTypeFactory, RelDataType> rowType) {
      this.rows = rows;
      this.rowType = rowType;
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory typeFactory) {
      return rowType.apply(typeFactory);
    }

    @Override
    public Enumerable<Object[]> scan(DataContext root) {
      return Linq4j.asEnumerable(rows.get());
    }
  }
}
