package io.datashard.internal.expr;

import io.datashard.ArrayType;
import io.datashard.DataType;
import io.datashard.DecimalType;
import io.datashard.Expression;
import io.datashard.Expression.Call;
import io.datashard.Expression.Column;
import io.datashard.Expression.Literal;
import io.datashard.Expression.Operator;
import io.datashard.ExpressionEvaluationException;
import io.datashard.Field;
import io.datashard.InvalidExpressionException;
import io.datashard.MapType;
import io.datashard.PrimitiveType;
import io.datashard.Row;
import io.datashard.StructType;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An expression bound to a schema: column references resolved to positions, operand types checked
 * and promoted, literals converted. Evaluates against a row given as an {@code Object[]} in schema
 * order, whose nested structs are {@link Row}s or {@code Object[]}s. Immutable and thread-safe.
 */
public final class BoundExpression {
  private final Expression source;
  private final Node root;
  private final Set<List<String>> columns;

  private BoundExpression(Expression source, Node root, Set<List<String>> columns) {
    this.source = source;
    this.root = root;
    this.columns = columns;
  }

  /**
   * Binds a value expression.
   *
   * @throws InvalidExpressionException for unknown columns and type errors
   */
  public static BoundExpression bind(Expression e, StructType schema) {
    Set<List<String>> columns = new LinkedHashSet<>();
    Node root = new Binder(schema, columns, e).bind(e);
    return new BoundExpression(e, root, columns);
  }

  /** Binds a predicate: like {@link #bind}, and the result must be boolean. */
  public static BoundExpression bindPredicate(Expression e, StructType schema) {
    BoundExpression b = bind(e, schema);
    if (b.root.type != null && b.root.type != PrimitiveType.BOOLEAN) {
      throw new InvalidExpressionException("a condition must be true or false, but \"" + e.toText() + "\" is a "
          + b.root.type.toText());
    }
    return b;
  }

  /** The expression this was bound from. */
  public Expression source() {
    return source;
  }

  /** The result type, or null for an expression that is always null. */
  public DataType type() {
    return root.type;
  }

  /** The column paths the expression reads. */
  public Set<List<String>> columns() {
    return columns;
  }

  /**
   * Evaluates on a row.
   *
   * @throws ExpressionEvaluationException on division by zero or overflow (naming the expression)
   */
  public Object eval(Object[] row) {
    try {
      return root.eval(row);
    } catch (ArithmeticException e) {
      throw new ExpressionEvaluationException("evaluating \"" + source.toText() + "\": " + e.getMessage());
    }
  }

  /** True if the predicate is true for the row (false and unknown both mean no). */
  public boolean test(Object[] row) {
    return Boolean.TRUE.equals(eval(row));
  }

  /**
   * Whether some row of a file with these statistics could make the predicate true. Conservative:
   * false only when the statistics prove that no row matches.
   */
  public boolean canMatch(FileStatistics stats) {
    return root.truth(stats).canBeTrue();
  }

  /**
   * Rewrites the predicate into a storage-level filter that may keep rows the predicate rejects but
   * never rejects a row it keeps: AND arguments that cannot be rewritten are dropped; an OR is kept
   * only if all its arguments can be; NOT and computed values are never rewritten.
   *
   * @return the filter, or empty if no part of the predicate can be rewritten
   */
  public <T> Optional<T> pushDown(PushDown<T> target) {
    return root.pushDown(target);
  }

  /**
   * Builds a storage-level filter from simple comparisons of columns with constants. Each method
   * returns empty when it cannot express its comparison exactly or as a superset.
   *
   * @param <T> the filter type
   */
  public interface PushDown<T> {
    /**
     * {@code column op value} under SQL semantics (false for a null column value).
     *
     * @param path field indexes of the column in the bound schema
     * @param columnType the column's type
     * @param value a non-null constant, of the column's Java type or a wider numeric one
     */
    Optional<T> compare(int[] path, DataType columnType, Operator op, Object value);

    /** {@code column IS NULL} ({@code wantNull}) or {@code column IS NOT NULL}. */
    Optional<T> isNull(int[] path, DataType columnType, boolean wantNull);

    /** Both filters. */
    T and(T a, T b);

    /** Either filter. */
    T or(T a, T b);
  }

  /**
   * Whether the statistics prove that the predicate is true for every row of the file (not false,
   * not unknown). Conservative: false whenever it cannot be proven.
   */
  public boolean matchesAll(FileStatistics stats) {
    return root.matchesAll(stats);
  }

  /** Compares two non-null values of one column type in the order predicates use (strings by code point). */
  public static int compareValues(Object a, Object b, DataType type) {
    return Numbers.compare(a, b, type);
  }

  /** What a predicate can evaluate to over the rows of a file: true for some row, false for some row. */
  record Truth(boolean canBeTrue, boolean canBeFalse) {
    static final Truth UNKNOWN = new Truth(true, true);
  }

  /** The statistics of one data file, by column path. */
  public interface FileStatistics {
    /** The number of rows, if known. */
    java.util.OptionalLong numRecords();

    /** Statistics of a column (path of field indexes), or null when none are recorded. */
    ColumnStatistics column(int[] path);
  }

  /**
   * Statistics of one column in one file: bounds of its non-null values (null if unknown) and
   * its null count (-1 if unknown). A partition column has exact bounds.
   */
  public record ColumnStatistics(Object min, Object max, long nullCount) {}

  // ------------------------------------------------------------------------------------------
  // Nodes

  private abstract static class Node {
    final DataType type;

    Node(DataType type) {
      this.type = type;
    }

    abstract Object eval(Object[] row);

    /** For boolean nodes: what the node can be over a file's rows. */
    Truth truth(FileStatistics stats) {
      return Truth.UNKNOWN;
    }

    /** For boolean nodes: whether the statistics prove the node true for every row. */
    boolean matchesAll(FileStatistics stats) {
      return false;
    }

    /** For boolean nodes: a filter keeping at least the rows for which the node is true. */
    <T> Optional<T> pushDown(PushDown<T> target) {
      return Optional.empty();
    }
  }

  private static final class Const extends Node {
    final Object value;

    Const(Object value, DataType type) {
      super(value == null ? null : type);
      this.value = value;
    }

    @Override
    Object eval(Object[] row) {
      return value;
    }

    @Override
    Truth truth(FileStatistics stats) {
      return value instanceof Boolean b ? new Truth(b, !b) : new Truth(false, false);
    }

    @Override
    boolean matchesAll(FileStatistics stats) {
      return Boolean.TRUE.equals(value);
    }
  }

  private static final class ColumnRef extends Node {
    final int[] path;

    ColumnRef(int[] path, DataType type) {
      super(type);
      this.path = path;
    }

    @Override
    Object eval(Object[] row) {
      Object v = row[path[0]];
      for (int i = 1; i < path.length && v != null; i++) {
        v = v instanceof Row r ? r.get(path[i]) : ((Object[]) v)[path[i]];
      }
      return v;
    }
  }

  private interface Eval {
    Object apply(Object[] row);
  }

  private static final class Fn extends Node {
    final Eval body;

    Fn(DataType type, Eval body) {
      super(type);
      this.body = body;
    }

    @Override
    Object eval(Object[] row) {
      return body.apply(row);
    }
  }

  /**
   * AND or OR over any number of arguments, with SQL's three-valued logic: the "dominant" value
   * (false for AND, true for OR) wins; otherwise any unknown makes the result unknown.
   */
  private static final class Junction extends Node {
    final List<Node> args;
    final boolean dominant;

    Junction(List<Node> args, boolean isAnd) {
      super(PrimitiveType.BOOLEAN);
      this.args = args;
      this.dominant = !isAnd;
    }

    @Override
    Object eval(Object[] row) {
      boolean unknown = false;
      for (Node a : args) {
        Object v = a.eval(row);
        if (v == null) {
          unknown = true;
        } else if ((Boolean) v == dominant) {
          return dominant;
        }
      }
      return unknown ? null : !dominant;
    }

    @Override
    Truth truth(FileStatistics stats) {
      // AND can be true only if every argument can; it can be false if any can (OR: the converse).
      boolean anyTrue = false;
      boolean allTrue = true;
      boolean anyFalse = false;
      boolean allFalse = true;
      for (Node a : args) {
        Truth t = a.truth(stats);
        anyTrue |= t.canBeTrue();
        allTrue &= t.canBeTrue();
        anyFalse |= t.canBeFalse();
        allFalse &= t.canBeFalse();
      }
      return dominant ? new Truth(anyTrue, allFalse) : new Truth(allTrue, anyFalse);
    }

    @Override
    boolean matchesAll(FileStatistics stats) {
      for (Node a : args) {
        if (a.matchesAll(stats) == dominant) {
          return dominant; // OR: one argument true everywhere suffices; AND: one not proven fails
        }
      }
      return !dominant;
    }

    @Override
    <T> Optional<T> pushDown(PushDown<T> target) {
      Optional<T> result = Optional.empty();
      for (Node a : args) {
        Optional<T> p = a.pushDown(target);
        if (p.isEmpty()) {
          if (dominant) {
            return Optional.empty(); // OR: an argument we cannot filter on may keep any row
          }
          continue; // AND: dropping an argument only keeps more rows
        }
        result = result.isEmpty() ? p
            : Optional.of(dominant ? target.or(result.get(), p.get()) : target.and(result.get(), p.get()));
      }
      return result;
    }
  }

  private static final class NotNode extends Node {
    final Node arg;

    NotNode(Node arg) {
      super(PrimitiveType.BOOLEAN);
      this.arg = arg;
    }

    @Override
    Object eval(Object[] row) {
      Object v = arg.eval(row);
      return v == null ? null : !(Boolean) v;
    }

    @Override
    Truth truth(FileStatistics stats) {
      Truth t = arg.truth(stats);
      return new Truth(t.canBeFalse(), t.canBeTrue());
    }
  }

  private static final class NullTest extends Node {
    final Node arg;
    final boolean wantNull;

    NullTest(Node arg, boolean wantNull) {
      super(PrimitiveType.BOOLEAN);
      this.arg = arg;
      this.wantNull = wantNull;
    }

    @Override
    Object eval(Object[] row) {
      return (arg.eval(row) == null) == wantNull;
    }

    @Override
    Truth truth(FileStatistics stats) {
      ColumnStatistics c = arg instanceof ColumnRef ref ? stats.column(ref.path) : null;
      long rows = stats.numRecords().orElse(-1);
      if (c == null || c.nullCount() < 0 || rows < 0) {
        return Truth.UNKNOWN;
      }
      boolean someNull = c.nullCount() > 0;
      boolean someNonNull = c.nullCount() < rows;
      return wantNull ? new Truth(someNull, someNonNull) : new Truth(someNonNull, someNull);
    }

    @Override
    boolean matchesAll(FileStatistics stats) {
      ColumnStatistics c = arg instanceof ColumnRef ref ? stats.column(ref.path) : null;
      long rows = stats.numRecords().orElse(-1);
      return c != null && c.nullCount() >= 0 && rows >= 0 && c.nullCount() == (wantNull ? rows : 0);
    }

    @Override
    <T> Optional<T> pushDown(PushDown<T> target) {
      return arg instanceof ColumnRef ref ? target.isNull(ref.path, ref.type, wantNull) : Optional.empty();
    }
  }

  /** A comparison of a column with a constant (either side) or of any two values. */
  private static final class Compare extends Node {
    final Operator op;
    final Node left;
    final Node right;
    final DataType common;

    Compare(Operator op, Node left, Node right, DataType common) {
      super(PrimitiveType.BOOLEAN);
      this.op = op;
      this.left = left;
      this.right = right;
      this.common = common;
    }

    @Override
    Object eval(Object[] row) {
      Object a = left.eval(row);
      if (a == null) {
        return null;
      }
      Object b = right.eval(row);
      if (b == null) {
        return null;
      }
      return holds(op, Numbers.compare(a, b, common));
    }

    private static boolean holds(Operator op, int cmp) {
      switch (op) {
        case EQ: return cmp == 0;
        case NE: return cmp != 0;
        case LT: return cmp < 0;
        case LE: return cmp <= 0;
        case GT: return cmp > 0;
        default: return cmp >= 0;
      }
    }

    private static Operator flip(Operator op) {
      switch (op) {
        case LT: return Operator.GT;
        case LE: return Operator.GE;
        case GT: return Operator.LT;
        case GE: return Operator.LE;
        default: return op;
      }
    }

    @Override
    Truth truth(FileStatistics stats) {
      if (left instanceof ColumnRef col && right instanceof Const k) {
        return columnVersus(col, op, k.value, stats);
      }
      if (right instanceof ColumnRef col && left instanceof Const k) {
        return columnVersus(col, flip(op), k.value, stats);
      }
      return Truth.UNKNOWN;
    }

    /** True everywhere: no nulls in the column, and its bounds make the comparison never false. */
    @Override
    boolean matchesAll(FileStatistics stats) {
      ColumnRef col = left instanceof ColumnRef c && right instanceof Const ? c
          : right instanceof ColumnRef c && left instanceof Const ? c : null;
      if (col == null) {
        return false;
      }
      ColumnStatistics c = stats.column(col.path);
      Truth t = truth(stats);
      return c != null && c.nullCount() == 0 && t.canBeTrue() && !t.canBeFalse();
    }

    @Override
    <T> Optional<T> pushDown(PushDown<T> target) {
      if (left instanceof ColumnRef col && right instanceof Const k && k.value != null) {
        return target.compare(col.path, col.type, op, k.value);
      }
      if (right instanceof ColumnRef col && left instanceof Const k && k.value != null) {
        return target.compare(col.path, col.type, flip(op), k.value);
      }
      return Optional.empty();
    }

    /** The truth of {@code column op value} over a file, from the column's bounds. */
    private Truth columnVersus(ColumnRef col, Operator op, Object value, FileStatistics stats) {
      if (value == null) {
        return new Truth(false, false); // always unknown
      }
      ColumnStatistics c = stats.column(col.path);
      if (c == null || c.min() == null || c.max() == null) {
        long rows = stats.numRecords().orElse(-1);
        if (c != null && rows >= 0 && c.nullCount() == rows) {
          return new Truth(false, false); // all null: the comparison is never true or false
        }
        return Truth.UNKNOWN;
      }
      int vsMin = Numbers.compare(c.min(), value, common);
      int vsMax = Numbers.compare(c.max(), value, common);
      // Some non-null value x lies in [min, max]; both bounds are attained unless truncated, so
      // reasoning only with "exists x in [min, max]" stays conservative.
      switch (op) {
        case EQ: return new Truth(vsMin <= 0 && vsMax >= 0, !(vsMin == 0 && vsMax == 0));
        case NE: return new Truth(!(vsMin == 0 && vsMax == 0), vsMin <= 0 && vsMax >= 0);
        case LT: return new Truth(vsMin < 0, vsMax >= 0);
        case LE: return new Truth(vsMin <= 0, vsMax > 0);
        case GT: return new Truth(vsMax > 0, vsMin <= 0);
        default: return new Truth(vsMax >= 0, vsMin < 0);
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // Binding

  private static final class Binder {
    private final StructType schema;
    private final Set<List<String>> columns;
    private final Expression whole;

    Binder(StructType schema, Set<List<String>> columns, Expression whole) {
      this.schema = schema;
      this.columns = columns;
      this.whole = whole;
    }

    private InvalidExpressionException error(String problem) {
      return new InvalidExpressionException(problem + " in \"" + whole.toText() + "\"");
    }

    Node bind(Expression e) {
      if (e instanceof Literal l) {
        return new Const(l.value(), l.type());
      }
      if (e instanceof Column c) {
        return column(c);
      }
      return call((Call) e);
    }

    private Node column(Column c) {
      StructType struct = schema;
      int[] path = new int[c.path().size()];
      DataType type = null;
      for (int i = 0; i < path.length; i++) {
        String name = c.path().get(i);
        int index = struct == null ? -1 : struct.indexOf(name);
        if (index < 0) {
          throw error((i == 0 ? "unknown column '" + name + "'; the columns are " + schema.fieldNames()
              : "'" + String.join(".", c.path().subList(0, i)) + "' has no field '" + name + "'"));
        }
        Field f = struct.fields().get(index);
        path[i] = index;
        type = f.type();
        struct = type instanceof StructType s ? s : null;
      }
      columns.add(c.path());
      return new ColumnRef(path, type);
    }

    private Node call(Call c) {
      Operator op = c.operator();
      List<Node> args = new ArrayList<>();
      for (Expression a : c.arguments()) {
        args.add(bind(a));
      }
      switch (op) {
        case AND:
        case OR:
          for (Node a : args) {
            requireBoolean(a, op);
          }
          return op == Operator.AND ? and(args) : or(args);
        case NOT:
          return new NotNode(requireBoolean(args.get(0), op));
        case IS_NULL:
        case IS_NOT_NULL:
          return new NullTest(args.get(0), op == Operator.IS_NULL);
        case EQ: case NE: case LT: case LE: case GT: case GE:
          return comparison(op, args.get(0), args.get(1), c);
        case BETWEEN: {
          Node ge = comparison(Operator.GE, args.get(0), args.get(1), c);
          Node le = comparison(Operator.LE, args.get(0), args.get(2), c);
          return and(List.of(ge, le));
        }
        case IN: {
          Node x = args.get(0);
          List<Node> eqs = new ArrayList<>();
          for (Node v : args.subList(1, args.size())) {
            eqs.add(comparison(Operator.EQ, x, v, c));
          }
          return or(eqs);
        }
        case LIKE:
          return like(args.get(0), args.get(1));
        case ADD: case SUBTRACT: case MULTIPLY: case DIVIDE: case MODULO:
          return arithmetic(op, args.get(0), args.get(1), c);
        case NEGATE: {
          Node a = args.get(0);
          requireNumeric(a, c);
          return new Fn(a.type, row -> {
            Object v = a.eval(row);
            return v == null ? null : Numbers.negate(v, a.type);
          });
        }
        case CONCAT: {
          for (Node a : args) {
            if (a.type != null && !(a.type instanceof PrimitiveType || a.type instanceof DecimalType)
                || a.type == PrimitiveType.BINARY) {
              throw error("|| cannot concatenate a " + a.type.toText());
            }
          }
          return new Fn(PrimitiveType.STRING, row -> {
            StringBuilder sb = new StringBuilder();
            for (Node a : args) {
              Object v = a.eval(row);
              if (v == null) {
                return null;
              }
              sb.append(v instanceof BigDecimal d ? d.toPlainString() : v.toString());
            }
            return sb.toString();
          });
        }
        case COALESCE: {
          DataType common = null;
          for (Node a : args) {
            common = commonType(common, a.type, c);
          }
          DataType t = common;
          return new Fn(t, row -> {
            for (Node a : args) {
              Object v = a.eval(row);
              if (v != null) {
                return Numbers.convert(v, t);
              }
            }
            return null;
          });
        }
        default:
          throw new AssertionError(op);
      }
    }

    private Node requireBoolean(Node a, Operator op) {
      if (a.type != null && a.type != PrimitiveType.BOOLEAN) {
        throw error(op + " needs true/false operands, not a " + a.type.toText());
      }
      return a;
    }

    private void requireNumeric(Node a, Call c) {
      if (a.type != null && !Numbers.isNumeric(a.type)) {
        throw error(c.operator() + " needs numbers, but \"" + c.toText() + "\" has a " + a.type.toText() + " operand");
      }
    }

    private static Node and(List<Node> args) {
      return new Junction(List.copyOf(args), true);
    }

    private static Node or(List<Node> args) {
      return new Junction(List.copyOf(args), false);
    }

    /** Converts a string literal compared with a date/time value into that type. */
    private Node coerceLiteral(Node literal, DataType target) {
      if (!(literal instanceof Const k) || !(k.value instanceof String s)) {
        return literal;
      }
      try {
        if (target == PrimitiveType.DATE) {
          return new Const(LocalDate.parse(s.trim()), target);
        }
        if (target == PrimitiveType.TIMESTAMP) {
          return new Const(Literals.parseInstant(s.trim()), target);
        }
        if (target == PrimitiveType.TIMESTAMP_NTZ) {
          return new Const(Literals.parseLocal(s.trim()), target);
        }
      } catch (DateTimeParseException e) {
        throw error("'" + s + "' is not a valid " + target.toText());
      }
      return literal;
    }

    private Node comparison(Operator op, Node left, Node right, Call c) {
      Node l = coerceLiteral(left, right.type);
      Node r = coerceLiteral(right, left.type);
      DataType common = commonType(l.type, r.type, c);
      if (common instanceof StructType || common instanceof ArrayType || common instanceof MapType) {
        throw error("cannot compare values of type " + common.toText());
      }
      if (common == PrimitiveType.BOOLEAN && op != Operator.EQ && op != Operator.NE) {
        throw error("booleans can only be compared with = and <>");
      }
      return new Compare(op, l, r, common);
    }

    private DataType commonType(DataType a, DataType b, Call c) {
      if (a == null) {
        return b;
      }
      if (b == null || a.equals(b)) {
        return a;
      }
      if (Numbers.isNumeric(a) && Numbers.isNumeric(b)) {
        return Numbers.widen(a, b);
      }
      throw error("cannot combine a " + a.toText() + " with a " + b.toText() + " in \"" + c.toText() + "\"");
    }

    private Node like(Node value, Node pattern) {
      for (Node n : List.of(value, pattern)) {
        if (n.type != null && n.type != PrimitiveType.STRING) {
          throw error("LIKE needs strings, not a " + n.type.toText());
        }
      }
      Pattern fixed = pattern instanceof Const k && k.value instanceof String s ? likePattern(s) : null;
      return new Fn(PrimitiveType.BOOLEAN, row -> {
        Object v = value.eval(row);
        if (v == null) {
          return null;
        }
        Pattern p = fixed;
        if (p == null) {
          Object pv = pattern.eval(row);
          if (pv == null) {
            return null;
          }
          p = likePattern((String) pv);
        }
        return p.matcher((String) v).matches();
      });
    }

    private static Pattern likePattern(String like) {
      StringBuilder regex = new StringBuilder();
      for (int i = 0; i < like.length(); i++) {
        char ch = like.charAt(i);
        if (ch == '\\' && i + 1 < like.length()) {
          regex.append(Pattern.quote(String.valueOf(like.charAt(++i))));
        } else if (ch == '%') {
          regex.append(".*");
        } else if (ch == '_') {
          regex.append('.');
        } else {
          regex.append(Pattern.quote(String.valueOf(ch)));
        }
      }
      return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private Node arithmetic(Operator op, Node l, Node r, Call c) {
      requireNumeric(l, c);
      requireNumeric(r, c);
      DataType type = l.type == null ? r.type : r.type == null ? l.type : Numbers.arithmeticType(op, l.type, r.type);
      return new Fn(type, row -> {
        Object a = l.eval(row);
        if (a == null) {
          return null;
        }
        Object b = r.eval(row);
        if (b == null) {
          return null;
        }
        return Numbers.apply(op, a, b, type);
      });
    }
  }

  /** Numeric promotion, arithmetic and comparison on the Java value types of columns. */
  static final class Numbers {
    private static final MathContext DECIMAL = new MathContext(38, RoundingMode.HALF_UP);

    private Numbers() {}

    static boolean isNumeric(DataType t) {
      return t instanceof DecimalType || t == PrimitiveType.LONG || t == PrimitiveType.INTEGER
          || t == PrimitiveType.SHORT || t == PrimitiveType.BYTE || t == PrimitiveType.FLOAT || t == PrimitiveType.DOUBLE;
    }

    private static int integralRank(DataType t) {
      if (t == PrimitiveType.BYTE) return 1;
      if (t == PrimitiveType.SHORT) return 2;
      if (t == PrimitiveType.INTEGER) return 3;
      if (t == PrimitiveType.LONG) return 4;
      return 0;
    }

    private static DecimalType asDecimal(DataType t) {
      if (t instanceof DecimalType d) {
        return d;
      }
      return new DecimalType(t == PrimitiveType.LONG ? 19 : 10, 0);
    }

    static DataType widen(DataType a, DataType b) {
      if (a == PrimitiveType.DOUBLE || b == PrimitiveType.DOUBLE || a == PrimitiveType.FLOAT || b == PrimitiveType.FLOAT) {
        return a == PrimitiveType.FLOAT && b == PrimitiveType.FLOAT ? PrimitiveType.FLOAT : PrimitiveType.DOUBLE;
      }
      if (a instanceof DecimalType || b instanceof DecimalType) {
        DecimalType x = asDecimal(a);
        DecimalType y = asDecimal(b);
        int scale = Math.max(x.scale(), y.scale());
        int integer = Math.max(x.precision() - x.scale(), y.precision() - y.scale());
        return new DecimalType(Math.min(38, integer + scale), Math.min(scale, 38));
      }
      return integralRank(a) >= integralRank(b) ? a : b;
    }

    static DataType arithmeticType(Operator op, DataType a, DataType b) {
      DataType w = widen(a, b);
      if (!(w instanceof DecimalType)) {
        return w;
      }
      DecimalType x = asDecimal(a);
      DecimalType y = asDecimal(b);
      int scale = switch (op) {
        case MULTIPLY -> x.scale() + y.scale();
        case DIVIDE -> Math.max(6, Math.max(x.scale(), y.scale()));
        default -> Math.max(x.scale(), y.scale());
      };
      scale = Math.min(scale, 38);
      return new DecimalType(38, scale);
    }

    /** A value converted to the Java class of a (wider) numeric type; other values unchanged. */
    static Object convert(Object v, DataType t) {
      if (!(v instanceof Number n) || !isNumeric(t)) {
        return v;
      }
      if (t == PrimitiveType.DOUBLE) return n.doubleValue();
      if (t == PrimitiveType.FLOAT) return n.floatValue();
      if (t instanceof DecimalType d) return toDecimal(n).setScale(d.scale(), RoundingMode.HALF_UP);
      return narrow(n.longValue(), t);
    }

    private static BigDecimal toDecimal(Number n) {
      if (n instanceof BigDecimal d) return d;
      if (n instanceof Double || n instanceof Float) return new BigDecimal(n.toString());
      return BigDecimal.valueOf(n.longValue());
    }

    private static Object narrow(long v, DataType t) {
      if (t == PrimitiveType.LONG) {
        return v;
      }
      if (t == PrimitiveType.INTEGER) {
        if (v != (int) v) throw new ArithmeticException("integer overflow (" + v + ")");
        return (int) v;
      }
      if (t == PrimitiveType.SHORT) {
        if (v != (short) v) throw new ArithmeticException("short overflow (" + v + ")");
        return (short) v;
      }
      if (v != (byte) v) throw new ArithmeticException("byte overflow (" + v + ")");
      return (byte) v;
    }

    static Object negate(Object v, DataType t) {
      if (v instanceof BigDecimal d) return d.negate();
      if (v instanceof Double d) return -d;
      if (v instanceof Float f) return -f;
      return narrow(Math.negateExact(((Number) v).longValue()), t);
    }

    static Object apply(Operator op, Object a, Object b, DataType t) {
      Number x = (Number) a;
      Number y = (Number) b;
      if (t == PrimitiveType.DOUBLE || t == PrimitiveType.FLOAT) {
        double p = x.doubleValue();
        double q = y.doubleValue();
        if ((op == Operator.DIVIDE || op == Operator.MODULO) && q == 0) {
          throw new ArithmeticException("division by zero");
        }
        double r = switch (op) {
          case ADD -> p + q;
          case SUBTRACT -> p - q;
          case MULTIPLY -> p * q;
          case DIVIDE -> p / q;
          default -> p % q;
        };
        return t == PrimitiveType.FLOAT ? (Object) (float) r : (Object) r;
      }
      if (t instanceof DecimalType d) {
        BigDecimal p = toDecimal(x);
        BigDecimal q = toDecimal(y);
        if ((op == Operator.DIVIDE || op == Operator.MODULO) && q.signum() == 0) {
          throw new ArithmeticException("division by zero");
        }
        BigDecimal r = switch (op) {
          case ADD -> p.add(q);
          case SUBTRACT -> p.subtract(q);
          case MULTIPLY -> p.multiply(q);
          case DIVIDE -> p.divide(q, d.scale(), RoundingMode.HALF_UP);
          default -> p.remainder(q);
        };
        r = r.setScale(d.scale(), RoundingMode.HALF_UP);
        if (r.precision() > 38) {
          throw new ArithmeticException("decimal overflow (more than 38 digits)");
        }
        return r.round(DECIMAL);
      }
      long p = x.longValue();
      long q = y.longValue();
      if ((op == Operator.DIVIDE || op == Operator.MODULO) && q == 0) {
        throw new ArithmeticException("division by zero");
      }
      long r = switch (op) {
        case ADD -> Math.addExact(p, q);
        case SUBTRACT -> Math.subtractExact(p, q);
        case MULTIPLY -> Math.multiplyExact(p, q);
        case DIVIDE -> {
          if (p == Long.MIN_VALUE && q == -1) {
            throw new ArithmeticException("long overflow");
          }
          yield p / q;
        }
        default -> p % q;
      };
      return narrow(r, t);
    }

    static int compare(Object a, Object b, DataType common) {
      if (isNumeric(common)) {
        if (common == PrimitiveType.DOUBLE || common == PrimitiveType.FLOAT) {
          double p = ((Number) a).doubleValue();
          double q = ((Number) b).doubleValue();
          if (Double.isNaN(p) || Double.isNaN(q)) {
            return Double.isNaN(p) ? (Double.isNaN(q) ? 0 : 1) : -1; // NaN sorts above everything, equals itself
          }
          return p < q ? -1 : p > q ? 1 : 0; // -0.0 equals 0.0
        }
        if (common instanceof DecimalType) {
          return toDecimal((Number) a).compareTo(toDecimal((Number) b));
        }
        return Long.compare(((Number) a).longValue(), ((Number) b).longValue());
      }
      if (a instanceof String s && b instanceof String t) {
        return compareCodePoints(s, t);
      }
      if (a instanceof byte[] x && b instanceof byte[] y) {
        return Arrays.compareUnsigned(x, y);
      }
      if (a instanceof Boolean x && b instanceof Boolean y) {
        return Boolean.compare(x, y);
      }
      if (a instanceof LocalDate x && b instanceof LocalDate y) {
        return x.compareTo(y);
      }
      if (a instanceof Instant x && b instanceof Instant y) {
        return x.compareTo(y);
      }
      if (a instanceof LocalDateTime x && b instanceof LocalDateTime y) {
        return x.compareTo(y);
      }
      throw new IllegalStateException("incomparable values " + a.getClass() + " and " + b.getClass());
    }

    /** Code point order, which is UTF-8 byte order (as Parquet and Delta statistics use). */
    static int compareCodePoints(String s, String t) {
      int i = 0;
      int j = 0;
      while (i < s.length() && j < t.length()) {
        int a = s.codePointAt(i);
        int b = t.codePointAt(j);
        if (a != b) {
          return Integer.compare(a, b);
        }
        i += Character.charCount(a);
        j += Character.charCount(b);
      }
      return Integer.compare(s.length() - i, t.length() - j);
    }
  }
}
