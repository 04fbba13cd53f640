package io.datashard.internal.expr;

import static io.datashard.Expressions.add;
import static io.datashard.Expressions.and;
import static io.datashard.Expressions.column;
import static io.datashard.Expressions.equal;
import static io.datashard.Expressions.in;
import static io.datashard.Expressions.literal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datashard.Expression;
import io.datashard.ExpressionEvaluationException;
import io.datashard.InvalidExpressionException;
import io.datashard.Row;
import io.datashard.Schema;
import io.datashard.StructType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class ExpressionTest {
  private static final StructType SCHEMA = Schema.parse("id long not null, n integer, status string, price decimal(10,2),"
      + " score double, day date, ts timestamp, ok boolean, loc struct<lat double, city string>, b byte").asStruct();
  private static final StructType LOC = (StructType) SCHEMA.field("loc").orElseThrow().type();

  private static Object[] row(long id, Integer n, String status, String price, Double score) {
    return new Object[] {id, n, status, price == null ? null : new BigDecimal(price), score, LocalDate.of(2024, 1, 2),
        Instant.parse("2024-01-02T03:04:05Z"), true, Row.of(LOC, 1.5, "Berlin"), (byte) 100};
  }

  private static Object eval(String text, Object[] row) {
    return BoundExpression.bind(Expression.parse(text), SCHEMA).eval(row);
  }

  @Test
  void parsesAndEvaluatesTheDocumentedForm() {
    Object[] r = row(5, 3, "b", "9.99", 0.5);
    assertThat(eval("id = 5 AND status IN ('a','b')", r)).isEqualTo(true);
    assertThat(eval("id <> 5 OR status NOT IN ('a','b')", r)).isEqualTo(false);
    assertThat(eval("n BETWEEN 1 AND 3", r)).isEqualTo(true);
    assertThat(eval("status LIKE 'b%'", r)).isEqualTo(true);
    assertThat(eval("status NOT LIKE '_x'", r)).isEqualTo(true);
    assertThat(eval("price * 2", r)).isEqualTo(new BigDecimal("19.98"));
    assertThat(eval("price + 1", r)).isEqualTo(new BigDecimal("10.99"));
    assertThat(eval("id + n * 2", r)).isEqualTo(11L);
    assertThat(eval("n / 2", r)).isEqualTo(1);
    assertThat(eval("-n % 2", r)).isEqualTo(-1);
    assertThat(eval("score * 4", r)).isEqualTo(2.0);
    assertThat(eval("'id-' || id || status", r)).isEqualTo("id-5b");
    assertThat(eval("concat(status, 'x')", r)).isEqualTo("bx");
    assertThat(eval("COALESCE(NULL, n, 7)", r)).isEqualTo(3);
    assertThat(eval("loc.lat > 1 AND loc.city = 'Berlin'", r)).isEqualTo(true);
    assertThat(eval("day = '2024-01-02' AND day < DATE '2025-01-01'", r)).isEqualTo(true);
    assertThat(eval("ts >= '2024-01-02 03:04:05' AND ts < TIMESTAMP '2024-01-02T03:04:06Z'", r)).isEqualTo(true);
    assertThat(eval("ok = TRUE AND ok IS TRUE AND NOT (ok IS FALSE)", r)).isEqualTo(true);
    assertThat(eval("price > 9.989", r)).isEqualTo(true);
    assertThat(eval("\"status\" = 'b' AND `id` = 5", r)).isEqualTo(true);
    // IN next to AND/OR/NOT keeps SQL precedence (JSqlParser binds IN loosely; we re-associate).
    assertThat(Expression.parse("id IN (1, 5) AND n > 0")).isEqualTo(Expression.parse("(id IN (1, 5)) AND (n > 0)"));
    assertThat(Expression.parse("id IN (1) OR n > 0 AND n < 2"))
        .isEqualTo(Expression.parse("(id IN (1)) OR ((n > 0) AND (n < 2))"));
    assertThat(Expression.parse("NOT id IN (1) OR n = 3")).isEqualTo(Expression.parse("(NOT (id IN (1))) OR (n = 3)"));
    assertThat(Expression.parse("id NOT IN (1, 2) AND n = 3")).isEqualTo(Expression.parse("(id NOT IN (1, 2)) AND (n = 3)"));
    assertThat(eval("id IN (1, 5) AND n > 100", r)).isEqualTo(false);
    assertThat(eval("id IN (1, 2) OR n = 3", r)).isEqualTo(true);
  }

  @Test
  void binaryLiteralsInHex() {
    StructType schema = Schema.parse("bin binary").asStruct();
    Object[] row = {new byte[] {0x0a, (byte) 0xff}};
    assertThat(BoundExpression.bind(Expression.parse("bin = X'0aFF'"), schema).eval(row)).isEqualTo(true);
    assertThat(BoundExpression.bind(Expression.parse("bin > x'0a'"), schema).eval(row)).isEqualTo(true);
    Expression lit = io.datashard.Expressions.literal(new byte[] {1, 2});
    assertThat(lit.toText()).isEqualTo("X'0102'");
    assertThat(((io.datashard.Expression.Literal) Expression.parse(lit.toText())).value()).isEqualTo(new byte[] {1, 2});
    assertThatThrownBy(() -> Expression.parse("bin = X'abc'")).isInstanceOf(InvalidExpressionException.class)
        .hasMessageContaining("even number");
  }

  @Test
  void threeValuedLogic() {
    Object[] r = row(1, null, null, null, null);
    assertThat(eval("n = 1", r)).isNull();
    assertThat(eval("n = 1 AND id = 2", r)).isEqualTo(false);
    assertThat(eval("n = 1 AND id = 1", r)).isNull();
    assertThat(eval("n = 1 OR id = 1", r)).isEqualTo(true);
    assertThat(eval("n = 1 OR id = 2", r)).isNull();
    assertThat(eval("NOT (n = 1)", r)).isNull();
    assertThat(eval("n IS NULL AND status IS NULL", r)).isEqualTo(true);
    assertThat(eval("n IN (1, NULL)", r)).isNull();
    assertThat(eval("id IN (2, NULL)", r)).isNull();
    assertThat(eval("id IN (1, NULL)", r)).isEqualTo(true);
    assertThat(eval("n + 1", r)).isNull();
    assertThat(eval("status || 'x'", r)).isNull();
    assertThat(BoundExpression.bindPredicate(Expression.parse("n = 1"), SCHEMA).test(r)).isFalse();
  }

  @Test
  void arithmeticErrorsAreReportedNotWrapped() {
    Object[] r = row(Long.MAX_VALUE, Integer.MAX_VALUE, "a", "1.00", 1.0);
    assertThatThrownBy(() -> eval("id + 1", r)).isInstanceOf(ExpressionEvaluationException.class)
        .hasMessageContaining("overflow").hasMessageContaining("id + 1");
    assertThatThrownBy(() -> eval("n + 1", r)).isInstanceOf(ExpressionEvaluationException.class)
        .hasMessageContaining("integer overflow");
    assertThatThrownBy(() -> eval("b * b", r)).isInstanceOf(ExpressionEvaluationException.class)
        .hasMessageContaining("byte overflow");
    assertThatThrownBy(() -> eval("id / 0", r)).isInstanceOf(ExpressionEvaluationException.class)
        .hasMessageContaining("division by zero");
    assertThatThrownBy(() -> eval("price / 0", r)).isInstanceOf(ExpressionEvaluationException.class)
        .hasMessageContaining("division by zero");
    assertThat(eval("n + id", new Object[] {1L, 1, null, null, null, null, null, null, null, null})).isEqualTo(2L);
  }

  @Test
  void typeAndNameErrorsAtBindTime() {
    assertThatThrownBy(() -> eval("status + 1", row(1, 1, "a", "1", 1.0)))
        .isInstanceOf(InvalidExpressionException.class).hasMessageContaining("needs numbers");
    assertThatThrownBy(() -> eval("nope = 1", row(1, 1, "a", "1", 1.0)))
        .isInstanceOf(InvalidExpressionException.class).hasMessageContaining("unknown column 'nope'");
    assertThatThrownBy(() -> eval("loc.zip = 1", row(1, 1, "a", "1", 1.0)))
        .isInstanceOf(InvalidExpressionException.class).hasMessageContaining("'loc' has no field 'zip'");
    assertThatThrownBy(() -> eval("status = 1", row(1, 1, "a", "1", 1.0)))
        .isInstanceOf(InvalidExpressionException.class).hasMessageContaining("cannot combine a string with a integer");
    assertThatThrownBy(() -> eval("day = 'tomorrow'", row(1, 1, "a", "1", 1.0)))
        .isInstanceOf(InvalidExpressionException.class).hasMessageContaining("not a valid date");
    assertThatThrownBy(() -> BoundExpression.bindPredicate(Expression.parse("id + 1"), SCHEMA))
        .isInstanceOf(InvalidExpressionException.class).hasMessageContaining("must be true or false");
    assertThatThrownBy(() -> eval("ok AND n", row(1, 1, "a", "1", 1.0)))
        .isInstanceOf(InvalidExpressionException.class).hasMessageContaining("true/false");
  }

  @Test
  void syntaxErrorsNameThePosition() {
    assertThatThrownBy(() -> Expression.parse("id = 5 AND AND x"))
        .isInstanceOf(InvalidExpressionException.class).hasMessageContaining("syntax error")
        .satisfies(e -> assertThat(((InvalidExpressionException) e).position()).isEqualTo(7));
    assertThatThrownBy(() -> Expression.parse("id = (5"))
        .isInstanceOf(InvalidExpressionException.class).hasMessageContaining("position");
    assertThatThrownBy(() -> Expression.parse("upper(name) = 'A'"))
        .isInstanceOf(InvalidExpressionException.class).hasMessageContaining("function upper()");
    assertThatThrownBy(() -> Expression.parse(" "))
        .isInstanceOf(InvalidExpressionException.class).hasMessageContaining("empty");
  }

  @Test
  void builderAndTextFormAgree() {
    Expression built = and(equal("id", 5), in("status", "a", "b"));
    Expression parsed = Expression.parse("id = 5 AND status IN ('a','b')");
    assertThat(built).isEqualTo(parsed);
    assertThat(Expression.parse(built.toText())).isEqualTo(built);
    Expression inc = add(column("price"), literal(new BigDecimal("100.5")));
    assertThat(Expression.parse(inc.toText())).isEqualTo(inc);
    assertThat(Expression.parse("'it''s'")).isEqualTo(literal("it's"));
    assertThat(Expression.parse(literal("it's").toText())).isEqualTo(literal("it's"));
  }
}
