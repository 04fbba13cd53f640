package io.datashard.internal.table;

import io.datashard.DataType;
import io.datashard.DecimalType;
import io.datashard.ExpressionEvaluationException;
import io.datashard.InvalidExpressionException;
import io.datashard.PrimitiveType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Converts the value of an assignment ({@code set col = expr}) to the column's type, SQL-style:
 * integers must fit, decimals are rounded half-up to the column's scale and must fit its precision,
 * floating-point columns take any number. Anything else must already be of the column's type.
 */
final class Assignments {
  private Assignments() {}

  /** @throws InvalidExpressionException if no value of {@code from} can be stored in {@code to} */
  static void checkAssignable(DataType from, DataType to, String column) {
    if (from == null || from.equals(to)) {
      return;
    }
    if (isNumeric(from) && isNumeric(to)) {
      if (isIntegral(to) && !isIntegral(from)) {
        throw new InvalidExpressionException("column '" + column + "' is " + to.toText() + " but the value is "
            + from.toText() + "; integer columns take integer values only");
      }
      return;
    }
    if (to instanceof DecimalType && from instanceof DecimalType) {
      return;
    }
    throw new InvalidExpressionException("column '" + column + "' is " + to.toText() + " but the value is "
        + from.toText());
  }

  /** The value converted to the column type. @throws ExpressionEvaluationException if it does not fit */
  static Object convert(Object v, DataType to, String column) {
    if (v == null || !(v instanceof Number n) || !isNumeric(to)) {
      return v;
    }
    if (to == PrimitiveType.DOUBLE) {
      return n.doubleValue();
    }
    if (to == PrimitiveType.FLOAT) {
      return n.floatValue();
    }
    if (to instanceof DecimalType d) {
      BigDecimal b = n instanceof BigDecimal bd ? bd : n instanceof Double || n instanceof Float
          ? new BigDecimal(n.toString()) : BigDecimal.valueOf(n.longValue());
      BigDecimal scaled = b.setScale(d.scale(), RoundingMode.HALF_UP);
      if (scaled.precision() - scaled.scale() > d.precision() - d.scale()) {
        throw new ExpressionEvaluationException("value " + b.toPlainString() + " overflows column '" + column + "' of type "
            + d.toText());
      }
      return scaled;
    }
    BigInteger i = n instanceof BigDecimal bd ? bd.toBigIntegerExact() : BigInteger.valueOf(n.longValue());
    long min = to == PrimitiveType.BYTE ? Byte.MIN_VALUE : to == PrimitiveType.SHORT ? Short.MIN_VALUE
        : to == PrimitiveType.INTEGER ? Integer.MIN_VALUE : Long.MIN_VALUE;
    long max = to == PrimitiveType.BYTE ? Byte.MAX_VALUE : to == PrimitiveType.SHORT ? Short.MAX_VALUE
        : to == PrimitiveType.INTEGER ? Integer.MAX_VALUE : Long.MAX_VALUE;
    if (i.compareTo(BigInteger.valueOf(min)) < 0 || i.compareTo(BigInteger.valueOf(max)) > 0) {
      throw new ExpressionEvaluationException("value " + i + " overflows column '" + column + "' of type " + to.toText());
    }
    long l = i.longValue();
    if (to == PrimitiveType.LONG) return l;
    if (to == PrimitiveType.INTEGER) return (int) l;
    if (to == PrimitiveType.SHORT) return (short) l;
    return (byte) l;
  }

  private static boolean isNumeric(DataType t) {
    return t instanceof DecimalType || isIntegral(t) || t == PrimitiveType.FLOAT || t == PrimitiveType.DOUBLE;
  }

  private static boolean isIntegral(DataType t) {
    return t == PrimitiveType.LONG || t == PrimitiveType.INTEGER || t == PrimitiveType.SHORT || t == PrimitiveType.BYTE;
  }
}
