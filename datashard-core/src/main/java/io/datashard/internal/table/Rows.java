package io.datashard.internal.table;

import io.datashard.ArrayType;
import io.datashard.DataType;
import io.datashard.MapType;
import io.datashard.Row;
import io.datashard.StructType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Converts normalized rows (nested structs as {@code Object[]}) to the read form (nested {@link Row}s). */
final class Rows {
  private Rows() {}

  /** A normalized top-level row in read form: same array shape, nested structs as {@code Row}s. */
  static Object[] toReadForm(StructType schema, Object[] normalized) {
    Object[] out = new Object[normalized.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = value(normalized[i], schema.fields().get(i).type());
    }
    return out;
  }

  private static Object value(Object v, DataType type) {
    if (v == null) {
      return null;
    }
    if (type instanceof StructType s) {
      return Row.of(s, toReadForm(s, (Object[]) v));
    }
    if (type instanceof ArrayType a) {
      List<Object> out = new ArrayList<>();
      for (Object e : (List<?>) v) {
        out.add(value(e, a.elementType()));
      }
      return out;
    }
    if (type instanceof MapType m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      ((Map<?, ?>) v).forEach((k, val) -> out.put(value(k, m.keyType()), value(val, m.valueType())));
      return out;
    }
    return v;
  }
}
