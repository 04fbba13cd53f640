package io.datashard;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A table schema: the top-level columns, in order. Build one with {@link #builder()} or parse the
 * text form with {@link #parse(String)}:
 *
 * <pre>{@code
 * Schema s = Schema.parse("id long not null, name string, price decimal(10,2), tags array<string>,"
 *     + " attrs map<string,long>, loc struct<lat double, lon double>");
 * }</pre>
 *
 * @param fields the columns, in order
 */
public record Schema(List<Field> fields) {

  /** Validates (names unique case-insensitively, at least one column) and copies. */
  public Schema {
    Objects.requireNonNull(fields, "fields");
    if (fields.isEmpty()) {
      throw new InvalidSchemaException("a schema needs at least one column");
    }
    try {
      fields = new StructType(fields).fields();
    } catch (IllegalArgumentException e) {
      throw new InvalidSchemaException(e.getMessage());
    }
  }

  /**
   * Parses the schema text form: comma-separated {@code name type [not null]} entries, where type
   * is a primitive name ({@code string long integer short byte float double boolean binary date
   * timestamp timestamp_ntz}, or the aliases {@code bigint int smallint tinyint}), {@code
   * decimal(p,s)}, {@code array<T>}, {@code map<K,V>} or {@code struct<name type, ...>}. Names
   * with characters other than letters, digits and {@code _} are quoted with backticks.
   *
   * @throws InvalidSchemaException naming the position of the first error
   */
  public static Schema parse(String text) {
    return new Schema(SchemaText.parse(text));
  }

  /** A builder for a schema, column by column. */
  public static Builder builder() {
    return new Builder();
  }

  /** The schema as a struct type (for nested use and for code that treats both alike). */
  public StructType asStruct() {
    return new StructType(fields);
  }

  /** The column with this exact name, if any. */
  public Optional<Field> field(String name) {
    return asStruct().field(name);
  }

  /** The column names in order. */
  public List<String> fieldNames() {
    return fields.stream().map(Field::name).collect(Collectors.toList());
  }

  /** The schema in the text form accepted by {@link #parse(String)}. */
  public String toText() {
    return fields.stream().map(Field::toText).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return toText();
  }

  /** Builds a {@link Schema} column by column. */
  public static final class Builder {
    private final List<Field> fields = new ArrayList<>();

    private Builder() {}

    /** Adds a nullable column. */
    public Builder optional(String name, DataType type) {
      fields.add(Field.optional(name, type));
      return this;
    }

    /** Adds a {@code not null} column. */
    public Builder required(String name, DataType type) {
      fields.add(Field.required(name, type));
      return this;
    }

    /** Adds a column. */
    public Builder field(Field field) {
      fields.add(field);
      return this;
    }

    /** The schema. @throws InvalidSchemaException on duplicate names or no columns */
    public Schema build() {
      return new Schema(fields);
    }
  }
}
