package io.datashard.internal.table;

import io.datashard.DataType;
import io.datashard.DecimalType;
import io.datashard.PrimitiveType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

/**
 * Partition values as the Delta protocol serializes them in {@code add.partitionValues}, and the
 * Hive-style directory names they become.
 */
public final class PartitionCodec {
  /** The directory name of a null partition value, as Hive and Spark write it. */
  public static final String NULL_DIRECTORY = "__HIVE_DEFAULT_PARTITION__";

  private static final DateTimeFormatter MICROS = new DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd HH:mm:ss")
      .appendFraction(ChronoField.MICRO_OF_SECOND, 6, 6, true)
      .toFormatter();
  private static final DateTimeFormatter ISO_MICROS_UTC =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter FLEXIBLE = new DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd[ ]['T']HH:mm:ss")
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
      .optionalStart().appendOffsetId().optionalEnd()
      .toFormatter();

  private PartitionCodec() {}

  /** True if a column of this type can be a partition column. */
  public static boolean isPartitionable(DataType type) {
    if (type instanceof DecimalType) {
      return true;
    }
    return type instanceof PrimitiveType p
        && p != PrimitiveType.FLOAT && p != PrimitiveType.DOUBLE && p != PrimitiveType.BINARY;
  }

  /** The protocol's string form of a (non-null, validated) partition value. */
  public static String serialize(Object value, DataType type) {
    if (type instanceof DecimalType) {
      return ((BigDecimal) value).toPlainString();
    }
    switch ((PrimitiveType) type) {
      case TIMESTAMP:
        // ISO-8601 in UTC: the protocol's unambiguous form (the plain form depends on a session zone).
        return ISO_MICROS_UTC.format((Instant) value);
      case TIMESTAMP_NTZ:
        return MICROS.format((LocalDateTime) value);
      default:
        return value.toString();
    }
  }

  /**
   * Parses a serialized partition value.
   *
   * @throws IllegalArgumentException if it does not parse as the type
   */
  public static Object parse(String text, DataType type) {
    if (text == null) {
      return null;
    }
    if (type instanceof DecimalType d) {
      return new BigDecimal(text).setScale(d.scale());
    }
    switch ((PrimitiveType) type) {
      case STRING: return text;
      case LONG: return Long.parseLong(text);
      case INTEGER: return Integer.parseInt(text);
      case SHORT: return Short.parseShort(text);
      case BYTE: return Byte.parseByte(text);
      case FLOAT: return Float.parseFloat(text);
      case DOUBLE: return Double.parseDouble(text);
      case BOOLEAN:
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
          return Boolean.parseBoolean(text);
        }
        throw new IllegalArgumentException("not a boolean: " + text);
      case DATE: return LocalDate.parse(text);
      case TIMESTAMP: {
        var parsed = FLEXIBLE.parseBest(text, java.time.OffsetDateTime::from, LocalDateTime::from);
        return parsed instanceof java.time.OffsetDateTime odt ? odt.toInstant()
            : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
      }
      case TIMESTAMP_NTZ: return LocalDateTime.parse(text, FLEXIBLE);
      case BINARY: return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      default: throw new IllegalArgumentException("unsupported partition type " + type);
    }
  }

  /** A Hive-style directory segment {@code col=value} with Hive's escaping. */
  public static String directory(String column, String serialized) {
    return escape(column) + "=" + (serialized == null ? NULL_DIRECTORY : escape(serialized));
  }

  private static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7F || "\"#%'*/:=?\\{[]^".indexOf(c) >= 0) {
        sb.append('%').append(String.format("%02X", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
