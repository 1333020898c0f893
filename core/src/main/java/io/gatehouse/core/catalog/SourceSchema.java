package io.gatehouse.core.catalog;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.lookup.Lookup;

/**
 * A source as a Calcite schema named by its id; its sub-schemas are the exposed schemas (for
 * MySQL/MariaDB, databases), so tables are written {@code source.schema.table}.
 */
public final class SourceSchema extends AbstractSchema {
  private final SourceCatalog catalog;
  private final Map<String, Schema> subSchemas = new LinkedHashMap<>();
  private final Lookup<Schema> subSchemaLookup;

  public SourceSchema(SourceCatalog catalog) {
    this.catalog = catalog;
    for (String name : catalog.schemaNames()) {
      subSchemas.put(name, new Sub(name));
    }
    this.subSchemaLookup = new NameLookup<>(() -> subSchemas, "source '" + catalog.id() + "'");
  }

  public SourceCatalog catalog() {
    return catalog;
  }

  @Override
  public Lookup<Table> tables() {
    return Lookup.empty();
  }

  @Override
  public Lookup<? extends Schema> subSchemas() {
    return subSchemaLookup;
  }

  @Override
  public boolean isMutable() {
    return false;
  }

  /** One exposed schema of the source; its tables are read from the source on first use. */
  private final class Sub extends AbstractSchema {
    private final Lookup<Table> tableLookup;

    Sub(String name) {
      this.tableLookup = new NameLookup<SourceCatalog.TableEntry>(() -> catalog.tables(name),
          catalog.id() + "." + name).map((entry, tableName) -> (Table) entry.table());
    }

    @Override
    public Lookup<Table> tables() {
      return tableLookup;
    }

    @Override
    public boolean isMutable() {
      return false;
    }
  }
}
