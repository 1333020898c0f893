package io.gatehouse.core.jdbc;

/**
 * Rows of the JDBC metadata result sets. Avatica derives the column labels from the public field
 * names ({@code tableCat} becomes {@code TABLE_CAT}), so field order and names follow the JDBC
 * specification of each {@code DatabaseMetaData} method. Avatica's own row classes leave REMARKS and
 * COLUMN_DEF always null, which is why Gatehouse has its own.
 */
final class MetadataRows {
  private MetadataRows() {}

  /** A row of getTables. */
  public static final class TableRow {
    public final String tableCat;
    public final String tableSchem;
    public final String tableName;
    public final String tableType;
    public final String remarks;
    public final String typeCat = null;
    public final String typeSchem = null;
    public final String typeName = null;
    public final String selfReferencingColName = null;
    public final String refGeneration = null;

    TableRow(String tableCat, String tableSchem, String tableName, String tableType, String remarks) {
      this.tableCat = tableCat;
      this.tableSchem = tableSchem;
      this.tableName = tableName;
      this.tableType = tableType;
      this.remarks = remarks;
    }
  }

  /** A row of getColumns. */
  public static final class ColumnRow {
    public final String tableCat;
    public final String tableSchem;
    public final String tableName;
    public final String columnName;
    public final int dataType;
    public final String typeName;
    public final Integer columnSize;
    public final Integer bufferLength = null;
    public final Integer decimalDigits;
    public final Integer numPrecRadix;
    public final int nullable;
    public final String remarks;
    public final String columnDef;
    public final Integer sqlDataType = null;
    public final Integer sqlDatetimeSub = null;
    public final Integer charOctetLength;
    public final int ordinalPosition;
    public final String isNullable;
    public final String scopeCatalog = null;
    public final String scopeSchema = null;
    public final String scopeTable = null;
    public final Short sourceDataType = null;
    public final String isAutoincrement;
    public final String isGeneratedcolumn;

    ColumnRow(String tableCat, String tableSchem, String tableName, String columnName, int dataType,
        String typeName, Integer columnSize, Integer decimalDigits, Integer numPrecRadix,
        boolean nullable, String remarks, String columnDef, Integer charOctetLength,
        int ordinalPosition) {
      this.tableCat = tableCat;
      this.tableSchem = tableSchem;
      this.tableName = tableName;
      this.columnName = columnName;
      this.dataType = dataType;
      this.typeName = typeName;
      this.columnSize = columnSize;
      this.decimalDigits = decimalDigits;
      this.numPrecRadix = numPrecRadix;
      this.nullable = nullable ? java.sql.DatabaseMetaData.columnNullable
          : java.sql.DatabaseMetaData.columnNoNulls;
      this.remarks = remarks;
      this.columnDef = columnDef;
      this.charOctetLength = charOctetLength;
      this.ordinalPosition = ordinalPosition;
      this.isNullable = nullable ? "YES" : "NO";
      this.isAutoincrement = "";
      this.isGeneratedcolumn = "";
    }
  }

  /** A row of getSchemas. */
  public static final class SchemaRow {
    public final String tableSchem;
    public final String tableCatalog;

    SchemaRow(String tableSchem, String tableCatalog) {
      this.tableSchem = tableSchem;
      this.tableCatalog = tableCatalog;
    }
  }

  /** A row of getCatalogs. */
  public static final class CatalogRow {
    public final String tableCat;

    CatalogRow(String tableCat) {
      this.tableCat = tableCat;
    }
  }

  /** A row of getTableTypes. */
  public static final class TableTypeRow {
    public final String tableType;

    TableTypeRow(String tableType) {
      this.tableType = tableType;
    }
  }

  /** A row of getPrimaryKeys. */
  public static final class PrimaryKeyRow {
    public final String tableCat;
    public final String tableSchem;
    public final String tableName;
    public final String columnName;
    public final short keySeq;
    public final String pkName;

    PrimaryKeyRow(String tableCat, String tableSchem, String tableName, String columnName,
        short keySeq, String pkName) {
      this.tableCat = tableCat;
      this.tableSchem = tableSchem;
      this.tableName = tableName;
      this.columnName = columnName;
      this.keySeq = keySeq;
      this.pkName = pkName;
    }
  }

  /** A row of getImportedKeys and getExportedKeys (the same columns). */
  public static final class ForeignKeyRow {
    public final String pktableCat;
    public final String pktableSchem;
    public final String pktableName;
    public final String pkcolumnName;
    public final String fktableCat;
    public final String fktableSchem;
    public final String fktableName;
    public final String fkcolumnName;
    public final short keySeq;
    public final short updateRule = (short) java.sql.DatabaseMetaData.importedKeyNoAction;
    public final short deleteRule = (short) java.sql.DatabaseMetaData.importedKeyNoAction;
    public final String fkName;
    public final String pkName;
    public final short deferability = (short) java.sql.DatabaseMetaData.importedKeyNotDeferrable;

    ForeignKeyRow(String catalog, String pkSchema, String pkTable, String pkColumn, String fkSchema,
        String fkTable, String fkColumn, short keySeq, String fkName, String pkName) {
      this.pktableCat = catalog;
      this.pktableSchem = pkSchema;
      this.pktableName = pkTable;
      this.pkcolumnName = pkColumn;
      this.fktableCat = catalog;
      this.fktableSchem = fkSchema;
      this.fktableName = fkTable;
      this.fkcolumnName = fkColumn;
      this.keySeq = keySeq;
      this.fkName = fkName;
      this.pkName = pkName;
    }
  }
}
