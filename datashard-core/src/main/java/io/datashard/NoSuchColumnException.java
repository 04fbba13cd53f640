package io.datashard;

/** An operation named a column the table does not have. */
public class NoSuchColumnException extends DataShardException {
  private static final long serialVersionUID = 1L;

  /** @param message names the table, the column and the columns it has */
  public NoSuchColumnException(String message) {
    super(message);
  }
}
