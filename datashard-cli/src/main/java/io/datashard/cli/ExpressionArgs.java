package io.datashard.cli;

import io.datashard.CommitResult;
import io.datashard.Expression;
import io.datashard.InvalidExpressionException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The expression options of the row commands: {@code --where E}, {@code --set "col = expr"} and
 * {@code --by N}, and the one-line summaries of their commits. A malformed expression is a user
 * error naming the option and carrying the library's message (which names the position).
 */
final class ExpressionArgs {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern INTEGRAL = Pattern.compile("[+-]?\\d+");

  private ExpressionArgs() {}

  /** The text of {@code option} parsed by {@link Expression#parse}. */
  static Expression parse(String option, String text) {
    try {
      return Expression.parse(text);
    } catch (InvalidExpressionException e) {
      throw new UserException(option + ": " + e.getMessage(), e);
    }
  }

  /** A {@code --where} predicate. */
  static Expression where(String text) {
    return parse("--where", text);
  }

  /**
   * {@code --set} assignments in order: each {@code COLUMN = EXPRESSION}, split at the first {@code
   * =} that is not part of {@code ==}, {@code <=}, {@code >=} or {@code !=}. The column is a name
   * of letters, digits and underscores, or any name in back-quotes (or double quotes), a quote
   * doubled inside; the expression is parsed by {@link Expression#parse}.
   */
  static Map<String, Expression> assignments(List<String> sets) {
    Map<String, Expression> out = new LinkedHashMap<>();
    for (String set : sets) {
      String where = "--set '" + set + "'";
      String t = set.strip();
      String column;
      String value;
      if (t.startsWith("`") || t.startsWith("\"")) {
        char q = t.charAt(0);
        StringBuilder name = new StringBuilder();
        int i = 1;
        while (true) {
          if (i >= t.length()) {
            throw new UserException(where + ": the column name's closing " + q + " is missing");
          }
          char c = t.charAt(i);
          if (c == q) {
            if (i + 1 < t.length() && t.charAt(i + 1) == q) {
              name.append(q);
              i += 2;
              continue;
            }
            break;
          }
          name.append(c);
          i++;
        }
        String rest = t.substring(i + 1).stripLeading();
        if (!rest.startsWith("=") || rest.startsWith("==")) {
          throw new UserException(where + ": expected COLUMN = EXPRESSION, e.g. 'v = v + 1'");
        }
        column = name.toString();
        value = rest.substring(1);
      } else {
        int eq = assignmentEquals(t);
        if (eq < 0) {
          throw new UserException(where + ": expected COLUMN = EXPRESSION, e.g. 'v = v + 1'");
        }
        column = t.substring(0, eq).strip();
        value = t.substring(eq + 1);
        if (column.isEmpty()) {
          throw new UserException(where + ": no column before '='");
        }
        if (!IDENTIFIER.matcher(column).matches()) {
          throw new UserException(where + ": '" + column + "' is not a column name (quote other names with back-quotes,"
              + " e.g. `my col` = 1)");
        }
      }
      if (value.isBlank()) {
        throw new UserException(where + ": no expression after '='");
      }
      Expression e = parse(where, value.strip());
      if (out.putIfAbsent(column, e) != null) {
        throw new UserException(where + ": column '" + column + "' is assigned twice");
      }
    }
    return out;
  }

  /** The index of the first {@code =} that is not part of {@code ==}, {@code <=}, {@code >=}, {@code !=}; or -1. */
  static int assignmentEquals(String t) {
    for (int i = 0; i < t.length(); i++) {
      if (t.charAt(i) != '=') {
        continue;
      }
      char prev = i > 0 ? t.charAt(i - 1) : ' ';
      char next = i + 1 < t.length() ? t.charAt(i + 1) : ' ';
      if (prev == '=' || prev == '<' || prev == '>' || prev == '!' || next == '=') {
        continue;
      }
      return i;
    }
    return -1;
  }

  /** {@code --by}: a long if integral and in range, else a decimal. */
  static Number number(String option, String text) {
    String t = text.strip();
    if (INTEGRAL.matcher(t).matches()) {
      try {
        return Long.parseLong(t);
      } catch (NumberFormatException e) {
        // out of the long range: a decimal
      }
    }
    try {
      return new BigDecimal(t);
    } catch (NumberFormatException e) {
      throw new UserException(option + ": '" + text + "' is not a number");
    }
  }

  /** {@code "1 row"}, {@code "2 rows"}. */
  static String plural(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  /**
   * What follows the rows affected in a summary: {@code " as version 7 (1 attempt, 0 replans)"}, or
   * {@code ": nothing committed (table at version 6, 0 replans)"}.
   */
  static String outcome(CommitResult r) {
    if (!r.committed()) {
      return ": nothing committed (table at version " + r.version() + ", " + plural(r.replans(), "replan") + ")";
    }
    return " as version " + r.version() + " (" + plural(r.attempts(), "attempt") + ", " + plural(r.replans(), "replan") + ")";
  }
}
