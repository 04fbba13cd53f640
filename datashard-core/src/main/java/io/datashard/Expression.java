package io.datashard;

import io.datashard.internal.expr.ExpressionParser;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A SQL-like expression over a row's columns: a predicate for {@code where} clauses or a value for
 * {@code set col = ...} assignments. Build one with {@link Expressions} or parse the text form:
 *
 * <pre>{@code
 * Expression where = Expression.parse("id = 5 AND status IN ('a', 'b')");
 * Expression same = Expressions.and(Expressions.equal("id", 5), Expressions.in("status", "a", "b"));
 * }</pre>
 *
 * <p>Semantics follow SQL: comparisons with null are unknown (null), {@code AND}/{@code OR}/{@code
 * NOT} use three-valued logic, and a {@code where} clause keeps only rows for which it is true.
 * Numeric operands are promoted to the wider type; integer arithmetic that overflows its type is an
 * error, not a wrap-around. Expressions are immutable values; type errors are reported when an
 * expression is first used against a table's schema.
 */
public sealed interface Expression permits Expression.Column, Expression.Literal, Expression.Call {

  /**
   * Parses the text form: column names (nested as {@code loc.lat}, quoted with double quotes or
   * backticks), literals ({@code 5}, {@code 1.5}, {@code 'text'}, {@code TRUE}, {@code NULL},
   * {@code DATE '2024-01-02'}, {@code TIMESTAMP '2024-01-02 03:04:05'}), {@code + - * / %},
   * {@code ||}, {@code = <> != < <= > >=}, {@code AND OR NOT}, {@code IN (...)}, {@code BETWEEN},
   * {@code IS [NOT] NULL}, {@code [NOT] LIKE}, {@code COALESCE(...)} and {@code CONCAT(...)}.
   *
   * @throws InvalidExpressionException naming the position of a syntax error
   */
  static Expression parse(String text) {
    return ExpressionParser.parse(text);
  }

  /** The expression in the text form accepted by {@link #parse(String)}. */
  String toText();

  /**
   * A reference to a column, or to a field nested in struct columns.
   *
   * @param path the column name followed by nested field names; not empty
   */
  record Column(List<String> path) implements Expression {
    /** Validates and copies. */
    public Column {
      path = List.copyOf(path);
      if (path.isEmpty()) {
        throw new IllegalArgumentException("a column reference needs a name");
      }
    }

    /** The dotted name, e.g. {@code loc.lat}. */
    public String name() {
      return String.join(".", path);
    }

    @Override
    public String toText() {
      return path.stream().map(Column::quote).collect(Collectors.joining("."));
    }

    private static String quote(String part) {
      return part.matches("[A-Za-z_][A-Za-z0-9_]*") ? part : "`" + part.replace("`", "``") + "`";
    }

    @Override
    public String toString() {
      return toText();
    }
  }

  /**
   * A constant. The value is null or one of the Java types a column of {@code type} holds (see
   * {@link PrimitiveType}); {@link Expressions#literal(Object)} infers the type.
   *
   * @param value the constant, or null
   * @param type its type; for a null literal, the type it is typed as (usually inferred from context)
   */
  record Literal(Object value, DataType type) implements Expression {
    /** Validates. */
    public Literal {
      Objects.requireNonNull(type, "type");
    }

    @Override
    public String toText() {
      return ExpressionParser.literalText(value, type);
    }

    @Override
    public String toString() {
      return toText();
    }
  }

  /**
   * An operator applied to arguments.
   *
   * @param operator the operator
   * @param arguments its arguments, as many as the operator takes
   */
  record Call(Operator operator, List<Expression> arguments) implements Expression {
    /** Validates the argument count and copies. */
    public Call {
      Objects.requireNonNull(operator, "operator");
      arguments = List.copyOf(arguments);
      if (arguments.size() < operator.minArguments()
          || (operator.maxArguments() >= 0 && arguments.size() > operator.maxArguments())) {
        throw new IllegalArgumentException(operator + " takes " + operator.arity() + " arguments, got " + arguments.size());
      }
    }

    @Override
    public String toText() {
      return ExpressionParser.callText(this);
    }

    @Override
    public String toString() {
      return toText();
    }
  }

  /** The operators of {@link Call}. */
  enum Operator {
    /** {@code a = b}. */
    EQ(2, 2),
    /** {@code a <> b}. */
    NE(2, 2),
    /** {@code a < b}. */
    LT(2, 2),
    /** {@code a <= b}. */
    LE(2, 2),
    /** {@code a > b}. */
    GT(2, 2),
    /** {@code a >= b}. */
    GE(2, 2),
    /** {@code a AND b AND ...}. */
    AND(2, -1),
    /** {@code a OR b OR ...}. */
    OR(2, -1),
    /** {@code NOT a}. */
    NOT(1, 1),
    /** {@code a IS NULL}. */
    IS_NULL(1, 1),
    /** {@code a IS NOT NULL}. */
    IS_NOT_NULL(1, 1),
    /** {@code a IN (b, c, ...)}: the first argument, then the list. */
    IN(2, -1),
    /** {@code a BETWEEN b AND c} (inclusive). */
    BETWEEN(3, 3),
    /** {@code a LIKE pattern} with {@code %} and {@code _} wildcards and {@code \} as escape. */
    LIKE(2, 2),
    /** {@code a + b}. */
    ADD(2, 2),
    /** {@code a - b}. */
    SUBTRACT(2, 2),
    /** {@code a * b}. */
    MULTIPLY(2, 2),
    /** {@code a / b}: integer division for integral operands, as in SQL. */
    DIVIDE(2, 2),
    /** {@code a % b}. */
    MODULO(2, 2),
    /** {@code -a}. */
    NEGATE(1, 1),
    /** {@code a || b || ...}: string concatenation (numbers and dates are converted to text). */
    CONCAT(2, -1),
    /** {@code COALESCE(a, b, ...)}: the first non-null argument. */
    COALESCE(1, -1);

    private final int min;
    private final int max;

    Operator(int min, int max) {
      this.min = min;
      this.max = max;
    }

    /** The fewest arguments. */
    public int minArguments() {
      return min;
    }

    /** The most arguments, or -1 for no limit. */
    public int maxArguments() {
      return max;
    }

    String arity() {
      return max < 0 ? "at least " + min : min == max ? String.valueOf(min) : min + ".." + max;
    }
  }
}
