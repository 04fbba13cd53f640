package io.datashard;

/**
 * The commit's log entry may or may not have been made durable: the atomic step completed, but a
 * later step (such as syncing the log directory) failed. Look for {@link #commitToken()} in the
 * table's history, or repeat the write with the same idempotency key, to settle it.
 */
public class CommitOutcomeUnknownException extends DataShardException {
  private static final long serialVersionUID = 1L;
  private final String commitToken;
  private final long version;

  /**
   * @param message names the table and the failing step
   * @param commitToken the token recorded in the commit's {@code commitInfo.txnId}
   * @param version the version the commit was written as
   */
  public CommitOutcomeUnknownException(String message, String commitToken, long version, Throwable cause) {
    super(message, cause);
    this.commitToken = commitToken;
    this.version = version;
  }

  /** The unique token recorded in the commit's {@code commitInfo.txnId}. */
  public String commitToken() {
    return commitToken;
  }

  /** The version the commit was written as. */
  public long version() {
    return version;
  }

  @Override
  public boolean isUserError() {
    return false;
  }
}
