package io.datashard;

import java.util.Map;
import java.util.Objects;

/**
 * A named column or struct field.
 *
 * @param name the field name; non-empty
 * @param type the field's type
 * @param nullable whether the field may hold null; a {@code not null} field rejects rows without a value
 * @param metadata Delta field metadata (column mapping ids, comments ...); usually empty
 */
public record Field(String name, DataType type, boolean nullable, Map<String, Object> metadata) {

  /** Validates and copies. */
  public Field {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("field name must not be empty");
    }
    metadata = Map.copyOf(metadata);
  }

  /** A field without metadata. */
  public Field(String name, DataType type, boolean nullable) {
    this(name, type, nullable, Map.of());
  }

  /** A nullable field. */
  public static Field optional(String name, DataType type) {
    return new Field(name, type, true);
  }

  /** A {@code not null} field. */
  public static Field required(String name, DataType type) {
    return new Field(name, type, false);
  }

  /** The field in the schema text form, e.g. {@code id long not null}. */
  public String toText() {
    return SchemaText.quoteIfNeeded(name) + " " + type.toText() + (nullable ? "" : " not null");
  }
}
