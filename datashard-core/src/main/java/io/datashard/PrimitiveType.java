package io.datashard;

import java.util.Locale;
import java.util.Optional;

/**
 * The Delta primitive types other than decimal. The Java value of each type, as returned by
 * {@link Row#get(String)} and accepted by writes, is listed per constant; the conversions writes
 * accept in addition are documented in {@code docs/types.md}.
 */
public enum PrimitiveType implements DataType {
  /** UTF-8 text; Java {@link String}. */
  STRING("string", true),
  /** 64-bit signed integer; Java {@link Long}. */
  LONG("long", true),
  /** 32-bit signed integer; Java {@link Integer}. */
  INTEGER("integer", true),
  /** 16-bit signed integer; Java {@link Short}. */
  SHORT("short", true),
  /** 8-bit signed integer; Java {@link Byte}. */
  BYTE("byte", true),
  /** IEEE 754 single precision; Java {@link Float}. */
  FLOAT("float", true),
  /** IEEE 754 double precision; Java {@link Double}. */
  DOUBLE("double", true),
  /** True or false; Java {@link Boolean}. */
  BOOLEAN("boolean", false),
  /** Uninterpreted bytes; Java {@code byte[]}. */
  BINARY("binary", false),
  /** A calendar date without time zone; Java {@link java.time.LocalDate}. */
  DATE("date", true),
  /** An instant with microsecond precision, stored in UTC; Java {@link java.time.Instant}. */
  TIMESTAMP("timestamp", true),
  /** A wall-clock date-time with microsecond precision and no time zone; Java {@link java.time.LocalDateTime}. */
  TIMESTAMP_NTZ("timestamp_ntz", true);

  private final String deltaName;
  private final boolean orderable;

  PrimitiveType(String deltaName, boolean orderable) {
    this.deltaName = deltaName;
    this.orderable = orderable;
  }

  /** The name used in the Delta schema JSON and in the schema text form. */
  public String deltaName() {
    return deltaName;
  }

  @Override
  public String toText() {
    return deltaName;
  }

  @Override
  public boolean isOrderable() {
    return orderable;
  }

  /**
   * Looks a primitive type up by its Delta name or a common SQL alias ({@code bigint}, {@code int},
   * {@code smallint}, {@code tinyint}, {@code bool}, {@code real}), ignoring case.
   */
  public static Optional<PrimitiveType> byName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    switch (n) {
      case "bigint": return Optional.of(LONG);
      case "int": return Optional.of(INTEGER);
      case "smallint": return Optional.of(SHORT);
      case "tinyint": return Optional.of(BYTE);
      case "bool": return Optional.of(BOOLEAN);
      case "real": return Optional.of(FLOAT);
      default:
        for (PrimitiveType t : values()) {
          if (t.deltaName.equals(n)) {
            return Optional.of(t);
          }
        }
        return Optional.empty();
    }
  }
}
