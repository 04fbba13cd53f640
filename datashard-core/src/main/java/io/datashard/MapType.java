package io.datashard;

import java.util.Objects;

/**
 * A map from non-null keys to values; Java {@link java.util.Map} (insertion-ordered when read).
 *
 * @param keyType the type of the keys (never null)
 * @param valueType the type of the values
 * @param valueContainsNull whether values may be null
 */
public record MapType(DataType keyType, DataType valueType, boolean valueContainsNull) implements DataType {
  /** Validates. */
  public MapType {
    Objects.requireNonNull(keyType, "keyType");
    Objects.requireNonNull(valueType, "valueType");
  }

  @Override
  public String toText() {
    return "map<" + keyType.toText() + ", " + valueType.toText() + (valueContainsNull ? "" : " not null") + ">";
  }
}
