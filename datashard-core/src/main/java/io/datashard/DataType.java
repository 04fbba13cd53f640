package io.datashard;

/**
 * The type of a column or nested field: a {@link PrimitiveType}, a {@link DecimalType}, or one of
 * the nested types {@link StructType}, {@link ArrayType} and {@link MapType}. These are exactly the
 * Delta Lake schema types; their text form is what {@link Schema#parse(String)} accepts.
 */
public sealed interface DataType permits PrimitiveType, DecimalType, StructType, ArrayType, MapType {

  /** The type in the schema text form, e.g. {@code long}, {@code decimal(10,2)}, {@code array<string>}. */
  String toText();

  /** True for types with a total order whose min/max statistics are recorded. */
  default boolean isOrderable() {
    return false;
  }
}
