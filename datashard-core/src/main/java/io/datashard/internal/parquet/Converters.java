package io.datashard.internal.parquet;

import io.datashard.Row;
import io.datashard.StructType;
import io.datashard.internal.rows.TrustedRows;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * The converters Parquet's record assembly drives. Each hands its finished value to a sink: the
 * slot of a struct field, the end of a list, or the key or value of a map entry.
 */
final class Converters {
  /** Discards the values of a column read only for its definition levels. */
  static final PrimitiveConverter IGNORED_VALUE = new PrimitiveConverter() {
    @Override
    public void addBinary(Binary value) {}

    @Override
    public void addBoolean(boolean value) {}

    @Override
    public void addDouble(double value) {}

    @Override
    public void addFloat(float value) {}

    @Override
    public void addInt(int value) {}

    @Override
    public void addLong(long value) {}
  };

  private Converters() {}

  /** A struct, as a {@link Row}, or the top-level record, as an {@code Object[]}. */
  static final class StructConverter extends GroupConverter {
    private final StructType type;
    private final boolean asRow;
    private final Consumer<Object> sink;
    private final Converter[] converters;
    /** Fields stored as bare repeated fields: each starts as an empty list. */
    private final int[] listSlots;
    private Object[] values;

    StructConverter(StructType type, List<ReadPlan.Child> children, boolean asRow, Consumer<Object> sink) {
      this.type = type;
      this.asRow = asRow;
      this.sink = sink;
      this.converters = new Converter[children.size()];
      List<Integer> lists = new ArrayList<>();
      for (int i = 0; i < converters.length; i++) {
        ReadPlan.Child child = children.get(i);
        int slot = child.index();
        Consumer<Object> fieldSink;
        if (slot < 0) {
          fieldSink = v -> { };
        } else if (child.repeatedList()) {
          lists.add(slot);
          fieldSink = v -> listAt(slot).add(v);
        } else {
          fieldSink = v -> values[slot] = v;
        }
        converters[i] = child.node().converter().apply(fieldSink);
      }
      this.listSlots = lists.stream().mapToInt(Integer::intValue).toArray();
    }

    @SuppressWarnings("unchecked")
    private List<Object> listAt(int slot) {
      return (List<Object>) values[slot];
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      return converters[fieldIndex];
    }

    @Override
    public void start() {
      values = new Object[type.size()];
      for (int slot : listSlots) {
        values[slot] = new ArrayList<>();
      }
    }

    @Override
    public void end() {
      for (int slot : listSlots) {
        values[slot] = Collections.unmodifiableList((List<?>) values[slot]);
      }
      sink.accept(asRow ? TrustedRows.of(type, values) : values);
    }
  }

  /** A LIST group; with three levels its only child is the repeated group around each element. */
  static final class ListConverter extends GroupConverter {
    private final Consumer<Object> sink;
    private final Converter child;
    private List<Object> list;

    ListConverter(ReadPlan.Node element, boolean threeLevel, Consumer<Object> sink) {
      this.sink = sink;
      Consumer<Object> add = v -> list.add(v);
      this.child = threeLevel ? new ElementConverter(element, add) : element.converter().apply(add);
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      return child;
    }

    @Override
    public void start() {
      list = new ArrayList<>();
    }

    @Override
    public void end() {
      sink.accept(Collections.unmodifiableList(list));
    }
  }

  /** The repeated middle group of a 3-level list: one occurrence per element, null if absent. */
  private static final class ElementConverter extends GroupConverter {
    private final Consumer<Object> add;
    private final Converter element;
    private Object value;

    ElementConverter(ReadPlan.Node element, Consumer<Object> add) {
      this.add = add;
      this.element = element.converter().apply(v -> value = v);
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      return element;
    }

    @Override
    public void start() {
      value = null;
    }

    @Override
    public void end() {
      add.accept(value);
    }
  }

  /** A MAP group, as an insertion-ordered map in file order. */
  static final class MapConverter extends GroupConverter {
    private final Consumer<Object> sink;
    private final EntryConverter entries;
    private Map<Object, Object> map;

    MapConverter(ReadPlan.Node key, ReadPlan.Node value, Consumer<Object> sink) {
      this.sink = sink;
      this.entries = new EntryConverter(key, value);
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      return entries;
    }

    @Override
    public void start() {
      map = new LinkedHashMap<>();
    }

    @Override
    public void end() {
      sink.accept(Collections.unmodifiableMap(map));
    }

    /** The repeated key/value group; without a value field every value is null. */
    private final class EntryConverter extends GroupConverter {
      private final Converter keyConverter;
      private final Converter valueConverter;
      private Object key;
      private Object value;

      EntryConverter(ReadPlan.Node keyNode, ReadPlan.Node valueNode) {
        this.keyConverter = keyNode.converter().apply(v -> key = v);
        this.valueConverter = valueNode == null ? null : valueNode.converter().apply(v -> value = v);
      }

      @Override
      public Converter getConverter(int fieldIndex) {
        return fieldIndex == 0 ? keyConverter : valueConverter;
      }

      @Override
      public void start() {
        key = null;
        value = null;
      }

      @Override
      public void end() {
        map.put(key, value);
      }
    }
  }

  /** A group on the path to a probed column: only its presence matters. */
  static final class IgnoredGroupConverter extends GroupConverter {
    private final Converter child;

    IgnoredGroupConverter(Converter child) {
      this.child = child;
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      return child;
    }

    @Override
    public void start() {}

    @Override
    public void end() {}
  }

  /**
   * A primitive column. Dictionary-encoded values are decoded once per dictionary entry when the
   * results are immutable and so can be shared between rows.
   */
  static final class ValueConverter extends PrimitiveConverter {
    private final ValueDecoders.Decoder decoder;
    private final PrimitiveTypeName physical;
    private final boolean shareDictionaryValues;
    private final Consumer<Object> sink;
    private Dictionary dictionary;
    private Object[] decoded;

    ValueConverter(ValueDecoders.Decoder decoder, PrimitiveTypeName physical, boolean shareDictionaryValues,
        Consumer<Object> sink) {
      this.decoder = decoder;
      this.physical = physical;
      this.shareDictionaryValues = shareDictionaryValues;
      this.sink = sink;
    }

    @Override
    public boolean hasDictionarySupport() {
      return shareDictionaryValues;
    }

    @Override
    public void setDictionary(Dictionary dictionary) {
      this.dictionary = dictionary;
      this.decoded = new Object[dictionary.getMaxId() + 1];
    }

    @Override
    public void addValueFromDictionary(int id) {
      Object v = decoded[id];
      if (v == null) {
        // Decoded on first use: an unused entry the requested type cannot hold must not fail the read.
        v = decodeEntry(id);
        decoded[id] = v;
      }
      sink.accept(v);
    }

    private Object decodeEntry(int id) {
      switch (physical) {
        case INT32:
          return decoder.fromInt(dictionary.decodeToInt(id));
        case INT64:
          return decoder.fromLong(dictionary.decodeToLong(id));
        case FLOAT:
          return decoder.fromFloat(dictionary.decodeToFloat(id));
        case DOUBLE:
          return decoder.fromDouble(dictionary.decodeToDouble(id));
        case BOOLEAN:
          return decoder.fromBoolean(dictionary.decodeToBoolean(id));
        default:
          return decoder.fromBinary(dictionary.decodeToBinary(id));
      }
    }

    @Override
    public void addBinary(Binary value) {
      sink.accept(decoder.fromBinary(value));
    }

    @Override
    public void addBoolean(boolean value) {
      sink.accept(decoder.fromBoolean(value));
    }

    @Override
    public void addDouble(double value) {
      sink.accept(decoder.fromDouble(value));
    }

    @Override
    public void addFloat(float value) {
      sink.accept(decoder.fromFloat(value));
    }

    @Override
    public void addInt(int value) {
      sink.accept(decoder.fromInt(value));
    }

    @Override
    public void addLong(long value) {
      sink.accept(decoder.fromLong(value));
    }
  }
}
