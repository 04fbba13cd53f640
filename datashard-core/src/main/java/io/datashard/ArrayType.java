package io.datashard;

import java.util.Objects;

/**
 * A list of elements of one type; Java {@link java.util.List}.
 *
 * @param elementType the type of each element
 * @param containsNull whether elements may be null
 */
public record ArrayType(DataType elementType, boolean containsNull) implements DataType {
  /** Validates. */
  public ArrayType {
    Objects.requireNonNull(elementType, "elementType");
  }

  @Override
  public String toText() {
    return "array<" + elementType.toText() + (containsNull ? "" : " not null") + ">";
  }
}
