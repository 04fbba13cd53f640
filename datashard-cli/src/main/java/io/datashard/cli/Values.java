package io.datashard.cli;

import io.datashard.DataType;
import io.datashard.DecimalType;
import io.datashard.PrimitiveType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Conversions between the text forms of the CLI (canonical JSON rows, CSV cells, map keys) and the
 * Java values of primitive and decimal columns. Parse methods throw {@link ValueException} with a
 * message that names the value and the type, never the field (the caller adds that).
 */
final class Values {
  /** Canonical timestamp: UTC, exactly 6 fractional digits, {@code Z}. */
  static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
  /** Canonical timestamp_ntz: exactly 6 fractional digits, no zone. */
  static final DateTimeFormatter TIMESTAMP_NTZ = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS", Locale.ROOT);
  static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd", Locale.ROOT);

  private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

  private Values() {}

  /** A value that cannot be converted; the message names the value and the expected type. */
  static final class ValueException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ValueException(String message) {
      super(message);
    }
  }

  // ---------------------------------------------------------------- parsing

  /**
   * Parses the text form of a primitive or decimal value (a CSV cell, a JSON object key, a
   * {@code --as-of} argument).
   */
  static Object parse(DataType type, String text) {
    if (type instanceof DecimalType d) {
      return decimal(d, text.strip());
    }
    if (!(type instanceof PrimitiveType p)) {
      throw new ValueException("a " + type.toText() + " value cannot be given as text");
    }
    String t = p == PrimitiveType.STRING ? text : text.strip();
    switch (p) {
      case STRING:
        return t;
      case LONG:
      case INTEGER:
      case SHORT:
      case BYTE:
        if (!INTEGER.matcher(t).matches()) {
          throw new ValueException(quote(text) + " is not an integer (" + p.deltaName() + ")");
        }
        return integral(p, new BigInteger(t), t);
      case FLOAT:
      case DOUBLE:
        return floating(p, t, false);
      case BOOLEAN:
        if (t.equalsIgnoreCase("true")) {
          return Boolean.TRUE;
        }
        if (t.equalsIgnoreCase("false")) {
          return Boolean.FALSE;
        }
        throw new ValueException(quote(text) + " is not a boolean (true or false)");
      case BINARY:
        return base64(t);
      case DATE:
        return date(t);
      case TIMESTAMP:
        return timestamp(t);
      case TIMESTAMP_NTZ:
        return timestampNtz(t);
      default:
        throw new AssertionError(p);
    }
  }

  /** An integer of the given integral type, range-checked. */
  static Object integral(PrimitiveType type, BigInteger v, String text) {
    long min;
    long max;
    switch (type) {
      case LONG: min = Long.MIN_VALUE; max = Long.MAX_VALUE; break;
      case INTEGER: min = Integer.MIN_VALUE; max = Integer.MAX_VALUE; break;
      case SHORT: min = Short.MIN_VALUE; max = Short.MAX_VALUE; break;
      case BYTE: min = Byte.MIN_VALUE; max = Byte.MAX_VALUE; break;
      default: throw new AssertionError(type);
    }
    if (v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(BigInteger.valueOf(max)) > 0) {
      throw new ValueException(abbreviate(text) + " is out of range for " + type.deltaName() + " (" + min + ".." + max + ")");
    }
    long l = v.longValue();
    switch (type) {
      case LONG: return l;
      case INTEGER: return (int) l;
      case SHORT: return (short) l;
      default: return (byte) l;
    }
  }

  /**
   * A float or double from a decimal number text or one of {@code NaN}, {@code Infinity},
   * {@code -Infinity}. A finite number too large for the type is an error, not infinity.
   *
   * @param numberToken true if the text is a JSON number token (the special words are not allowed)
   */
  static Object floating(PrimitiveType type, String t, boolean numberToken) {
    double special = Double.NaN;
    boolean isSpecial = false;
    if (!numberToken) {
      switch (t) {
        case "NaN": isSpecial = true; special = Double.NaN; break;
        case "Infinity": case "+Infinity": isSpecial = true; special = Double.POSITIVE_INFINITY; break;
        case "-Infinity": isSpecial = true; special = Double.NEGATIVE_INFINITY; break;
        default:
          if (!NUMBER.matcher(t).matches()) {
            throw new ValueException(quote(t) + " is not a number (" + type.deltaName() + "; NaN, Infinity and -Infinity are allowed)");
          }
      }
    }
    if (type == PrimitiveType.FLOAT) {
      float f = isSpecial ? (float) special : Float.parseFloat(t);
      if (!isSpecial && Float.isInfinite(f)) {
        throw new ValueException(abbreviate(t) + " is out of range for float");
      }
      return f;
    }
    double d = isSpecial ? special : Double.parseDouble(t);
    if (!isSpecial && Double.isInfinite(d)) {
      throw new ValueException(abbreviate(t) + " is out of range for double");
    }
    return d;
  }

  /** A decimal at exactly the type's scale; more fractional digits or too many integer digits is an error. */
  static BigDecimal decimal(DecimalType type, String text) {
    BigDecimal d;
    try {
      if (!NUMBER.matcher(text).matches()) {
        throw new NumberFormatException();
      }
      d = new BigDecimal(text);
    } catch (NumberFormatException e) {
      throw new ValueException(quote(text) + " is not a decimal number (" + type.toText() + ")");
    }
    return fit(type, d);
  }

  /** Rescales a decimal to the type, refusing rounding and overflow. */
  static BigDecimal fit(DecimalType type, BigDecimal d) {
    BigDecimal scaled;
    try {
      scaled = d.setScale(type.scale(), RoundingMode.UNNECESSARY);
    } catch (ArithmeticException e) {
      throw new ValueException(abbreviate(d.toPlainString()) + " has more than " + type.scale()
          + " digits after the point for " + type.toText());
    }
    if (scaled.precision() - scaled.scale() > type.precision() - type.scale()) {
      throw new ValueException(abbreviate(d.toPlainString()) + " overflows " + type.toText() + " (at most "
          + (type.precision() - type.scale()) + " digits before the point)");
    }
    return scaled;
  }

  static byte[] base64(String text) {
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new ValueException(quote(text) + " is not base64 (binary values are written in standard base64)");
    }
  }

  static LocalDate date(String text) {
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw new ValueException(quote(text) + " is not a date (YYYY-MM-DD)");
    }
  }

  /**
   * An instant from ISO-8601 with {@code Z} or an offset and any number of fractional digits; a
   * space instead of {@code T} is accepted.
   */
  static Instant timestamp(String text) {
    String t = normalizeDateTime(text);
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException e) {
      try {
        LocalDateTime.parse(t);
      } catch (DateTimeParseException e2) {
        throw new ValueException(quote(text) + " is not an ISO-8601 timestamp (e.g. 2024-01-02T03:04:05.000006Z)");
      }
      throw new ValueException(quote(text) + " has no time zone; a timestamp needs Z or an offset such as +02:00"
          + " (timestamp_ntz columns take values without a zone)");
    }
  }

  /** A local date-time from ISO-8601 without zone, any number of fractional digits. */
  static LocalDateTime timestampNtz(String text) {
    String t = normalizeDateTime(text);
    try {
      return LocalDateTime.parse(t);
    } catch (DateTimeParseException e) {
      try {
        OffsetDateTime.parse(t);
      } catch (DateTimeParseException e2) {
        throw new ValueException(quote(text) + " is not an ISO-8601 date-time (e.g. 2024-01-02T03:04:05.000006)");
      }
      throw new ValueException(quote(text) + " has a time zone, but a timestamp_ntz holds a date-time without one");
    }
  }

  private static String normalizeDateTime(String text) {
    String t = text.strip();
    if (t.length() > 10 && t.charAt(10) == ' ') {
      t = t.substring(0, 10) + 'T' + t.substring(11);
    }
    return t;
  }

  // ---------------------------------------------------------------- formatting

  /**
   * The text form of a primitive or decimal value as it appears in canonical JSON (without JSON
   * quoting) and in CSV: decimals in plain notation, binary in base64, timestamps with 6 fractional
   * digits.
   */
  static String text(Object v) {
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (v instanceof byte[] b) {
      return Base64.getEncoder().encodeToString(b);
    }
    if (v instanceof Instant i) {
      return TIMESTAMP.format(i);
    }
    if (v instanceof LocalDateTime l) {
      return TIMESTAMP_NTZ.format(l);
    }
    if (v instanceof LocalDate d) {
      return DATE.format(d);
    }
    return String.valueOf(v);
  }

  static String quote(String text) {
    return "'" + abbreviate(text) + "'";
  }

  static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }
}
