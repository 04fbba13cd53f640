package io.datashard.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.datashard.ArrayType;
import io.datashard.DataType;
import io.datashard.DecimalType;
import io.datashard.Field;
import io.datashard.MapType;
import io.datashard.PrimitiveType;
import io.datashard.StructType;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes JSON rows into the Java values of a table schema, driven by the schema: each JSON value
 * is converted to the Java type of its column ({@code Long} for long, {@code BigDecimal} for
 * decimal, {@code Instant} for timestamp ...). Accepts the canonical encoding written by
 * {@link CanonicalJson} and, for maps, JSON objects with string keys as well. Numbers are taken
 * from their exact text (no detour through {@code double}).
 */
final class JsonRowDecoder {
  static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
      .build();

  private final StructType schema;

  JsonRowDecoder(StructType schema) {
    this.schema = schema;
  }

  /** One JSON object (a JSONL line or a {@code --json} argument) into a row map. */
  Map<String, Object> decodeText(String json) {
    try (JsonParser p = FACTORY.createParser(json)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new RowException("", "empty input; expected a JSON object");
      }
      Map<String, Object> row = decodeRow(p);
      JsonToken after = p.nextToken();
      if (after != null) {
        throw new RowException("", "unexpected " + describe(p, after) + " after the JSON object (one object per line)");
      }
      return row;
    } catch (JsonProcessingException e) {
      throw malformed(e);
    } catch (IOException e) {
      throw new RowException("", "cannot read the JSON: " + e.getMessage());
    }
  }

  /** A row from a parser positioned at the object's first token. */
  Map<String, Object> decodeRow(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new RowException("", "expected a JSON object for a row, found " + describe(p, p.currentToken()));
    }
    return struct(p, schema, "");
  }

  static RowException malformed(JsonProcessingException e) {
    String where = e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
    return new RowException("", "malformed JSON" + where + ": " + e.getOriginalMessage().replaceAll("\\s+", " "));
  }

  private Map<String, Object> struct(JsonParser p, StructType type, String path) throws IOException {
    Map<String, Object> out = new LinkedHashMap<>();
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      String fieldPath = join(path, name);
      int index = type.indexOf(name);
      if (index < 0) {
        throw new RowException(fieldPath, "unknown column; the " + (path.isEmpty() ? "table" : "struct")
            + " has columns " + type.fieldNames());
      }
      Field f = type.fields().get(index);
      p.nextToken();
      Object v = value(p, f.type(), fieldPath);
      if (v == null && !f.nullable()) {
        throw new RowException(fieldPath, "null in a not-null column");
      }
      out.put(name, v);
    }
    if (t != JsonToken.END_OBJECT) {
      throw new RowException(path, "unexpected " + describe(p, t));
    }
    for (Field f : type.fields()) {
      if (!f.nullable() && !out.containsKey(f.name())) {
        throw new RowException(join(path, f.name()), "missing value for a not-null column");
      }
    }
    return out;
  }

  private Object value(JsonParser p, DataType type, String path) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    try {
      if (type instanceof PrimitiveType prim) {
        return primitive(p, t, prim, path);
      }
      if (type instanceof DecimalType d) {
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
          return Values.fit(d, new BigDecimal(p.getText()));
        }
        if (t == JsonToken.VALUE_STRING) {
          return Values.decimal(d, p.getText().strip());
        }
        throw mismatch(p, t, type, path, "a number or a string");
      }
    } catch (Values.ValueException e) {
      throw new RowException(path, e.getMessage());
    }
    if (type instanceof StructType s) {
      if (t != JsonToken.START_OBJECT) {
        throw mismatch(p, t, type, path, "an object");
      }
      return struct(p, s, path);
    }
    if (type instanceof ArrayType a) {
      if (t != JsonToken.START_ARRAY) {
        throw mismatch(p, t, type, path, "an array");
      }
      List<Object> out = new ArrayList<>();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        String elementPath = path + "[" + out.size() + "]";
        Object e = value(p, a.elementType(), elementPath);
        if (e == null && !a.containsNull()) {
          throw new RowException(elementPath, "null element in an array of not-null elements");
        }
        out.add(e);
      }
      return out;
    }
    return map(p, t, (MapType) type, path);
  }

  private Object map(JsonParser p, JsonToken t, MapType m, String path) throws IOException {
    Map<Object, Object> out = new LinkedHashMap<>();
    if (t == JsonToken.START_OBJECT) {
      if (!(m.keyType() instanceof PrimitiveType || m.keyType() instanceof DecimalType)) {
        throw new RowException(path, "a map with " + m.keyType().toText() + " keys must be given as an array of [key, value] pairs");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String keyText = p.currentName();
        String entryPath = path + "[" + keyText + "]";
        Object key;
        try {
          key = Values.parse(m.keyType(), keyText);
        } catch (Values.ValueException e) {
          throw new RowException(entryPath, "map key " + e.getMessage());
        }
        p.nextToken();
        put(out, key, mapValue(p, m, entryPath), entryPath);
      }
      return out;
    }
    if (t != JsonToken.START_ARRAY) {
      throw mismatch(p, t, m, path, "an array of [key, value] pairs or an object");
    }
    while (p.nextToken() != JsonToken.END_ARRAY) {
      String entryPath = path + "[" + out.size() + "]";
      if (p.currentToken() != JsonToken.START_ARRAY) {
        throw new RowException(entryPath, "expected a [key, value] pair, found " + describe(p, p.currentToken()));
      }
      if (p.nextToken() == JsonToken.END_ARRAY) {
        throw new RowException(entryPath, "expected a [key, value] pair, found an empty array");
      }
      Object key = value(p, m.keyType(), entryPath + ".key");
      if (key == null) {
        throw new RowException(entryPath + ".key", "null map key");
      }
      if (p.nextToken() == JsonToken.END_ARRAY) {
        throw new RowException(entryPath, "expected a [key, value] pair, found only a key");
      }
      Object v = mapValue(p, m, entryPath + ".value");
      if (p.nextToken() != JsonToken.END_ARRAY) {
        throw new RowException(entryPath, "expected a [key, value] pair, found more than two elements");
      }
      put(out, key, v, entryPath);
    }
    return out;
  }

  private Object mapValue(JsonParser p, MapType m, String path) throws IOException {
    Object v = value(p, m.valueType(), path);
    if (v == null && !m.valueContainsNull()) {
      throw new RowException(path, "null value in a map of not-null values");
    }
    return v;
  }

  private static void put(Map<Object, Object> out, Object key, Object value, String path) {
    Object k = key instanceof byte[] b ? new BinaryKey(b) : key;
    if (out.containsKey(k) || (k instanceof BinaryKey && containsBinary(out, (BinaryKey) k))) {
      throw new RowException(path, "duplicate map key " + Values.quote(Values.text(key)));
    }
    out.put(key, value);
  }

  private static boolean containsBinary(Map<Object, Object> out, BinaryKey k) {
    for (Object existing : out.keySet()) {
      if (existing instanceof byte[] b && new BinaryKey(b).equals(k)) {
        return true;
      }
    }
    return false;
  }

  /** Compares binary map keys by content. */
  private record BinaryKey(byte[] bytes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof BinaryKey b && java.util.Arrays.equals(bytes, b.bytes);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(bytes);
    }
  }

  private static Object primitive(JsonParser p, JsonToken t, PrimitiveType type, String path) throws IOException {
    switch (type) {
      case STRING:
        if (t == JsonToken.VALUE_STRING) {
          return p.getText();
        }
        throw mismatch(p, t, type, path, "a string");
      case LONG:
      case INTEGER:
      case SHORT:
      case BYTE:
        if (t == JsonToken.VALUE_NUMBER_INT) {
          String text = p.getText();
          return Values.integral(type, new BigInteger(text), text);
        }
        throw mismatch(p, t, type, path, "an integer");
      case FLOAT:
      case DOUBLE:
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
          return Values.floating(type, p.getText(), true);
        }
        if (t == JsonToken.VALUE_STRING) {
          String s = p.getText();
          if (s.equals("NaN") || s.equals("Infinity") || s.equals("-Infinity")) {
            return Values.floating(type, s, false);
          }
        }
        throw mismatch(p, t, type, path, "a number (or \"NaN\", \"Infinity\", \"-Infinity\")");
      case BOOLEAN:
        if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
          return t == JsonToken.VALUE_TRUE;
        }
        throw mismatch(p, t, type, path, "true or false");
      case BINARY:
        if (t == JsonToken.VALUE_STRING) {
          return Values.base64(p.getText());
        }
        throw mismatch(p, t, type, path, "a base64 string");
      case DATE:
        if (t == JsonToken.VALUE_STRING) {
          return Values.date(p.getText());
        }
        throw mismatch(p, t, type, path, "a \"YYYY-MM-DD\" string");
      case TIMESTAMP:
        if (t == JsonToken.VALUE_STRING) {
          return Values.timestamp(p.getText());
        }
        throw mismatch(p, t, type, path, "an ISO-8601 string with Z or an offset");
      case TIMESTAMP_NTZ:
        if (t == JsonToken.VALUE_STRING) {
          return Values.timestampNtz(p.getText());
        }
        throw mismatch(p, t, type, path, "an ISO-8601 date-time string");
      default:
        throw new AssertionError(type);
    }
  }

  private static RowException mismatch(JsonParser p, JsonToken t, DataType type, String path, String expected)
      throws IOException {
    return new RowException(path, "expected " + expected + " for a " + type.toText() + " column, found " + describe(p, t));
  }

  /** A short description of the current JSON value, e.g. {@code a string ("abc")}. */
  static String describe(JsonParser p, JsonToken t) throws IOException {
    if (t == null) {
      return "the end of the input";
    }
    switch (t) {
      case VALUE_STRING: return "a string (\"" + Values.abbreviate(p.getText()) + "\")";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT: return "a number (" + Values.abbreviate(p.getText()) + ")";
      case VALUE_TRUE: return "true";
      case VALUE_FALSE: return "false";
      case VALUE_NULL: return "null";
      case START_OBJECT: return "an object";
      case START_ARRAY: return "an array";
      case END_OBJECT: return "'}'";
      case END_ARRAY: return "']'";
      case FIELD_NAME: return "field \"" + p.currentName() + "\"";
      default: return t.toString();
    }
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  /** A row that cannot be decoded: the offending field (dotted path, may be empty) and the problem. */
  static final class RowException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String field;
    private final String problem;

    RowException(String field, String problem) {
      super(field.isEmpty() ? problem : "field '" + field + "': " + problem);
      this.field = field;
      this.problem = problem;
    }

    String field() {
      return field;
    }

    String problem() {
      return problem;
    }
  }
}
