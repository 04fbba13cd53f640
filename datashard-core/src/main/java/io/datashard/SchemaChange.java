package io.datashard;

import java.util.Objects;

/**
 * A change to a table's schema, committed with {@link Table#alterSchema(SchemaChange...)}. Rows
 * already written keep working: added columns read as null in them, widened columns read widened.
 */
public sealed interface SchemaChange {

  /** Adds a nullable top-level column at the end; existing rows read it as null. */
  static SchemaChange addColumn(String name, DataType type) {
    return new AddColumn(name, type);
  }

  /**
   * Widens a column's type: integer → long, short → integer/long, byte → short/integer/long, float →
   * double. The table gains the {@code typeWidening} feature (protocol 3/7), as Delta requires.
   */
  static SchemaChange widenColumn(String name, PrimitiveType to) {
    return new WidenColumn(name, to);
  }

  /** Makes a {@code not null} column nullable. */
  static SchemaChange makeNullable(String name) {
    return new MakeNullable(name);
  }

  /** Renames a column; refused unless the table uses column mapping (which DataShard does not write). */
  static SchemaChange renameColumn(String from, String to) {
    return new RenameColumn(from, to);
  }

  /** Drops a column; refused unless the table uses column mapping (which DataShard does not write). */
  static SchemaChange dropColumn(String name) {
    return new DropColumn(name);
  }

  /** @param name the new column @param type its type */
  record AddColumn(String name, DataType type) implements SchemaChange {
    /** Validates. */
    public AddColumn {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
    }
  }

  /** @param name the column @param to the wider type */
  record WidenColumn(String name, PrimitiveType to) implements SchemaChange {
    /** Validates. */
    public WidenColumn {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(to, "to");
    }
  }

  /** @param name the column */
  record MakeNullable(String name) implements SchemaChange {
    /** Validates. */
    public MakeNullable {
      Objects.requireNonNull(name, "name");
    }
  }

  /** @param from the current name @param to the new name */
  record RenameColumn(String from, String to) implements SchemaChange {}

  /** @param name the column */
  record DropColumn(String name) implements SchemaChange {}
}
