package io.datashard.internal.parquet;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.datashard.DataType;
import io.datashard.DecimalType;
import io.datashard.Field;
import io.datashard.PrimitiveType;
import io.datashard.StructType;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Collects Delta per-file statistics while rows are written: null counts for every column not
 * inside an array or map, and min/max of orderable primitive columns, rendered as the {@code stats}
 * JSON of an {@code add} action.
 */
final class FileStats {
  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();
  private static final DateTimeFormatter MILLIS_FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS");
  /** Delta's limit on string min/max length, in code points. */
  private static final int STRING_PREFIX = 32;
  private static final int MAX_CODE_POINT = Character.MAX_CODE_POINT;

  private final StructStats root;

  FileStats(StructType schema) {
    this.root = new StructStats(schema);
  }

  /** Adds one row (values in schema order). */
  void add(Object[] row) {
    root.add(row);
  }

  /** The statistics JSON: {@code {"numRecords":N,"minValues":{},"maxValues":{},"nullCount":{}}}. */
  String toJson(long numRecords) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("numRecords", numRecords);
      g.writeFieldName("minValues");
      root.writeBound(g, true);
      g.writeFieldName("maxValues");
      root.writeBound(g, false);
      g.writeFieldName("nullCount");
      root.writeNullCount(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing statistics to a string", e);
    }
    return out.toString();
  }

  /** The statistics of a column or struct. */
  private interface Node {
    /** Adds a value; null also for every field below a null struct. */
    void add(Object value);

    /** True if there is a min (or max) to write. */
    boolean hasBound(boolean min);

    void writeBound(JsonGenerator g, boolean min) throws IOException;

    void writeNullCount(JsonGenerator g) throws IOException;
  }

  /** Statistics of one struct's fields (or of the top-level columns), written as a nested object. */
  private static final class StructStats implements Node {
    private final String[] names;
    private final Node[] children;

    StructStats(StructType type) {
      int n = type.size();
      names = new String[n];
      children = new Node[n];
      for (int i = 0; i < n; i++) {
        Field f = type.fields().get(i);
        names[i] = f.name();
        children[i] = f.type() instanceof StructType s ? new StructStats(s) : new ColumnStats(f.type());
      }
    }

    @Override
    public void add(Object value) {
      Object[] values = (Object[]) value;
      for (int i = 0; i < children.length; i++) {
        children[i].add(values == null ? null : values[i]);
      }
    }

    @Override
    public boolean hasBound(boolean min) {
      for (Node child : children) {
        if (child.hasBound(min)) {
          return true;
        }
      }
      return false;
    }

    /** Leaves out columns and structs without a bound. */
    @Override
    public void writeBound(JsonGenerator g, boolean min) throws IOException {
      g.writeStartObject();
      for (int i = 0; i < children.length; i++) {
        if (children[i].hasBound(min)) {
          g.writeFieldName(names[i]);
          children[i].writeBound(g, min);
        }
      }
      g.writeEndObject();
    }

    @Override
    public void writeNullCount(JsonGenerator g) throws IOException {
      g.writeStartObject();
      for (int i = 0; i < children.length; i++) {
        g.writeFieldName(names[i]);
        children[i].writeNullCount(g);
      }
      g.writeEndObject();
    }
  }

  /** Statistics of a primitive, array or map column; min/max only for orderable primitives. */
  private static final class ColumnStats implements Node {
    private final DataType type;
    private final boolean ordered;
    private long nullCount;
    private Object min;
    private Object max;
    private boolean sawNaN;

    ColumnStats(DataType type) {
      this.type = type;
      this.ordered = type.isOrderable();
    }

    @Override
    public void add(Object v) {
      if (v == null) {
        nullCount++;
        return;
      }
      if (!ordered) {
        return;
      }
      if ((v instanceof Double d && d.isNaN()) || (v instanceof Float f && f.isNaN())) {
        sawNaN = true;
        return;
      }
      if (min == null || compare(v, min) < 0) {
        min = v;
      }
      if (max == null || compare(v, max) > 0) {
        max = v;
      }
    }

    @Override
    public void writeNullCount(JsonGenerator g) throws IOException {
      g.writeNumber(nullCount);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) {
      if (a instanceof String s) {
        return compareUtf8(s, (String) b);
      }
      return ((Comparable) a).compareTo(b);
    }

    @Override
    public boolean hasBound(boolean min) {
      return bound(min) != null;
    }

    /** The min (or max) to record, or null when there is none (all null, NaN seen, infinite). */
    private Object bound(boolean wantMin) {
      Object v = wantMin ? min : max;
      if (v == null || sawNaN) {
        return null;
      }
      // JSON numbers cannot express infinity; leaving the bound out keeps the stats valid and safe.
      if ((v instanceof Double d && d.isInfinite()) || (v instanceof Float f && f.isInfinite())) {
        return null;
      }
      return v;
    }

    @Override
    public void writeBound(JsonGenerator g, boolean isMin) throws IOException {
      Object v = bound(isMin);
      if (type instanceof DecimalType) {
        g.writeNumber((BigDecimal) v);
        return;
      }
      switch ((PrimitiveType) type) {
        case STRING:
          g.writeString(isMin ? truncateMin((String) v) : truncateMax((String) v));
          break;
        case LONG:
          g.writeNumber((Long) v);
          break;
        case INTEGER:
          g.writeNumber((Integer) v);
          break;
        case SHORT:
          g.writeNumber((Short) v);
          break;
        case BYTE:
          g.writeNumber((Byte) v);
          break;
        case FLOAT:
          g.writeNumber((Float) v);
          break;
        case DOUBLE:
          g.writeNumber((Double) v);
          break;
        case DATE:
          g.writeString(((LocalDate) v).toString());
          break;
        case TIMESTAMP:
          LocalDateTime utc = LocalDateTime.ofInstant((Instant) v, ZoneOffset.UTC);
          g.writeString(MILLIS_FORMAT.format(toMillis(utc, isMin)) + "Z");
          break;
        case TIMESTAMP_NTZ:
          g.writeString(MILLIS_FORMAT.format(toMillis((LocalDateTime) v, isMin)));
          break;
        default:
          throw new AssertionError(type);
      }
    }
  }

  /** Rounds to the millisecond, down for a min and up for a max, so the range still bounds the values. */
  private static LocalDateTime toMillis(LocalDateTime t, boolean down) {
    LocalDateTime truncated = t.truncatedTo(ChronoUnit.MILLIS);
    return down || truncated.equals(t) ? truncated : truncated.plus(1, ChronoUnit.MILLIS);
  }

  /**
   * Compares strings by their UTF-8 bytes, which is code point order. UTF-16 order differs only
   * where a surrogate (a code point above U+FFFF) meets a char in U+E000..U+FFFF, so those are
   * re-ranked: surrogates above, everything else unchanged relative to each other.
   */
  static int compareUtf8(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        return Integer.compare(utf8Rank(x), utf8Rank(y));
      }
    }
    return Integer.compare(a.length(), b.length());
  }

  private static int utf8Rank(char c) {
    if (c < Character.MIN_SURROGATE) {
      return c;
    }
    return c <= Character.MAX_SURROGATE ? c + 0x2000 : c - 0x800;
  }

  /** A lower bound of at most 32 code points: the prefix. */
  static String truncateMin(String s) {
    if (s.length() <= STRING_PREFIX || s.codePointCount(0, s.length()) <= STRING_PREFIX) {
      return s;
    }
    return s.substring(0, s.offsetByCodePoints(0, STRING_PREFIX));
  }

  /**
   * An upper bound of about 32 code points: the prefix followed by U+10FFFF, which sorts after any
   * continuation except U+10FFFF itself, so the prefix is extended over those.
   */
  static String truncateMax(String s) {
    if (s.length() <= STRING_PREFIX || s.codePointCount(0, s.length()) <= STRING_PREFIX) {
      return s;
    }
    int end = s.offsetByCodePoints(0, STRING_PREFIX);
    while (end < s.length() && s.codePointAt(end) == MAX_CODE_POINT) {
      end += Character.charCount(MAX_CODE_POINT);
    }
    if (end == s.length()) {
      return s;
    }
    return s.substring(0, end) + Character.toString(MAX_CODE_POINT);
  }
}
