package io.datashard;

/**
 * Evaluating an expression on a row failed: division by zero, an arithmetic overflow, or a result
 * that does not fit the column it is assigned to. Names the expression and the row. The operation
 * is abandoned before anything is committed.
 */
public class ExpressionEvaluationException extends DataShardException {
  private static final long serialVersionUID = 1L;

  /** @param message names the expression, the row and the problem */
  public ExpressionEvaluationException(String message) {
    super(message);
  }
}
