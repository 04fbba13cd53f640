package io.datashard;

/**
 * An expression is malformed (a syntax error at a position), names an unknown column, or applies an
 * operator to values of the wrong types ({@code name + 1}). Thrown before anything is written.
 */
public class InvalidExpressionException extends DataShardException {
  private static final long serialVersionUID = 1L;
  private final int position;

  /** An error not tied to a position. @param message what is wrong, naming the expression */
  public InvalidExpressionException(String message) {
    this(message, -1);
  }

  /**
   * @param message what is wrong
   * @param position the 0-based character position in the expression text, or -1
   */
  public InvalidExpressionException(String message, int position) {
    super(position >= 0 ? message + " at position " + position : message);
    this.position = position;
  }

  /** The 0-based character position in the expression text, or -1 when not applicable. */
  public int position() {
    return position;
  }
}
