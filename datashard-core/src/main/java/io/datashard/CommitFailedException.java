package io.datashard;

/**
 * The commit lost the race for a version more times, or for longer, than the {@link RetryPolicy}
 * allows. The table is unchanged by this transaction and its data files are deleted.
 */
public class CommitFailedException extends DataShardException {
  private static final long serialVersionUID = 1L;
  private final int attempts;

  /**
   * @param message names the table and the limit reached
   * @param attempts how many times the commit was tried
   */
  public CommitFailedException(String message, int attempts) {
    super(message);
    this.attempts = attempts;
  }

  /** How many times the commit was tried. */
  public int attempts() {
    return attempts;
  }

  /** Not bad input: the table was busy with concurrent commits (the CLI exits with 1). */
  @Override
  public boolean isUserError() {
    return false;
  }
}
