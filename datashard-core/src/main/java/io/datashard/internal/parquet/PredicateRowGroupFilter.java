package io.datashard.internal.parquet;

import io.datashard.DataType;
import io.datashard.Expression.Operator;
import io.datashard.PrimitiveType;
import io.datashard.StructType;
import io.datashard.internal.expr.BoundExpression;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.apache.parquet.filter2.predicate.FilterApi;
import org.apache.parquet.filter2.predicate.FilterPredicate;
import org.apache.parquet.filter2.predicate.Operators.BooleanColumn;
import org.apache.parquet.filter2.predicate.Operators.Column;
import org.apache.parquet.filter2.predicate.Operators.SupportsLtGt;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DateLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.StringLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Type.Repetition;

/**
 * A scan predicate to push into Parquet so that row groups whose statistics, dictionaries or bloom
 * filters prove they hold no matching row are not read.
 *
 * <p>The filter given to Parquet keeps a superset of the rows the predicate keeps (see {@link
 * BoundExpression#pushDown}); rows are still filtered exactly afterwards. Only comparisons whose
 * Parquet semantics match SQL's are pushed: top-level integer, date, timestamp (micro- and
 * millisecond), string and boolean columns. Floating-point columns are not (statistics may leave
 * out NaN, which our comparisons order above every number), nor are decimals and binaries.
 *
 * @param predicate the scan's predicate
 * @param schema the schema the predicate is bound to; its top-level fields are matched to file
 *     columns as {@link ReadPlan} matches them
 */
record PredicateRowGroupFilter(BoundExpression predicate, StructType schema) implements RowGroupFilter {

  /** The Parquet filter for one file, or empty if no part of the predicate applies to it. */
  @Override
  public Optional<FilterPredicate> forFile(MessageType fileSchema, ColumnMapping mapping) {
    return predicate.pushDown(new BoundExpression.PushDown<FilterPredicate>() {
      @Override
      public Optional<FilterPredicate> compare(int[] path, DataType columnType, Operator op, Object value) {
        return column(fileSchema, mapping, path).flatMap(c -> comparison(c, columnType, op, value));
      }

      @Override
      public Optional<FilterPredicate> isNull(int[] path, DataType columnType, boolean wantNull) {
        return column(fileSchema, mapping, path).flatMap(c -> nullTest(c, wantNull));
      }

      @Override
      public FilterPredicate and(FilterPredicate a, FilterPredicate b) {
        return FilterApi.and(a, b);
      }

      @Override
      public FilterPredicate or(FilterPredicate a, FilterPredicate b) {
        return FilterApi.or(a, b);
      }
    });
  }

  /** A top-level, non-repeated primitive column of the file. */
  private Optional<org.apache.parquet.schema.PrimitiveType> column(MessageType fileSchema, ColumnMapping mapping,
      int[] path) {
    if (path.length != 1) {
      return Optional.empty();
    }
    Type stored = ReadPlan.find(fileSchema, schema.fields().get(path[0]), mapping);
    if (stored == null || !stored.isPrimitive() || stored.isRepetition(Repetition.REPEATED)) {
      return Optional.empty();
    }
    return Optional.of(stored.asPrimitiveType());
  }

  private static Optional<FilterPredicate> nullTest(org.apache.parquet.schema.PrimitiveType c, boolean wantNull) {
    String name = c.getName();
    return switch (c.getPrimitiveTypeName()) {
      case INT32 -> Optional.of(wantNull ? FilterApi.eq(FilterApi.intColumn(name), null)
          : FilterApi.notEq(FilterApi.intColumn(name), null));
      case INT64 -> Optional.of(wantNull ? FilterApi.eq(FilterApi.longColumn(name), null)
          : FilterApi.notEq(FilterApi.longColumn(name), null));
      case BINARY -> Optional.of(wantNull ? FilterApi.eq(FilterApi.binaryColumn(name), null)
          : FilterApi.notEq(FilterApi.binaryColumn(name), null));
      case BOOLEAN -> Optional.of(wantNull ? FilterApi.eq(FilterApi.booleanColumn(name), null)
          : FilterApi.notEq(FilterApi.booleanColumn(name), null));
      default -> Optional.empty();
    };
  }

  private static Optional<FilterPredicate> comparison(org.apache.parquet.schema.PrimitiveType c, DataType columnType,
      Operator op, Object value) {
    LogicalTypeAnnotation annotation = c.getLogicalTypeAnnotation();
    String name = c.getName();
    switch (c.getPrimitiveTypeName()) {
      case INT32: {
        Optional<Long> v = Optional.empty();
        if (annotation instanceof DateLogicalTypeAnnotation && value instanceof LocalDate d) {
          v = Optional.of(d.toEpochDay());
        } else if (isIntegral(columnType) && isSignedInteger(annotation)) {
          v = exactLong(value);
        }
        return v.filter(x -> x == (int) (long) x)
            .map(x -> ordered(FilterApi.intColumn(name), op, (int) (long) x));
      }
      case INT64: {
        Optional<Long> v = Optional.empty();
        if (annotation instanceof TimestampLogicalTypeAnnotation ts) {
          v = epochValue(ts, value);
        } else if (isIntegral(columnType) && isSignedInteger(annotation)) {
          v = exactLong(value);
        }
        return v.map(x -> ordered(FilterApi.longColumn(name), op, x));
      }
      case BINARY:
        if (columnType == PrimitiveType.STRING && value instanceof String s
            && (annotation == null || annotation instanceof StringLogicalTypeAnnotation)) {
          return Optional.of(ordered(FilterApi.binaryColumn(name), op, Binary.fromString(s)));
        }
        return Optional.empty();
      case BOOLEAN:
        if (value instanceof Boolean b && (op == Operator.EQ || op == Operator.NE)) {
          BooleanColumn col = FilterApi.booleanColumn(name);
          return Optional.of(op == Operator.EQ ? FilterApi.eq(col, b) : FilterApi.notEq(col, b));
        }
        return Optional.empty();
      default:
        return Optional.empty();
    }
  }

  private static boolean isIntegral(DataType t) {
    return t == PrimitiveType.BYTE || t == PrimitiveType.SHORT || t == PrimitiveType.INTEGER
        || t == PrimitiveType.LONG;
  }

  private static boolean isSignedInteger(LogicalTypeAnnotation a) {
    return a == null || a instanceof IntLogicalTypeAnnotation i && i.isSigned();
  }

  /** A whole number's value; empty for fractions and numbers outside the long range. */
  private static Optional<Long> exactLong(Object value) {
    if (value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long) {
      return Optional.of(((Number) value).longValue());
    }
    if (value instanceof BigDecimal d) {
      try {
        return Optional.of(d.longValueExact());
      } catch (ArithmeticException e) {
        return Optional.empty(); // a fraction or out of range: not pushed, rows are still filtered exactly
      }
    }
    if (value instanceof Double || value instanceof Float) {
      double x = ((Number) value).doubleValue();
      if (x == Math.rint(x) && Math.abs(x) < 0x1p62) {
        return Optional.of((long) x);
      }
    }
    return Optional.empty();
  }

  /** The stored form of a timestamp constant, when the file's unit represents it exactly. */
  private static Optional<Long> epochValue(TimestampLogicalTypeAnnotation ts, Object value) {
    Instant instant;
    if (value instanceof Instant i && ts.isAdjustedToUTC()) {
      instant = i;
    } else if (value instanceof LocalDateTime t && !ts.isAdjustedToUTC()) {
      instant = t.toInstant(ZoneOffset.UTC);
    } else {
      return Optional.empty();
    }
    if (instant.getNano() % 1000 != 0) {
      return Optional.empty();
    }
    return toUnit(ts.getUnit(), BigInteger.valueOf(instant.getEpochSecond()).multiply(BigInteger.valueOf(1_000_000))
        .add(BigInteger.valueOf(instant.getNano() / 1000)));
  }

  private static Optional<Long> toUnit(TimeUnit unit, BigInteger micros) {
    BigInteger stored;
    switch (unit) {
      case MICROS -> stored = micros;
      case MILLIS -> {
        BigInteger[] qr = micros.divideAndRemainder(BigInteger.valueOf(1000));
        if (qr[1].signum() != 0) {
          return Optional.empty();
        }
        stored = qr[0];
      }
      default -> {
        return Optional.empty();
      }
    }
    return stored.bitLength() < 64 ? Optional.of(stored.longValue()) : Optional.empty();
  }

  /** {@code column op value} for an ordered Parquet column. */
  private static <T extends Comparable<T>, C extends Column<T> & SupportsLtGt> FilterPredicate ordered(C col,
      Operator op, T v) {
    return switch (op) {
      case EQ -> FilterApi.eq(col, v);
      case NE -> FilterApi.notEq(col, v);
      case LT -> FilterApi.lt(col, v);
      case LE -> FilterApi.ltEq(col, v);
      case GT -> FilterApi.gt(col, v);
      default -> FilterApi.gtEq(col, v);
    };
  }
}
