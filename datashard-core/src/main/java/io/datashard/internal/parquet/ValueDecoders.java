package io.datashard.internal.parquet;

import io.datashard.CorruptTableException;
import io.datashard.DataType;
import io.datashard.DecimalType;
import io.datashard.PrimitiveType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.function.DoubleFunction;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.LongFunction;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DateLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Decides whether a Parquet primitive column can be read as a Delta type, and converts its values.
 * Besides the types we write, this accepts what Spark and other Delta writers produce: INT96 and
 * millisecond/nanosecond timestamps, decimals in any physical type, unannotated strings, and the
 * widenings Delta's type widening allows (int to long, float or int to double, integers and
 * narrower decimals to decimals). Values the requested type cannot hold fail rather than wrap.
 */
final class ValueDecoders {
  /** Days from the Julian day number epoch to 1970-01-01, for INT96 timestamps. */
  private static final long JULIAN_DAY_OF_EPOCH = 2_440_588L;
  private static final long SECONDS_PER_DAY = 86_400L;

  private ValueDecoders() {}

  /**
   * Converts the values of one physical type to Java values; only the method of the column's
   * physical type is ever called.
   */
  abstract static class Decoder {
    Object fromInt(int v) {
      throw new IllegalStateException("not an INT32 column");
    }

    Object fromLong(long v) {
      throw new IllegalStateException("not an INT64 column");
    }

    Object fromFloat(float v) {
      throw new IllegalStateException("not a FLOAT column");
    }

    Object fromDouble(double v) {
      throw new IllegalStateException("not a DOUBLE column");
    }

    Object fromBoolean(boolean v) {
      throw new IllegalStateException("not a BOOLEAN column");
    }

    Object fromBinary(Binary v) {
      throw new IllegalStateException("not a binary column");
    }
  }

  /**
   * The decoder reading a column stored as {@code file} as values of {@code type}.
   *
   * @param column the dotted column path, for messages
   * @throws CorruptTableException naming the file and column if the stored type cannot be read as {@code type}
   */
  static Decoder decoder(
      DataType type, org.apache.parquet.schema.PrimitiveType file, String column, String fileDescription) {
    String where = fileDescription + ": column '" + column + "'";
    Decoder decoder = type instanceof DecimalType decimal
        ? decimal(decimal, file, where)
        : primitive((PrimitiveType) type, file, where);
    if (decoder == null) {
      throw new CorruptTableException(where + " is stored as Parquet type '" + file
          + "', which cannot be read as " + type.toText());
    }
    return decoder;
  }

  private static Decoder primitive(PrimitiveType type, org.apache.parquet.schema.PrimitiveType file, String where) {
    PrimitiveTypeName physical = file.getPrimitiveTypeName();
    LogicalTypeAnnotation annotation = file.getLogicalTypeAnnotation();
    switch (type) {
      case LONG:
        if (physical == PrimitiveTypeName.INT64 && isInteger(annotation)) {
          boolean unsigned = isUnsigned(annotation);
          return ofLong(v -> {
            if (unsigned && v < 0) {
              throw outOfRange(where, Long.toUnsignedString(v), type);
            }
            return v;
          });
        }
        return integral(type, physical, annotation, where, Long.MIN_VALUE, Long.MAX_VALUE, Long::valueOf);
      case INTEGER:
        return integral(type, physical, annotation, where, Integer.MIN_VALUE, Integer.MAX_VALUE,
            v -> Integer.valueOf((int) v));
      case SHORT:
        return integral(type, physical, annotation, where, Short.MIN_VALUE, Short.MAX_VALUE,
            v -> Short.valueOf((short) v));
      case BYTE:
        return integral(type, physical, annotation, where, Byte.MIN_VALUE, Byte.MAX_VALUE,
            v -> Byte.valueOf((byte) v));
      case FLOAT:
        return physical == PrimitiveTypeName.FLOAT && annotation == null ? ofFloat(v -> (float) v) : null;
      case DOUBLE:
        if (physical == PrimitiveTypeName.DOUBLE && annotation == null) {
          return ofDouble(v -> v);
        }
        if (physical == PrimitiveTypeName.FLOAT && annotation == null) {
          return ofFloat(v -> v);
        }
        if (physical == PrimitiveTypeName.INT32 && isInteger(annotation)) {
          boolean unsigned = isUnsigned(annotation);
          return ofInt(v -> (double) (unsigned ? Integer.toUnsignedLong(v) : v));
        }
        return null;
      case BOOLEAN:
        return physical == PrimitiveTypeName.BOOLEAN ? ofBoolean() : null;
      case STRING:
        return physical == PrimitiveTypeName.BINARY && isText(annotation) ? ofBinary(Binary::toStringUsingUTF8) : null;
      case BINARY:
        if ((physical == PrimitiveTypeName.BINARY
                && (isText(annotation) || annotation instanceof LogicalTypeAnnotation.BsonLogicalTypeAnnotation))
            || (physical == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY
                && (annotation == null || annotation instanceof LogicalTypeAnnotation.UUIDLogicalTypeAnnotation))) {
          return ofBinary(ValueDecoders::copyBytes);
        }
        return null;
      case DATE:
        return physical == PrimitiveTypeName.INT32 && annotation instanceof DateLogicalTypeAnnotation
            ? ofInt(LocalDate::ofEpochDay)
            : null;
      case TIMESTAMP:
        if (physical == PrimitiveTypeName.INT96 && annotation == null) {
          return ofBinary(v -> int96(v, where));
        }
        if (physical == PrimitiveTypeName.INT64
            && annotation instanceof TimestampLogicalTypeAnnotation ts && ts.isAdjustedToUTC()) {
          LongFunction<Instant> instant = instantOf(ts.getUnit());
          return ofLong(instant::apply);
        }
        return null;
      case TIMESTAMP_NTZ:
        if (physical == PrimitiveTypeName.INT64
            && annotation instanceof TimestampLogicalTypeAnnotation ts && !ts.isAdjustedToUTC()) {
          LongFunction<Instant> instant = instantOf(ts.getUnit());
          return ofLong(v -> {
            Instant t = instant.apply(v);
            return LocalDateTime.ofEpochSecond(t.getEpochSecond(), t.getNano(), ZoneOffset.UTC);
          });
        }
        if (physical == PrimitiveTypeName.INT32 && annotation instanceof DateLogicalTypeAnnotation) {
          // Type widening (date to timestamp_ntz): the date's midnight.
          return ofInt(v -> LocalDate.ofEpochDay(v).atStartOfDay());
        }
        return null;
      default:
        throw new AssertionError(type);
    }
  }

  /**
   * Integral types from INT32 (Parquet has no narrower physical type; the annotation may be
   * missing, so every value is range-checked) and, for long only, INT64.
   */
  private static Decoder integral(PrimitiveType type, PrimitiveTypeName physical, LogicalTypeAnnotation annotation,
      String where, long min, long max, LongFunction<Object> box) {
    if (physical != PrimitiveTypeName.INT32 || !isInteger(annotation)) {
      return null;
    }
    boolean unsigned = isUnsigned(annotation);
    return ofInt(v -> {
      long x = unsigned ? Integer.toUnsignedLong(v) : v;
      if (x < min || x > max) {
        throw outOfRange(where, Long.toString(x), type);
      }
      return box.apply(x);
    });
  }

  private static Decoder decimal(DecimalType type, org.apache.parquet.schema.PrimitiveType file, String where) {
    PrimitiveTypeName physical = file.getPrimitiveTypeName();
    LogicalTypeAnnotation annotation = file.getLogicalTypeAnnotation();
    int fileScale;
    int fileIntegerDigits;
    if (annotation instanceof DecimalLogicalTypeAnnotation d) {
      fileScale = d.getScale();
      fileIntegerDigits = d.getPrecision() - d.getScale();
    } else if (physical == PrimitiveTypeName.INT32 && isInteger(annotation)) {
      fileScale = 0;
      fileIntegerDigits =
          annotation == null ? 10 : integerDigits(((IntLogicalTypeAnnotation) annotation).getBitWidth());
    } else if (physical == PrimitiveTypeName.INT64 && isInteger(annotation) && !isUnsigned(annotation)) {
      fileScale = 0;
      fileIntegerDigits = 19;
    } else {
      return null;
    }
    // Exact only if no digits are lost on either side of the point.
    if (fileScale > type.scale() || fileIntegerDigits > type.precision() - type.scale()) {
      return null;
    }
    switch (physical) {
      case INT32:
        boolean unsigned = isUnsigned(annotation);
        return ofInt(v -> scaled(BigDecimal.valueOf(unsigned ? Integer.toUnsignedLong(v) : v, fileScale), type, where));
      case INT64:
        return ofLong(v -> scaled(BigDecimal.valueOf(v, fileScale), type, where));
      case BINARY:
      case FIXED_LEN_BYTE_ARRAY:
        return ofBinary(v -> {
          if (v.length() == 0) {
            throw new CorruptTableException(where + " holds an empty decimal value");
          }
          return scaled(new BigDecimal(new BigInteger(v.getBytes()), fileScale), type, where);
        });
      default:
        return null;
    }
  }

  private static int integerDigits(int bitWidth) {
    return bitWidth <= 8 ? 3 : bitWidth <= 16 ? 5 : 10;
  }

  private static BigDecimal scaled(BigDecimal v, DecimalType type, String where) {
    BigDecimal r = v.scale() == type.scale() ? v : v.setScale(type.scale());
    if (r.precision() > type.precision()) {
      throw outOfRange(where, r.toPlainString(), type);
    }
    return r;
  }

  private static CorruptTableException outOfRange(String where, String value, DataType type) {
    return new CorruptTableException(where + " holds " + value + ", which does not fit " + type.toText());
  }

  private static boolean isInteger(LogicalTypeAnnotation a) {
    return a == null || a instanceof IntLogicalTypeAnnotation;
  }

  private static boolean isUnsigned(LogicalTypeAnnotation a) {
    return a instanceof IntLogicalTypeAnnotation i && !i.isSigned();
  }

  /** Text: annotated STRING, ENUM or JSON, or unannotated as older writers produce. */
  private static boolean isText(LogicalTypeAnnotation a) {
    return a == null
        || a instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
        || a instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
        || a instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation;
  }

  /** A private copy: Parquet reuses and shares (dictionary) buffers. */
  private static byte[] copyBytes(Binary v) {
    ByteBuffer buf = v.toByteBuffer();
    byte[] out = new byte[buf.remaining()];
    buf.get(out);
    return out;
  }

  /** Timestamps finer than microseconds are truncated (towards the past), as Delta's type holds micros. */
  private static LongFunction<Instant> instantOf(LogicalTypeAnnotation.TimeUnit unit) {
    switch (unit) {
      case MILLIS:
        return v -> Instant.ofEpochSecond(Math.floorDiv(v, 1_000L), Math.floorMod(v, 1_000L) * 1_000_000L);
      case MICROS:
        return ValueDecoders::ofMicros;
      case NANOS:
        return v -> ofMicros(Math.floorDiv(v, 1_000L));
      default:
        throw new AssertionError(unit);
    }
  }

  private static Instant ofMicros(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }

  /** INT96 (Impala/Spark legacy): 8 bytes nanoseconds of the day, then 4 bytes Julian day, little-endian. */
  private static Instant int96(Binary v, String where) {
    if (v.length() != 12) {
      throw new CorruptTableException(where + " holds an INT96 timestamp of " + v.length() + " bytes, not 12");
    }
    ByteBuffer buf = v.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    long nanosOfDay = buf.getLong();
    long julianDay = buf.getInt();
    long micros = Math.floorDiv(nanosOfDay, 1_000L);
    return Instant.ofEpochSecond((julianDay - JULIAN_DAY_OF_EPOCH) * SECONDS_PER_DAY).plusNanos(micros * 1_000L);
  }

  private static Decoder ofInt(IntFunction<Object> f) {
    return new Decoder() {
      @Override
      Object fromInt(int v) {
        return f.apply(v);
      }
    };
  }

  private static Decoder ofLong(LongFunction<Object> f) {
    return new Decoder() {
      @Override
      Object fromLong(long v) {
        return f.apply(v);
      }
    };
  }

  /** Floats are passed on widened to double, which is exact. */
  private static Decoder ofFloat(DoubleFunction<Object> f) {
    return new Decoder() {
      @Override
      Object fromFloat(float v) {
        return f.apply(v);
      }
    };
  }

  private static Decoder ofDouble(DoubleFunction<Object> f) {
    return new Decoder() {
      @Override
      Object fromDouble(double v) {
        return f.apply(v);
      }
    };
  }

  private static Decoder ofBoolean() {
    return new Decoder() {
      @Override
      Object fromBoolean(boolean v) {
        return v;
      }
    };
  }

  private static Decoder ofBinary(Function<Binary, Object> f) {
    return new Decoder() {
      @Override
      Object fromBinary(Binary v) {
        return f.apply(v);
      }
    };
  }
}
