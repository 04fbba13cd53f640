package io.datashard;

/**
 * The table's log or data is invalid: unparseable JSON, a missing protocol or metadata, a gap in
 * versions, a path escaping the table root, a data file that does not match its log entry. Nothing
 * is read or deleted outside the table root because of it.
 */
public class CorruptTableException extends DataShardException {
  private static final long serialVersionUID = 1L;

  /** @param message names the table, version and file */
  public CorruptTableException(String message) {
    super(message);
  }

  /** @param message names the table, version and file */
  public CorruptTableException(String message, Throwable cause) {
    super(message, cause);
  }
}
