package io.datashard;

import io.datashard.internal.rows.TrustedRows;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable row read from a table: values in schema order, each of the Java type its
 * {@link DataType} documents ({@link Long} for {@code long}, {@link Instant} for {@code timestamp},
 * a nested {@code Row} for {@code struct}, an unmodifiable {@link List} for {@code array}, an
 * unmodifiable insertion-ordered {@link Map} for {@code map}, {@code byte[]} copies for {@code
 * binary}). Null values are {@code null}.
 */
public final class Row {
  static {
    TrustedRows.register(Row::new);
  }

  private final StructType type;
  private final Object[] values;

  private Row(StructType type, Object[] values) {
    this.type = type;
    this.values = values;
  }

  /**
   * A row of the given type. Each value must be null or of its field's Java type (see {@link
   * PrimitiveType}); lists and maps are wrapped unmodifiable.
   *
   * @throws IllegalArgumentException if the number of values or a value's class does not match
   */
  public static Row of(StructType type, Object... values) {
    Objects.requireNonNull(type, "type");
    if (values.length != type.size()) {
      throw new IllegalArgumentException("expected " + type.size() + " values, got " + values.length);
    }
    Object[] copy = values.clone();
    for (int i = 0; i < copy.length; i++) {
      copy[i] = checked(type.fields().get(i), copy[i]);
    }
    return new Row(type, copy);
  }

  private static Object checked(Field field, Object value) {
    if (value == null) {
      return null;
    }
    Class<?> expected = javaClass(field.type());
    if (!expected.isInstance(value)) {
      throw new IllegalArgumentException("field '" + field.name() + "' of type " + field.type().toText()
          + " needs a " + expected.getSimpleName() + ", got " + value.getClass().getName());
    }
    if (value instanceof List<?> list) {
      return Collections.unmodifiableList(list);
    }
    if (value instanceof Map<?, ?> map) {
      return Collections.unmodifiableMap(map);
    }
    return value;
  }

  /** The Java class of values of a type in a {@code Row}. */
  static Class<?> javaClass(DataType type) {
    if (type instanceof PrimitiveType p) {
      switch (p) {
        case STRING: return String.class;
        case LONG: return Long.class;
        case INTEGER: return Integer.class;
        case SHORT: return Short.class;
        case BYTE: return Byte.class;
        case FLOAT: return Float.class;
        case DOUBLE: return Double.class;
        case BOOLEAN: return Boolean.class;
        case BINARY: return byte[].class;
        case DATE: return LocalDate.class;
        case TIMESTAMP: return Instant.class;
        case TIMESTAMP_NTZ: return LocalDateTime.class;
        default: throw new AssertionError(p);
      }
    }
    if (type instanceof DecimalType) {
      return BigDecimal.class;
    }
    if (type instanceof StructType) {
      return Row.class;
    }
    if (type instanceof ArrayType) {
      return List.class;
    }
    return Map.class;
  }

  /** The row's type. */
  public StructType type() {
    return type;
  }

  /** The number of values. */
  public int size() {
    return values.length;
  }

  /** The value at a position (binary values are copied). */
  public Object get(int index) {
    Object v = values[index];
    return v instanceof byte[] b ? b.clone() : v;
  }

  /**
   * The value of a column by exact name.
   *
   * @throws IllegalArgumentException if the row has no such column
   */
  public Object get(String name) {
    return get(index(name));
  }

  /** True if the named column is null. */
  public boolean isNull(String name) {
    return values[index(name)] == null;
  }

  /** The named {@code string} column. */
  public String getString(String name) {
    return (String) get(name);
  }

  /** The named {@code long} column (integer, short and byte columns are widened). */
  public Long getLong(String name) {
    Object v = get(name);
    return v == null ? null : ((Number) v).longValue();
  }

  /** The named {@code integer} column (short and byte columns are widened). */
  public Integer getInt(String name) {
    Object v = get(name);
    return v == null ? null : ((Number) v).intValue();
  }

  /** The named {@code double} column (float columns are widened). */
  public Double getDouble(String name) {
    Object v = get(name);
    return v == null ? null : ((Number) v).doubleValue();
  }

  /** The named {@code boolean} column. */
  public Boolean getBoolean(String name) {
    return (Boolean) get(name);
  }

  /** The named {@code decimal} column. */
  public BigDecimal getDecimal(String name) {
    return (BigDecimal) get(name);
  }

  /** The named {@code timestamp} column. */
  public Instant getTimestamp(String name) {
    return (Instant) get(name);
  }

  /** The named {@code date} column. */
  public LocalDate getDate(String name) {
    return (LocalDate) get(name);
  }

  /** The named {@code struct} column. */
  public Row getStruct(String name) {
    return (Row) get(name);
  }

  /** The values as an insertion-ordered map from column name to value (nested structs stay {@code Row}s). */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) {
      map.put(type.fields().get(i).name(), get(i));
    }
    return map;
  }

  private int index(String name) {
    int i = type.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("no column '" + name + "' in " + type.fieldNames());
    }
    return i;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Row r && type.equals(r.type) && Arrays.deepEquals(values, r.values);
  }

  @Override
  public int hashCode() {
    return 31 * type.hashCode() + Arrays.deepHashCode(values);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      Object v = values[i];
      sb.append(type.fields().get(i).name()).append('=').append(v instanceof byte[] b ? Arrays.toString(b) : v);
    }
    return sb.append('}').toString();
  }
}
