package io.datashard;

/**
 * Base of every exception DataShard throws on purpose. Each subclass names what went wrong and
 * where (table, version, file, field or position). A failed operation leaves the table exactly as
 * it was unless the subclass says otherwise ({@link CommitOutcomeUnknownException}).
 */
public class DataShardException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message. */
  public DataShardException(String message) {
    super(message);
  }

  /** An exception with a message and a cause. */
  public DataShardException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * True when the caller's input or environment is at fault (bad rows, a missing table, a corrupt
   * table) rather than DataShard itself; the CLI exits with 2 for these and 1 otherwise.
   */
  public boolean isUserError() {
    return true;
  }
}
