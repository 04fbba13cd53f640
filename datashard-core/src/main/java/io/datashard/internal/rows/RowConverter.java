package io.datashard.internal.rows;

import io.datashard.ArrayType;
import io.datashard.DataType;
import io.datashard.DecimalType;
import io.datashard.Field;
import io.datashard.InvalidRowException;
import io.datashard.MapType;
import io.datashard.PrimitiveType;
import io.datashard.Row;
import io.datashard.StructType;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Converts user rows ({@code Map<String, ?>}, {@link Row}, records, bean-style objects) into the
 * normalized form the Parquet writer takes, validating every value against the schema. The
 * accepted conversions are documented in {@code docs/types.md}; anything else is an
 * {@link InvalidRowException} naming the row and field.
 *
 * <p>Normalized form: a struct is an {@code Object[]} in field order; an array a {@code List}; a map
 * a {@code LinkedHashMap}; primitives their {@link PrimitiveType} Java class, timestamps truncated to
 * microseconds, decimals at exactly the column's scale.
 */
public final class RowConverter {
  private static final ClassValue<Accessors> ACCESSORS = new ClassValue<>() {
    @Override
    protected Accessors computeValue(Class<?> type) {
      return Accessors.of(type);
    }
  };

  private final StructType schema;

  public RowConverter(StructType schema) {
    this.schema = schema;
  }

  /** Converts one top-level row. @param rowIndex its position in the write, for messages */
  public Object[] convert(Object row, long rowIndex) {
    if (row == null) {
      throw new InvalidRowException(rowIndex, "", "row is null");
    }
    return struct(row, schema, rowIndex, "");
  }

  private Object[] struct(Object value, StructType type, long row, String path) {
    Object[] out = new Object[type.size()];
    if (value instanceof Map<?, ?> map) {
      for (Object key : map.keySet()) {
        if (!(key instanceof String name) || type.indexOf(name) < 0) {
          throw new InvalidRowException(row, join(path, String.valueOf(key)), "unknown column; the "
              + (path.isEmpty() ? "table has" : "struct has") + " columns " + type.fieldNames());
        }
      }
      for (int i = 0; i < type.size(); i++) {
        Field f = type.fields().get(i);
        out[i] = field(map.get(f.name()), f, row, join(path, f.name()));
      }
    } else if (value instanceof Row r) {
      for (String name : r.type().fieldNames()) {
        if (type.indexOf(name) < 0) {
          throw new InvalidRowException(row, join(path, name), "unknown column; the table has columns " + type.fieldNames());
        }
      }
      for (int i = 0; i < type.size(); i++) {
        Field f = type.fields().get(i);
        out[i] = field(r.type().indexOf(f.name()) >= 0 ? r.get(f.name()) : null, f, row, join(path, f.name()));
      }
    } else {
      Accessors acc = ACCESSORS.get(value.getClass());
      if (acc.isEmpty()) {
        throw new InvalidRowException(row, path, "cannot read fields of a " + value.getClass().getName()
            + " (use a Map, a record, or an object with getters or public fields)");
      }
      for (String name : acc.names()) {
        if (type.indexOf(name) < 0) {
          throw new InvalidRowException(row, join(path, name), "unknown column (property of "
              + value.getClass().getSimpleName() + "); the table has columns " + type.fieldNames());
        }
      }
      for (int i = 0; i < type.size(); i++) {
        Field f = type.fields().get(i);
        out[i] = field(acc.get(value, f.name(), row, join(path, f.name())), f, row, join(path, f.name()));
      }
    }
    return out;
  }

  private Object field(Object value, Field f, long row, String path) {
    if (value == null) {
      if (!f.nullable()) {
        throw new InvalidRowException(row, path, "null or missing value in a not-null column");
      }
      return null;
    }
    return value(value, f.type(), row, path);
  }

  private Object value(Object v, DataType type, long row, String path) {
    if (type instanceof PrimitiveType p) {
      return primitive(v, p, row, path);
    }
    if (type instanceof DecimalType d) {
      return decimal(v, d, row, path);
    }
    if (type instanceof StructType s) {
      return struct(v, s, row, path);
    }
    if (type instanceof ArrayType a) {
      List<Object> out = new ArrayList<>();
      int i = 0;
      for (Object e : elements(v, row, path)) {
        String p = path + "[" + i++ + "]";
        if (e == null) {
          if (!a.containsNull()) {
            throw new InvalidRowException(row, p, "null element in an array of not-null elements");
          }
          out.add(null);
        } else {
          out.add(value(e, a.elementType(), row, p));
        }
      }
      return out;
    }
    MapType m = (MapType) type;
    if (!(v instanceof Map<?, ?> map)) {
      throw mismatch(v, type, row, path);
    }
    Map<Object, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String p = path + "[" + e.getKey() + "]";
      if (e.getKey() == null) {
        throw new InvalidRowException(row, path, "null map key");
      }
      Object key = value(e.getKey(), m.keyType(), row, p);
      Object val;
      if (e.getValue() == null) {
        if (!m.valueContainsNull()) {
          throw new InvalidRowException(row, p, "null value in a map of not-null values");
        }
        val = null;
      } else {
        val = value(e.getValue(), m.valueType(), row, p);
      }
      out.put(key, val);
    }
    return out;
  }

  private static Iterable<?> elements(Object v, long row, String path) {
    if (v instanceof Collection<?> c) {
      return c;
    }
    if (v != null && v.getClass().isArray() && !(v instanceof byte[])) {
      int n = Array.getLength(v);
      List<Object> list = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        list.add(Array.get(v, i));
      }
      return list;
    }
    throw new InvalidRowException(row, path, "expected a List, Collection or array for an array column, got "
        + v.getClass().getName());
  }

  private static Object primitive(Object v, PrimitiveType type, long row, String path) {
    switch (type) {
      case STRING:
        if (v instanceof CharSequence cs) {
          return cs.toString();
        }
        break;
      case LONG:
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
          return ((Number) v).longValue();
        }
        if (v instanceof BigInteger bi) {
          return integral(bi, Long.MIN_VALUE, Long.MAX_VALUE, row, path, type).longValue();
        }
        break;
      case INTEGER:
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
          return ((Number) v).intValue();
        }
        if (v instanceof Long || v instanceof BigInteger) {
          return integral(v, Integer.MIN_VALUE, Integer.MAX_VALUE, row, path, type).intValue();
        }
        break;
      case SHORT:
        if (v instanceof Short || v instanceof Byte) {
          return ((Number) v).shortValue();
        }
        if (v instanceof Integer || v instanceof Long || v instanceof BigInteger) {
          return integral(v, Short.MIN_VALUE, Short.MAX_VALUE, row, path, type).shortValue();
        }
        break;
      case BYTE:
        if (v instanceof Byte) {
          return v;
        }
        if (v instanceof Short || v instanceof Integer || v instanceof Long || v instanceof BigInteger) {
          return integral(v, Byte.MIN_VALUE, Byte.MAX_VALUE, row, path, type).byteValue();
        }
        break;
      case FLOAT:
        if (v instanceof Float) {
          return v;
        }
        if (v instanceof Double d) {
          float f = d.floatValue();
          if ((double) f == d || d.isNaN()) {
            return f;
          }
          throw new InvalidRowException(row, path, "double " + d + " is not exactly representable as a float");
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte || v instanceof Long) {
          long l = ((Number) v).longValue();
          if ((long) (float) l == l) {
            return (float) l;
          }
          throw new InvalidRowException(row, path, v + " is not exactly representable as a float");
        }
        break;
      case DOUBLE:
        if (v instanceof Double || v instanceof Float) {
          return ((Number) v).doubleValue();
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte || v instanceof Long) {
          long l = ((Number) v).longValue();
          if ((long) (double) l == l) {
            return (double) l;
          }
          throw new InvalidRowException(row, path, v + " is not exactly representable as a double");
        }
        break;
      case BOOLEAN:
        if (v instanceof Boolean) {
          return v;
        }
        break;
      case BINARY:
        if (v instanceof byte[] b) {
          return b.clone();
        }
        if (v instanceof ByteBuffer bb) {
          byte[] b = new byte[bb.remaining()];
          bb.duplicate().get(b);
          return b;
        }
        break;
      case DATE:
        if (v instanceof LocalDate) {
          return v;
        }
        break;
      case TIMESTAMP:
        if (v instanceof Instant i) {
          return i.truncatedTo(ChronoUnit.MICROS);
        }
        if (v instanceof OffsetDateTime o) {
          return o.toInstant().truncatedTo(ChronoUnit.MICROS);
        }
        if (v instanceof ZonedDateTime z) {
          return z.toInstant().truncatedTo(ChronoUnit.MICROS);
        }
        if (v instanceof Date d && !(v instanceof java.sql.Date)) {
          return d.toInstant();
        }
        if (v instanceof LocalDateTime) {
          throw new InvalidRowException(row, path, "a LocalDateTime has no time zone; a timestamp column needs an"
              + " Instant, OffsetDateTime or ZonedDateTime (or use a timestamp_ntz column)");
        }
        break;
      case TIMESTAMP_NTZ:
        if (v instanceof LocalDateTime l) {
          return l.truncatedTo(ChronoUnit.MICROS);
        }
        break;
      default:
        throw new AssertionError(type);
    }
    throw mismatch(v, type, row, path);
  }

  private static BigInteger integral(Object v, long min, long max, long row, String path, PrimitiveType type) {
    BigInteger bi = v instanceof BigInteger b ? b : BigInteger.valueOf(((Number) v).longValue());
    if (bi.compareTo(BigInteger.valueOf(min)) < 0 || bi.compareTo(BigInteger.valueOf(max)) > 0) {
      throw new InvalidRowException(row, path, v + " is out of range for " + type.deltaName() + " (" + min + ".." + max + ")");
    }
    return bi;
  }

  private static BigDecimal decimal(Object v, DecimalType type, long row, String path) {
    BigDecimal d;
    if (v instanceof BigDecimal bd) {
      d = bd;
    } else if (v instanceof BigInteger bi) {
      d = new BigDecimal(bi);
    } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      d = BigDecimal.valueOf(((Number) v).longValue());
    } else if (v instanceof Double || v instanceof Float) {
      double x = ((Number) v).doubleValue();
      if (Double.isNaN(x) || Double.isInfinite(x)) {
        throw new InvalidRowException(row, path, x + " cannot be stored in " + type.toText());
      }
      d = new BigDecimal(Double.toString(x));
    } else {
      throw mismatch(v, type, row, path);
    }
    BigDecimal scaled;
    try {
      scaled = d.setScale(type.scale(), RoundingMode.UNNECESSARY);
    } catch (ArithmeticException e) {
      throw new InvalidRowException(row, path, d.toPlainString() + " has more than " + type.scale()
          + " digits after the point for " + type.toText() + " (round it first)");
    }
    if (scaled.precision() - scaled.scale() > type.precision() - type.scale()) {
      throw new InvalidRowException(row, path, d.toPlainString() + " overflows " + type.toText() + " (at most "
          + (type.precision() - type.scale()) + " digits before the point)");
    }
    return scaled;
  }

  private static InvalidRowException mismatch(Object v, DataType type, long row, String path) {
    return new InvalidRowException(row, path, "a " + v.getClass().getSimpleName() + " (" + abbreviate(v)
        + ") cannot be stored in a " + type.toText() + " column");
  }

  private static String abbreviate(Object v) {
    String s = v instanceof byte[] b ? b.length + " bytes" : String.valueOf(v);
    return s.length() > 40 ? s.substring(0, 37) + "..." : s;
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  /** Reads named properties of records, beans (getX/isX) and public fields. */
  private record Accessors(Map<String, Method> getters, Map<String, java.lang.reflect.Field> fields) {
    static Accessors of(Class<?> type) {
      Map<String, Method> getters = new LinkedHashMap<>();
      Map<String, java.lang.reflect.Field> fields = new LinkedHashMap<>();
      if (type.isRecord()) {
        for (RecordComponent rc : type.getRecordComponents()) {
          Method m = rc.getAccessor();
          m.setAccessible(true);
          getters.put(rc.getName(), m);
        }
        return new Accessors(getters, fields);
      }
      if (type.getName().startsWith("java.")) {
        return new Accessors(getters, fields); // a scalar where a row or struct was expected
      }
      for (Method m : type.getMethods()) {
        if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() == Object.class) {
          continue;
        }
        String n = m.getName();
        String prop = null;
        if (n.startsWith("get") && n.length() > 3) {
          prop = n.substring(3);
        } else if (n.startsWith("is") && n.length() > 2 && (m.getReturnType() == boolean.class || m.getReturnType() == Boolean.class)) {
          prop = n.substring(2);
        }
        if (prop != null && m.trySetAccessible()) {
          getters.put(prop.substring(0, 1).toLowerCase(Locale.ROOT) + prop.substring(1), m);
        }
      }
      for (java.lang.reflect.Field f : type.getFields()) {
        if (!Modifier.isStatic(f.getModifiers()) && !getters.containsKey(f.getName()) && f.trySetAccessible()) {
          fields.put(f.getName(), f);
        }
      }
      return new Accessors(getters, fields);
    }

    boolean isEmpty() {
      return getters.isEmpty() && fields.isEmpty();
    }

    Iterable<String> names() {
      List<String> names = new ArrayList<>(getters.keySet());
      names.addAll(fields.keySet());
      return names;
    }

    Object get(Object target, String name, long row, String path) {
      try {
        Method m = getters.get(name);
        if (m != null) {
          return m.invoke(target);
        }
        java.lang.reflect.Field f = fields.get(name);
        return f == null ? null : f.get(target);
      } catch (InvocationTargetException e) {
        throw new InvalidRowException(row, path, "reading the property threw " + e.getCause());
      } catch (IllegalAccessException e) {
        throw new InvalidRowException(row, path, "cannot access the property: " + e.getMessage());
      }
    }
  }
}
