package io.datashard;

/** A vacuum retention below the safe minimum was given without allowing it explicitly. */
public class InvalidRetentionException extends DataShardException {
  private static final long serialVersionUID = 1L;

  /** @param message names the table and the retention */
  public InvalidRetentionException(String message) {
    super(message);
  }
}
