package io.datashard;

import io.datashard.Expression.Call;
import io.datashard.Expression.Column;
import io.datashard.Expression.Literal;
import io.datashard.Expression.Operator;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Factory methods for {@link Expression}s. Methods taking a {@code String column} and an {@code
 * Object value} compare a column with a literal; the others combine expressions.
 *
 * <pre>{@code
 * import static io.datashard.Expressions.*;
 * Expression e = and(equal("id", 5L), or(isNull("deleted"), greaterThan("score", 0.5)));
 * Expression inc = add(column("balance"), literal(100));
 * }</pre>
 */
public final class Expressions {
  private Expressions() {}

  /** A column; a dotted name refers to a nested struct field ({@code loc.lat}). */
  public static Column column(String dottedName) {
    return new Column(List.of(dottedName.split("\\.", -1)));
  }

  /** A column or nested field given as separate name parts (for names containing dots). */
  public static Column columnPath(String... path) {
    return new Column(List.of(path));
  }

  /**
   * A literal whose type is inferred from its Java class: String, Long, Integer, Short, Byte, Float,
   * Double, Boolean, BigDecimal, byte[], LocalDate, Instant (timestamp), LocalDateTime
   * (timestamp_ntz); null is an untyped null.
   *
   * @throws IllegalArgumentException for other classes
   */
  public static Literal literal(Object value) {
    return new Literal(value, typeOf(value));
  }

  private static DataType typeOf(Object v) {
    if (v == null || v instanceof String) {
      return PrimitiveType.STRING;
    }
    if (v instanceof Long) return PrimitiveType.LONG;
    if (v instanceof Integer) return PrimitiveType.INTEGER;
    if (v instanceof Short) return PrimitiveType.SHORT;
    if (v instanceof Byte) return PrimitiveType.BYTE;
    if (v instanceof Float) return PrimitiveType.FLOAT;
    if (v instanceof Double) return PrimitiveType.DOUBLE;
    if (v instanceof Boolean) return PrimitiveType.BOOLEAN;
    if (v instanceof byte[]) return PrimitiveType.BINARY;
    if (v instanceof LocalDate) return PrimitiveType.DATE;
    if (v instanceof Instant) return PrimitiveType.TIMESTAMP;
    if (v instanceof LocalDateTime) return PrimitiveType.TIMESTAMP_NTZ;
    if (v instanceof BigDecimal d) {
      int scale = Math.max(d.scale(), 0);
      BigDecimal scaled = d.setScale(scale);
      return new DecimalType(Math.max(Math.max(scaled.precision(), scale), 1), scale);
    }
    throw new IllegalArgumentException("no literal type for " + v.getClass().getName());
  }

  private static Expression value(Object v) {
    return v instanceof Expression e ? e : literal(v);
  }

  private static Call call(Operator op, Expression... args) {
    return new Call(op, List.of(args));
  }

  /** {@code column = value}. */
  public static Call equal(String column, Object value) {
    return call(Operator.EQ, column(column), value(value));
  }

  /** {@code a = b}. */
  public static Call equal(Expression a, Expression b) {
    return call(Operator.EQ, a, b);
  }

  /** {@code column <> value}. */
  public static Call notEqual(String column, Object value) {
    return call(Operator.NE, column(column), value(value));
  }

  /** {@code column < value}. */
  public static Call lessThan(String column, Object value) {
    return call(Operator.LT, column(column), value(value));
  }

  /** {@code column <= value}. */
  public static Call lessThanOrEqual(String column, Object value) {
    return call(Operator.LE, column(column), value(value));
  }

  /** {@code column > value}. */
  public static Call greaterThan(String column, Object value) {
    return call(Operator.GT, column(column), value(value));
  }

  /** {@code column >= value}. */
  public static Call greaterThanOrEqual(String column, Object value) {
    return call(Operator.GE, column(column), value(value));
  }

  /** A comparison or other operator applied to expressions. */
  public static Call apply(Operator operator, Expression... arguments) {
    return call(operator, arguments);
  }

  /** {@code a AND b AND ...}. */
  public static Call and(Expression first, Expression second, Expression... more) {
    return call(Operator.AND, concat(first, second, more));
  }

  /** {@code a OR b OR ...}. */
  public static Call or(Expression first, Expression second, Expression... more) {
    return call(Operator.OR, concat(first, second, more));
  }

  private static Expression[] concat(Expression first, Expression second, Expression[] more) {
    Expression[] all = new Expression[2 + more.length];
    all[0] = first;
    all[1] = second;
    System.arraycopy(more, 0, all, 2, more.length);
    return all;
  }

  /** {@code NOT e}. */
  public static Call not(Expression e) {
    return call(Operator.NOT, e);
  }

  /** {@code column IS NULL}. */
  public static Call isNull(String column) {
    return call(Operator.IS_NULL, column(column));
  }

  /** {@code column IS NOT NULL}. */
  public static Call isNotNull(String column) {
    return call(Operator.IS_NOT_NULL, column(column));
  }

  /** {@code column IN (values...)}. */
  public static Call in(String column, Object... values) {
    List<Expression> args = new ArrayList<>();
    args.add(column(column));
    for (Object v : values) {
      args.add(value(v));
    }
    return new Call(Operator.IN, args);
  }

  /** {@code column BETWEEN low AND high}, inclusive. */
  public static Call between(String column, Object low, Object high) {
    return call(Operator.BETWEEN, column(column), value(low), value(high));
  }

  /** {@code column LIKE pattern} ({@code %} any run, {@code _} one character, {@code \} escapes). */
  public static Call like(String column, String pattern) {
    return call(Operator.LIKE, column(column), literal(pattern));
  }

  /** {@code a + b}; a non-Expression argument is a literal. */
  public static Call add(Object a, Object b) {
    return call(Operator.ADD, value(a), value(b));
  }

  /** {@code a - b}. */
  public static Call subtract(Object a, Object b) {
    return call(Operator.SUBTRACT, value(a), value(b));
  }

  /** {@code a * b}. */
  public static Call multiply(Object a, Object b) {
    return call(Operator.MULTIPLY, value(a), value(b));
  }

  /** {@code a / b} (integer division for integral operands). */
  public static Call divide(Object a, Object b) {
    return call(Operator.DIVIDE, value(a), value(b));
  }

  /** {@code a % b}. */
  public static Call modulo(Object a, Object b) {
    return call(Operator.MODULO, value(a), value(b));
  }

  /** {@code a || b || ...}. */
  public static Call concatenate(Object first, Object second, Object... more) {
    List<Expression> args = new ArrayList<>(List.of(value(first), value(second)));
    for (Object m : more) {
      args.add(value(m));
    }
    return new Call(Operator.CONCAT, args);
  }

  /** {@code COALESCE(a, b, ...)}. */
  public static Call coalesce(Object first, Object... more) {
    List<Expression> args = new ArrayList<>(List.of(value(first)));
    for (Object m : more) {
      args.add(value(m));
    }
    return new Call(Operator.COALESCE, args);
  }

  /** The always-true predicate (a {@code where} that matches every row). */
  public static Literal alwaysTrue() {
    return new Literal(Boolean.TRUE, PrimitiveType.BOOLEAN);
  }
}
