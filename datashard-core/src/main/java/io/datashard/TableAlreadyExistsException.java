package io.datashard;

/** {@code create} found a table at the location, or {@code createIfAbsent} found one with a different schema or partitioning. */
public class TableAlreadyExistsException extends DataShardException {
  private static final long serialVersionUID = 1L;

  /** @param message names the location */
  public TableAlreadyExistsException(String message) {
    super(message);
  }
}
