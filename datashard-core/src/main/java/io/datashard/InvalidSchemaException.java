package io.datashard;

/** A schema is malformed or unsupported: an unknown type, a duplicate name, a syntax error at a position. */
public class InvalidSchemaException extends DataShardException {
  private static final long serialVersionUID = 1L;
  private final int position;

  /** An error not tied to a position in a schema text. */
  public InvalidSchemaException(String message) {
    this(message, -1);
  }

  /** An error at a 0-based character position of the schema text. */
  public InvalidSchemaException(String message, int position) {
    super(position >= 0 ? message + " at position " + position : message);
    this.position = position;
  }

  /** The 0-based character position in the schema text, or -1 when not applicable. */
  public int position() {
    return position;
  }
}
