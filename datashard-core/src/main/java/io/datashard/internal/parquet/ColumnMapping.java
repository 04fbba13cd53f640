package io.datashard.internal.parquet;

import io.datashard.Field;
import io.datashard.UnsupportedTableFeatureException;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Delta column mapping ({@code delta.columnMapping.mode}): how a logical column of the table schema
 * is found in data files, statistics and partition values. In mode {@code name} by its physical
 * name; in mode {@code id} by its Parquet field id (falling back to the physical name for files
 * without ids); in mode {@code none} by its logical name. Users only ever see logical names.
 */
public enum ColumnMapping {
  NONE,
  NAME,
  ID;

  /** The table property naming the mode. */
  public static final String MODE_PROPERTY = "delta.columnMapping.mode";
  static final String PHYSICAL_NAME = "delta.columnMapping.physicalName";
  static final String FIELD_ID = "delta.columnMapping.id";

  /**
   * The mode a table's configuration sets.
   *
   * @throws UnsupportedTableFeatureException naming the table if the mode is unknown
   */
  public static ColumnMapping of(Map<String, String> configuration, String table) {
    String mode = configuration.getOrDefault(MODE_PROPERTY, "none");
    switch (mode) {
      case "none": return NONE;
      case "name": return NAME;
      case "id": return ID;
      default:
        throw new UnsupportedTableFeatureException("table " + table + " uses column mapping mode '" + mode
            + "', which this version of DataShard cannot read (it reads none, name and id)");
    }
  }

  /** The name of a field in data files, statistics and partition values. */
  public String physicalName(Field f) {
    if (this == NONE) {
      return f.name();
    }
    Object physical = f.metadata().get(PHYSICAL_NAME);
    return physical instanceof String s && !s.isEmpty() ? s : f.name();
  }

  /** The Parquet field id of a field, in mode {@code id}. */
  OptionalInt fieldId(Field f) {
    if (this != ID) {
      return OptionalInt.empty();
    }
    Object id = f.metadata().get(FIELD_ID);
    return id instanceof Number n ? OptionalInt.of(n.intValue()) : OptionalInt.empty();
  }
}
