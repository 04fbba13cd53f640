package io.datashard.internal.expr;

import io.datashard.DataType;
import io.datashard.DecimalType;
import io.datashard.Expression;
import io.datashard.Expression.Call;
import io.datashard.Expression.Column;
import io.datashard.Expression.Literal;
import io.datashard.Expression.Operator;
import io.datashard.InvalidExpressionException;
import io.datashard.PrimitiveType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import net.sf.jsqlparser.expression.BooleanValue;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.DateTimeLiteralExpression;
import net.sf.jsqlparser.expression.DateValue;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.HexValue;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.Parenthesis;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.TimestampValue;
import net.sf.jsqlparser.expression.operators.arithmetic.Addition;
import net.sf.jsqlparser.expression.operators.arithmetic.Concat;
import net.sf.jsqlparser.expression.operators.arithmetic.Division;
import net.sf.jsqlparser.expression.operators.arithmetic.Modulo;
import net.sf.jsqlparser.expression.operators.arithmetic.Multiplication;
import net.sf.jsqlparser.expression.operators.arithmetic.Subtraction;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.GreaterThan;
import net.sf.jsqlparser.expression.operators.relational.GreaterThanEquals;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsBooleanExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.expression.operators.relational.MinorThan;
import net.sf.jsqlparser.expression.operators.relational.MinorThanEquals;
import net.sf.jsqlparser.expression.operators.relational.NotEqualsTo;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.parser.ParseException;
import net.sf.jsqlparser.parser.Token;
import net.sf.jsqlparser.parser.TokenMgrException;

/**
 * Parses the expression text form with JSqlParser and maps its tree onto {@link Expression}; also
 * renders expressions back to text. Constructs JSqlParser accepts but DataShard does not evaluate
 * (subqueries, CASE, casts, other functions) are refused by name.
 */
public final class ExpressionParser {
  private static final DateTimeFormatter TIMESTAMP_TEXT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

  private ExpressionParser() {}

  /** Parses the text form. @throws InvalidExpressionException naming the position of a syntax error */
  public static Expression parse(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidExpressionException("empty expression");
    }
    // Parse the longest expression, then require the end of input, so that an error can name the
    // position where the valid text ends.
    net.sf.jsqlparser.expression.Expression tree;
    CCJSqlParser parser = CCJSqlParserUtil.newParser(text);
    try {
      tree = parser.Expression();
    } catch (ParseException e) {
      Token bad = e.currentToken != null && e.currentToken.next != null ? e.currentToken.next : e.currentToken;
      throw unexpected(text, bad);
    } catch (TokenMgrException e) {
      throw new InvalidExpressionException("syntax error in expression \"" + text + "\": " + firstLine(e.getMessage()));
    }
    Token next = parser.getNextToken();
    if (next.kind != 0) {
      throw unexpected(text, next);
    }
    return convert(tree, text);
  }

  private static InvalidExpressionException unexpected(String text, Token bad) {
    if (bad == null) {
      return new InvalidExpressionException("syntax error in expression \"" + text + "\"");
    }
    String found = bad.image == null || bad.image.isEmpty() ? "end of input" : "'" + bad.image + "'";
    return new InvalidExpressionException("syntax error in expression \"" + text + "\": unexpected " + found,
        offset(text, bad.beginLine, bad.beginColumn));
  }

  private static int offset(String text, int line, int column) {
    int pos = 0;
    for (int l = 1; l < line && pos >= 0; l++) {
      pos = text.indexOf('\n', pos) + 1;
    }
    return Math.max(0, Math.min(text.length(), pos + column - 1));
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "invalid";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static Expression convert(net.sf.jsqlparser.expression.Expression e, String text) {
    if (e instanceof Parenthesis p) {
      return convert(p.getExpression(), text);
    }
    if (e instanceof ExpressionList<?> list && list.size() == 1) {
      return convert(list.get(0), text); // a parenthesized expression
    }
    if (e instanceof net.sf.jsqlparser.schema.Column c) {
      return column(c);
    }
    if (e instanceof LongValue v) {
      BigInteger big = v.getBigIntegerValue();
      if (big.bitLength() < 32) {
        return new Literal(big.intValue(), PrimitiveType.INTEGER);
      }
      if (big.bitLength() < 64) {
        return new Literal(big.longValue(), PrimitiveType.LONG);
      }
      return decimal(new BigDecimal(big), text);
    }
    if (e instanceof DoubleValue v) {
      String raw = v.toString();
      if (raw.contains("e") || raw.contains("E")) {
        return new Literal(v.getValue(), PrimitiveType.DOUBLE);
      }
      return decimal(new BigDecimal(raw), text);
    }
    if (e instanceof HexValue h) {
      String hex = h.getValue().replaceAll("^[xX]'|'$", "").replaceFirst("^0[xX]", "");
      if (hex.length() % 2 != 0) {
        throw new InvalidExpressionException("binary literal " + h.getValue() + " needs an even number of hex digits in \""
            + text + "\"");
      }
      return new Literal(java.util.HexFormat.of().parseHex(hex), PrimitiveType.BINARY);
    }
    if (e instanceof StringValue v) {
      return new Literal(v.getValue().replace("''", "'"), PrimitiveType.STRING);
    }
    if (e instanceof NullValue) {
      return new Literal(null, PrimitiveType.STRING);
    }
    if (e instanceof BooleanValue v) {
      return new Literal(v.getValue(), PrimitiveType.BOOLEAN);
    }
    if (e instanceof DateTimeLiteralExpression d) {
      return dateTime(d.getType().name(), unquote(d.getValue()), text);
    }
    if (e instanceof CastExpression cast && cast.getLeftExpression() instanceof StringValue v
        && (CastExpression.isDate(cast.getColDataType()) || CastExpression.isTimeStamp(cast.getColDataType()))) {
      return dateTime(CastExpression.isDate(cast.getColDataType()) ? "DATE" : "TIMESTAMP", v.getValue(), text);
    }
    if (e instanceof DateValue d) {
      return new Literal(d.getValue().toLocalDate(), PrimitiveType.DATE);
    }
    if (e instanceof TimestampValue t) {
      return new Literal(t.getValue().toLocalDateTime().toInstant(ZoneOffset.UTC), PrimitiveType.TIMESTAMP);
    }
    if (e instanceof SignedExpression s) {
      Expression inner = convert(s.getExpression(), text);
      if (s.getSign() == '+') {
        return inner;
      }
      if (inner instanceof Literal lit && lit.value() instanceof Number) {
        return negateLiteral(lit);
      }
      return call(Operator.NEGATE, inner);
    }
    if (e instanceof AndExpression a) {
      return call(Operator.AND, convert(a.getLeftExpression(), text), convert(a.getRightExpression(), text));
    }
    if (e instanceof OrExpression o) {
      return call(Operator.OR, convert(o.getLeftExpression(), text), convert(o.getRightExpression(), text));
    }
    if (e instanceof NotExpression n) {
      if (n.getExpression() instanceof InExpression in && misassociated(in)) {
        return convert(reassociate(in, true), text);
      }
      return call(Operator.NOT, convert(n.getExpression(), text));
    }
    if (e instanceof EqualsTo b) {
      return binary(Operator.EQ, b, text);
    }
    if (e instanceof NotEqualsTo b) {
      return binary(Operator.NE, b, text);
    }
    if (e instanceof MinorThan b) {
      return binary(Operator.LT, b, text);
    }
    if (e instanceof MinorThanEquals b) {
      return binary(Operator.LE, b, text);
    }
    if (e instanceof GreaterThan b) {
      return binary(Operator.GT, b, text);
    }
    if (e instanceof GreaterThanEquals b) {
      return binary(Operator.GE, b, text);
    }
    if (e instanceof Addition b) {
      return binary(Operator.ADD, b, text);
    }
    if (e instanceof Subtraction b) {
      return binary(Operator.SUBTRACT, b, text);
    }
    if (e instanceof Multiplication b) {
      return binary(Operator.MULTIPLY, b, text);
    }
    if (e instanceof Division b) {
      return binary(Operator.DIVIDE, b, text);
    }
    if (e instanceof Modulo b) {
      return binary(Operator.MODULO, b, text);
    }
    if (e instanceof Concat b) {
      return binary(Operator.CONCAT, b, text);
    }
    if (e instanceof IsNullExpression n) {
      return call(n.isNot() ? Operator.IS_NOT_NULL : Operator.IS_NULL, convert(n.getLeftExpression(), text));
    }
    if (e instanceof IsBooleanExpression b) {
      // x IS TRUE / IS FALSE: true only for that value, never null.
      Expression x = convert(b.getLeftExpression(), text);
      Expression is = call(Operator.AND, call(Operator.IS_NOT_NULL, x),
          call(Operator.EQ, x, new Literal(b.isTrue(), PrimitiveType.BOOLEAN)));
      return b.isNot() ? call(Operator.NOT, is) : is;
    }
    if (e instanceof InExpression in && misassociated(in)) {
      return convert(reassociate(in, false), text);
    }
    if (e instanceof InExpression in) {
      List<Expression> args = new ArrayList<>();
      args.add(convert(in.getLeftExpression(), text));
      if (!(in.getRightExpression() instanceof ExpressionList<?> values)) {
        throw unsupported("IN with a subquery", text);
      }
      for (net.sf.jsqlparser.expression.Expression v : values) {
        args.add(convert(v, text));
      }
      if (args.size() < 2) {
        throw new InvalidExpressionException("IN needs at least one value in \"" + text + "\"");
      }
      Expression call = new Call(Operator.IN, args);
      return in.isNot() ? call(Operator.NOT, call) : call;
    }
    if (e instanceof Between b) {
      Expression call = call(Operator.BETWEEN, convert(b.getLeftExpression(), text),
          convert(b.getBetweenExpressionStart(), text), convert(b.getBetweenExpressionEnd(), text));
      return b.isNot() ? call(Operator.NOT, call) : call;
    }
    if (e instanceof LikeExpression l) {
      if (l.getEscape() != null || l.isCaseInsensitive() || l.getLikeKeyWord() != LikeExpression.KeyWord.LIKE) {
        throw unsupported(l.getLikeKeyWord() + (l.getEscape() != null ? " with ESCAPE" : ""), text);
      }
      Expression call = call(Operator.LIKE, convert(l.getLeftExpression(), text), convert(l.getRightExpression(), text));
      return l.isNot() ? call(Operator.NOT, call) : call;
    }
    if (e instanceof Function f) {
      String name = f.getName() == null ? "" : f.getName().toUpperCase(Locale.ROOT);
      List<Expression> args = new ArrayList<>();
      if (f.getParameters() != null) {
        for (net.sf.jsqlparser.expression.Expression p : f.getParameters()) {
          args.add(convert(p, text));
        }
      }
      Operator op = switch (name) {
        case "COALESCE" -> Operator.COALESCE;
        case "CONCAT" -> Operator.CONCAT;
        default -> throw unsupported("function " + f.getName() + "()", text);
      };
      try {
        return new Call(op, args);
      } catch (IllegalArgumentException ex) {
        throw new InvalidExpressionException(ex.getMessage() + " in \"" + text + "\"");
      }
    }
    throw unsupported(e.getClass().getSimpleName().replaceAll("(?<=[a-z])(?=[A-Z])", " ").toLowerCase(Locale.ROOT)
        + " (" + e + ")", text);
  }

  /**
   * JSqlParser 5.3 binds {@code IN} looser than {@code AND}/{@code OR}: {@code x IN (1, 2) AND y}
   * comes back as {@code x IN ((1, 2) AND y)}. Such a tree has a binary expression on the right
   * whose leftmost operand is the real value list.
   */
  private static boolean misassociated(InExpression in) {
    return in.getRightExpression() instanceof net.sf.jsqlparser.expression.BinaryExpression;
  }

  /**
   * Moves the {@code IN} (and a {@code NOT} directly around it) down to the leftmost operand of
   * the expression parsed as its list, which restores SQL precedence: {@code (x IN (1, 2)) AND y}.
   */
  private static net.sf.jsqlparser.expression.Expression reassociate(InExpression in, boolean negated) {
    net.sf.jsqlparser.expression.BinaryExpression top = (net.sf.jsqlparser.expression.BinaryExpression) in.getRightExpression();
    net.sf.jsqlparser.expression.BinaryExpression parent = top;
    while (parent.getLeftExpression() instanceof net.sf.jsqlparser.expression.BinaryExpression b) {
      parent = b;
    }
    InExpression leaf = new InExpression(in.getLeftExpression(), parent.getLeftExpression());
    leaf.setNot(in.isNot());
    parent.setLeftExpression(negated ? new NotExpression(leaf) : leaf);
    return top;
  }

  private static InvalidExpressionException unsupported(String what, String text) {
    return new InvalidExpressionException("unsupported in expressions: " + what + " in \"" + text + "\"");
  }

  private static Expression binary(Operator op, net.sf.jsqlparser.expression.BinaryExpression b, String text) {
    return call(op, convert(b.getLeftExpression(), text), convert(b.getRightExpression(), text));
  }

  private static Call call(Operator op, Expression... args) {
    return new Call(op, List.of(args));
  }

  private static Column column(net.sf.jsqlparser.schema.Column c) {
    List<String> path = new ArrayList<>();
    if (c.getTable() != null) {
      for (String part : c.getTable().getFullyQualifiedName().split("\\.")) {
        if (!part.isEmpty()) {
          path.add(unquoteName(part));
        }
      }
    }
    path.add(unquoteName(c.getColumnName()));
    return new Column(path);
  }

  private static String unquoteName(String name) {
    if (name.length() >= 2 && (name.startsWith("`") && name.endsWith("`") || name.startsWith("\"") && name.endsWith("\""))) {
      char q = name.charAt(0);
      return name.substring(1, name.length() - 1).replace("" + q + q, "" + q);
    }
    return name;
  }

  private static String unquote(String s) {
    return s.length() >= 2 && s.startsWith("'") && s.endsWith("'") ? s.substring(1, s.length() - 1) : s;
  }

  private static Literal decimal(BigDecimal d, String text) {
    BigDecimal v = d.scale() < 0 ? d.setScale(0) : d;
    int precision = Math.max(v.precision(), v.scale());
    if (precision > DecimalType.MAX_PRECISION) {
      throw new InvalidExpressionException("number " + d + " has more than 38 digits in \"" + text + "\"");
    }
    return new Literal(v, new DecimalType(Math.max(precision, 1), v.scale()));
  }

  private static Literal negateLiteral(Literal lit) {
    Object v = lit.value();
    if (v instanceof Integer i) {
      return new Literal(-i, lit.type());
    }
    if (v instanceof Long l) {
      return l == Long.MIN_VALUE ? new Literal(BigDecimal.valueOf(l).negate(), new DecimalType(19, 0)) : new Literal(-l, lit.type());
    }
    if (v instanceof Double d) {
      return new Literal(-d, lit.type());
    }
    BigDecimal d = ((BigDecimal) v).negate();
    if (d.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) == 0) {
      return new Literal(Long.MIN_VALUE, PrimitiveType.LONG);
    }
    return new Literal(d, lit.type());
  }

  private static Literal dateTime(String kind, String value, String text) {
    try {
      switch (kind) {
        case "DATE":
          return new Literal(LocalDate.parse(value.trim()), PrimitiveType.DATE);
        case "TIMESTAMP":
        case "TIMESTAMPTZ":
          return new Literal(Literals.parseInstant(value.trim()), PrimitiveType.TIMESTAMP);
        default:
          throw unsupported(kind + " literal", text);
      }
    } catch (DateTimeParseException ex) {
      throw new InvalidExpressionException("invalid " + kind + " literal '" + value + "' in \"" + text + "\"");
    }
  }

  /** The text form of a literal. */
  public static String literalText(Object value, DataType type) {
    if (value == null) {
      return "NULL";
    }
    if (value instanceof String s) {
      return "'" + s.replace("'", "''") + "'";
    }
    if (value instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (value instanceof LocalDate d) {
      return "DATE '" + d + "'";
    }
    if (value instanceof Instant i) {
      return "TIMESTAMP '" + TIMESTAMP_TEXT.format(LocalDateTime.ofInstant(i, ZoneOffset.UTC)) + "Z'";
    }
    if (value instanceof LocalDateTime t) {
      return "'" + TIMESTAMP_TEXT.format(t) + "'";
    }
    if (value instanceof byte[] b) {
      return "X'" + java.util.HexFormat.of().formatHex(b) + "'";
    }
    if (value instanceof Boolean b) {
      return b ? "TRUE" : "FALSE";
    }
    if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
      return "'" + d + "'";
    }
    return value.toString();
  }

  /** The text form of a call, fully parenthesized where precedence could matter. */
  public static String callText(Call c) {
    List<String> a = c.arguments().stream().map(Expression::toText).collect(Collectors.toList());
    return switch (c.operator()) {
      case EQ -> infix(a, " = ");
      case NE -> infix(a, " <> ");
      case LT -> infix(a, " < ");
      case LE -> infix(a, " <= ");
      case GT -> infix(a, " > ");
      case GE -> infix(a, " >= ");
      case AND -> infix(a, " AND ");
      case OR -> infix(a, " OR ");
      case NOT -> "(NOT " + a.get(0) + ")";
      case IS_NULL -> "(" + a.get(0) + " IS NULL)";
      case IS_NOT_NULL -> "(" + a.get(0) + " IS NOT NULL)";
      case IN -> "(" + a.get(0) + " IN (" + String.join(", ", a.subList(1, a.size())) + "))";
      case BETWEEN -> "(" + a.get(0) + " BETWEEN " + a.get(1) + " AND " + a.get(2) + ")";
      case LIKE -> infix(a, " LIKE ");
      case ADD -> infix(a, " + ");
      case SUBTRACT -> infix(a, " - ");
      case MULTIPLY -> infix(a, " * ");
      case DIVIDE -> infix(a, " / ");
      case MODULO -> infix(a, " % ");
      case NEGATE -> "(-" + a.get(0) + ")";
      case CONCAT -> infix(a, " || ");
      case COALESCE -> "COALESCE(" + String.join(", ", a) + ")";
    };
  }

  private static String infix(List<String> args, String op) {
    return "(" + String.join(op, args) + ")";
  }
}
