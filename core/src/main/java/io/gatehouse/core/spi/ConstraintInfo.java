package io.gatehouse.core.spi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A primary key, unique constraint or foreign key as read from a source's catalog.
 *
 * @param schema the schema (MySQL: database) of the constrained table, as the source spells it
 * @param columns the constrained columns, in key order
 * @param refSchema for a foreign key, the referenced table's schema; else null
 * @param refColumns for a foreign key, the referenced columns in the order of {@code columns}; else empty
 */
public record ConstraintInfo(String schema, String table, String name, Kind kind, List<String> columns,
    String refSchema, String refTable, List<String> refColumns) {

  public ConstraintInfo {
    columns = List.copyOf(columns);
    refColumns = List.copyOf(refColumns);
  }

  /** What the constraint guarantees. */
  public enum Kind { PRIMARY_KEY, UNIQUE, FOREIGN_KEY }

  /**
   * Builds constraints from catalog rows that hold one column each (the shape of
   * {@code information_schema.key_column_usage}), rows of one constraint in key order.
   */
  public static final class Collector {
    private final Map<List<String>, Builder> byKey = new LinkedHashMap<>();

    private record Builder(String schema, String table, String name, Kind kind, List<String> columns,
        String[] ref, List<String> refColumns) {}

    /**
     * Adds one column of a constraint.
     *
     * @param refSchema null unless a foreign key (then with refTable and refColumn)
     */
    public void add(String schema, String table, String name, Kind kind, String column,
        String refSchema, String refTable, String refColumn) {
      Builder b = byKey.computeIfAbsent(List.of(schema, table, name), k -> new Builder(schema, table,
          name, kind, new ArrayList<>(), new String[] {refSchema, refTable}, new ArrayList<>()));
      b.columns.add(column);
      if (kind == Kind.FOREIGN_KEY && refColumn != null) {
        b.refColumns.add(refColumn);
      }
    }

    public List<ConstraintInfo> build() {
      List<ConstraintInfo> out = new ArrayList<>();
      for (Builder b : byKey.values()) {
        boolean fk = b.kind == Kind.FOREIGN_KEY;
        out.add(new ConstraintInfo(b.schema, b.table, b.name, b.kind, b.columns,
            fk ? b.ref[0] : null, fk ? b.ref[1] : null, fk ? b.refColumns : List.of()));
      }
      return out;
    }
  }

  /** The kind for an SQL-standard {@code CONSTRAINT_TYPE} ("PRIMARY KEY", "UNIQUE", "FOREIGN KEY"), or null. */
  public static Kind kindOf(String constraintType) {
    if (constraintType == null) {
      return null;
    }
    switch (constraintType.trim().toUpperCase(java.util.Locale.ROOT)) {
      case "PRIMARY KEY":
        return Kind.PRIMARY_KEY;
      case "UNIQUE":
        return Kind.UNIQUE;
      case "FOREIGN KEY":
        return Kind.FOREIGN_KEY;
      default:
        return null;
    }
  }
}
