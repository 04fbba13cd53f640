package io.datashard;

/**
 * A concurrent commit conflicts with this transaction, so it cannot be rebased. Subclasses say which
 * rule of the conflict table was hit; {@link #winningVersion()} names the version that won. The
 * table is unchanged by the failed transaction and its data files are deleted.
 */
public class ConcurrentModificationException extends DataShardException {
  private static final long serialVersionUID = 1L;
  private final long winningVersion;

  /**
   * @param message names the table and what conflicted
   * @param winningVersion the version of the concurrent commit that conflicts
   */
  public ConcurrentModificationException(String message, long winningVersion) {
    super(message);
    this.winningVersion = winningVersion;
  }

  /** The version of the concurrent commit that conflicts with this transaction. */
  public long winningVersion() {
    return winningVersion;
  }

  /** Not bad input: the table was busy with concurrent commits (the CLI exits with 1). */
  @Override
  public boolean isUserError() {
    return false;
  }
}
