package io.datashard.internal.rows;

import io.datashard.Row;
import io.datashard.StructType;
import java.util.function.BiFunction;

/**
 * Makes {@link Row}s from values the library itself produced (read from Parquet and already of the
 * right Java types, lists and maps already unmodifiable), without {@link Row#of}'s per-value checks
 * and copy, which cost about half of a full scan's time. {@link Row} hands its private constructor
 * to this class when it is initialized; nothing outside the library should use it.
 */
public final class TrustedRows {
  private static volatile BiFunction<StructType, Object[], Row> factory;

  private TrustedRows() {}

  /** Called once, by {@link Row}'s static initializer. */
  public static void register(BiFunction<StructType, Object[], Row> rowConstructor) {
    if (factory != null) {
      throw new IllegalStateException("a row factory is already registered");
    }
    factory = rowConstructor;
  }

  /** A row owning {@code values} (not copied): the caller must not modify the array afterwards. */
  public static Row of(StructType type, Object[] values) {
    BiFunction<StructType, Object[], Row> f = factory;
    if (f == null) {
      Row.of(new StructType(java.util.List.of())); // initializes Row, which registers its constructor
      f = factory;
    }
    return f.apply(type, values);
  }
}
