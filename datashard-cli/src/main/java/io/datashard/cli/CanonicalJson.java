package io.datashard.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.datashard.ArrayType;
import io.datashard.DataType;
import io.datashard.DecimalType;
import io.datashard.Field;
import io.datashard.MapType;
import io.datashard.PrimitiveType;
import io.datashard.Row;
import io.datashard.StructType;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Writes rows in the canonical JSON encoding of DESIGN §8: keys in schema order; null as null;
 * integers as JSON integers; float/double as JSON numbers, {@code "NaN"}, {@code "Infinity"},
 * {@code "-Infinity"} as strings; decimal as a plain-notation string; binary base64; date
 * {@code YYYY-MM-DD}; timestamp UTC with 6 fractional digits and {@code Z}; timestamp_ntz the same
 * without {@code Z}; struct as object; array as array; map as an array of {@code [key, value]}
 * pairs sorted by the key's JSON text.
 */
final class CanonicalJson {
  static final JsonFactory FACTORY = JsonFactory.builder()
      .disable(com.fasterxml.jackson.core.StreamWriteFeature.AUTO_CLOSE_TARGET)
      .disable(com.fasterxml.jackson.core.StreamWriteFeature.FLUSH_PASSED_TO_STREAM)
      .build();

  private CanonicalJson() {}

  /** A generator over a writer for a stream of rows (one per line via {@link #writeRowLine}). */
  static JsonGenerator generator(Writer out) {
    try {
      JsonGenerator g = FACTORY.createGenerator(out);
      g.setRootValueSeparator(new SerializedString(""));
      return g;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes one row and a newline. */
  static void writeRowLine(JsonGenerator g, Row row) throws IOException {
    writeStruct(g, row.type(), row);
    g.writeRaw('\n');
  }

  /** One row as a JSON text (for tests and for nested cells in CSV and table output). */
  static String toJson(DataType type, Object value) {
    StringWriter sw = new StringWriter();
    try (JsonGenerator g = generator(sw)) {
      writeValue(g, type, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sw.toString();
  }

  static void writeStruct(JsonGenerator g, StructType type, Row row) throws IOException {
    g.writeStartObject();
    List<Field> fields = type.fields();
    for (int i = 0; i < fields.size(); i++) {
      Field f = fields.get(i);
      g.writeFieldName(f.name());
      writeValue(g, f.type(), row.get(i));
    }
    g.writeEndObject();
  }

  static void writeValue(JsonGenerator g, DataType type, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
      return;
    }
    if (type instanceof PrimitiveType p) {
      switch (p) {
        case STRING: g.writeString((String) v); return;
        case LONG: g.writeNumber(((Number) v).longValue()); return;
        case INTEGER: case SHORT: case BYTE: g.writeNumber(((Number) v).intValue()); return;
        case FLOAT: {
          float f = ((Number) v).floatValue();
          if (Float.isNaN(f) || Float.isInfinite(f)) {
            g.writeString(special(f));
          } else {
            g.writeNumber(f);
          }
          return;
        }
        case DOUBLE: {
          double d = ((Number) v).doubleValue();
          if (Double.isNaN(d) || Double.isInfinite(d)) {
            g.writeString(special(d));
          } else {
            g.writeNumber(d);
          }
          return;
        }
        case BOOLEAN: g.writeBoolean((Boolean) v); return;
        case BINARY: case DATE: case TIMESTAMP: case TIMESTAMP_NTZ: g.writeString(Values.text(v)); return;
        default: throw new AssertionError(p);
      }
    }
    if (type instanceof DecimalType) {
      g.writeString(Values.text(v));
      return;
    }
    if (type instanceof StructType s) {
      writeStruct(g, s, (Row) v);
      return;
    }
    if (type instanceof ArrayType a) {
      g.writeStartArray();
      for (Object e : (List<?>) v) {
        writeValue(g, a.elementType(), e);
      }
      g.writeEndArray();
      return;
    }
    MapType m = (MapType) type;
    List<String[]> pairs = new ArrayList<>();
    for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
      pairs.add(new String[] {toJson(m.keyType(), e.getKey()), toJson(m.valueType(), e.getValue())});
    }
    pairs.sort(Comparator.comparing((String[] p) -> p[0]));
    g.writeStartArray();
    for (String[] p : pairs) {
      g.writeStartArray();
      g.writeRawValue(p[0]);
      g.writeRawValue(p[1]);
      g.writeEndArray();
    }
    g.writeEndArray();
  }

  private static String special(double d) {
    return Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
  }

  /**
   * The text of a value in a CSV cell or a table cell: primitives and decimals in their text form
   * ({@link Values#text}), nested values as canonical JSON.
   */
  static String cellText(DataType type, Object v) {
    if (v == null) {
      return null;
    }
    if (type instanceof PrimitiveType || type instanceof DecimalType) {
      return Values.text(v);
    }
    return toJson(type, v);
  }
}
