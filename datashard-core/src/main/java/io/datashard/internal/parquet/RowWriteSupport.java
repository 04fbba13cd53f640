package io.datashard.internal.parquet;

import io.datashard.ArrayType;
import io.datashard.DataType;
import io.datashard.DecimalType;
import io.datashard.MapType;
import io.datashard.PrimitiveType;
import io.datashard.StructType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/**
 * Writes rows (Object[] in schema order, validated by the caller) through Parquet's record
 * consumer. The per-type writers are chosen once per schema, not per value.
 */
final class RowWriteSupport extends WriteSupport<Object[]> {
  private final MessageType parquetSchema;
  private final StructWriter rowWriter;
  private RecordConsumer consumer;

  RowWriteSupport(StructType schema, MessageType parquetSchema) {
    this.parquetSchema = parquetSchema;
    this.rowWriter = new StructWriter(schema);
  }

  @Override
  public String getName() {
    return "datashard";
  }

  /** Parquet still declares this variant abstract; the newer one delegates to it. */
  @Override
  @SuppressWarnings("deprecation")
  public WriteContext init(Configuration configuration) {
    return new WriteContext(parquetSchema, Map.of());
  }

  @Override
  public void prepareForWrite(RecordConsumer recordConsumer) {
    this.consumer = recordConsumer;
  }

  @Override
  public void write(Object[] row) {
    consumer.startMessage();
    rowWriter.writeFields(consumer, row);
    consumer.endMessage();
  }

  /** Writes one non-null value of a fixed type. */
  private interface ValueWriter {
    void write(RecordConsumer rc, Object value);
  }

  private static ValueWriter writerFor(DataType type) {
    if (type instanceof StructType struct) {
      StructWriter writer = new StructWriter(struct);
      return (rc, v) -> {
        rc.startGroup();
        writer.writeFields(rc, (Object[]) v);
        rc.endGroup();
      };
    }
    if (type instanceof ArrayType array) {
      return listWriter(writerFor(array.elementType()));
    }
    if (type instanceof MapType map) {
      return mapWriter(writerFor(map.keyType()), writerFor(map.valueType()));
    }
    if (type instanceof DecimalType decimal) {
      return decimalWriter(decimal);
    }
    switch ((PrimitiveType) type) {
      case STRING:
        return (rc, v) -> rc.addBinary(Binary.fromString((String) v));
      case LONG:
        return (rc, v) -> rc.addLong((Long) v);
      case INTEGER:
        return (rc, v) -> rc.addInteger((Integer) v);
      case SHORT:
        return (rc, v) -> rc.addInteger((Short) v);
      case BYTE:
        return (rc, v) -> rc.addInteger((Byte) v);
      case FLOAT:
        return (rc, v) -> rc.addFloat((Float) v);
      case DOUBLE:
        return (rc, v) -> rc.addDouble((Double) v);
      case BOOLEAN:
        return (rc, v) -> rc.addBoolean((Boolean) v);
      case BINARY:
        // The caller's array stays untouched until the file is closed, within this write.
        return (rc, v) -> rc.addBinary(Binary.fromConstantByteArray((byte[]) v));
      case DATE:
        return (rc, v) -> rc.addInteger(Math.toIntExact(((LocalDate) v).toEpochDay()));
      case TIMESTAMP:
        return (rc, v) -> rc.addLong(micros((Instant) v));
      case TIMESTAMP_NTZ:
        return (rc, v) -> rc.addLong(micros(((LocalDateTime) v).toInstant(ZoneOffset.UTC)));
      default:
        throw new AssertionError(type);
    }
  }

  /** Microseconds since the epoch; the caller has truncated to microseconds. */
  private static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
  }

  private static ValueWriter decimalWriter(DecimalType type) {
    if (type.precision() <= ParquetSchemas.MAX_INT32_DIGITS) {
      return (rc, v) -> rc.addInteger(((BigDecimal) v).unscaledValue().intValueExact());
    }
    if (type.precision() <= ParquetSchemas.MAX_INT64_DIGITS) {
      return (rc, v) -> rc.addLong(((BigDecimal) v).unscaledValue().longValueExact());
    }
    int length = ParquetSchemas.decimalBytes(type.precision());
    return (rc, v) -> {
      byte[] unscaled = ((BigDecimal) v).unscaledValue().toByteArray();
      byte[] fixed = new byte[length];
      // Sign-extend the minimal big-endian two's complement to the column's fixed length.
      Arrays.fill(fixed, 0, length - unscaled.length, unscaled[0] < 0 ? (byte) -1 : 0);
      System.arraycopy(unscaled, 0, fixed, length - unscaled.length, unscaled.length);
      rc.addBinary(Binary.fromConstantByteArray(fixed));
    };
  }

  /** The standard 3-level list: group (LIST) { repeated group list { element } }. */
  private static ValueWriter listWriter(ValueWriter element) {
    return (rc, v) -> {
      List<?> list = (List<?>) v;
      rc.startGroup();
      if (!list.isEmpty()) {
        rc.startField("list", 0);
        for (Object e : list) {
          rc.startGroup();
          if (e != null) {
            rc.startField("element", 0);
            element.write(rc, e);
            rc.endField("element", 0);
          }
          rc.endGroup();
        }
        rc.endField("list", 0);
      }
      rc.endGroup();
    };
  }

  /** The standard map: group (MAP) { repeated group key_value { key; value } }. */
  private static ValueWriter mapWriter(ValueWriter key, ValueWriter value) {
    return (rc, v) -> {
      Map<?, ?> map = (Map<?, ?>) v;
      rc.startGroup();
      if (!map.isEmpty()) {
        rc.startField("key_value", 0);
        for (Map.Entry<?, ?> e : map.entrySet()) {
          rc.startGroup();
          rc.startField("key", 0);
          key.write(rc, e.getKey());
          rc.endField("key", 0);
          if (e.getValue() != null) {
            rc.startField("value", 1);
            value.write(rc, e.getValue());
            rc.endField("value", 1);
          }
          rc.endGroup();
        }
        rc.endField("key_value", 0);
      }
      rc.endGroup();
    };
  }

  /** Writes the non-null fields of a struct (or of the top-level row). */
  private static final class StructWriter {
    private final String[] names;
    private final ValueWriter[] writers;

    StructWriter(StructType type) {
      int n = type.size();
      names = new String[n];
      writers = new ValueWriter[n];
      for (int i = 0; i < n; i++) {
        names[i] = type.fields().get(i).name();
        writers[i] = writerFor(type.fields().get(i).type());
      }
    }

    void writeFields(RecordConsumer rc, Object[] values) {
      for (int i = 0; i < names.length; i++) {
        Object v = values[i];
        if (v != null) {
          rc.startField(names[i], i);
          writers[i].write(rc, v);
          rc.endField(names[i], i);
        }
      }
    }
  }
}
