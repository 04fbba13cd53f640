package io.datashard;

/** Time travel asked for a version or timestamp before the retained log or after the latest version. */
public class VersionNotFoundException extends DataShardException {
  private static final long serialVersionUID = 1L;

  /** @param message names the table, what was asked and the available range */
  public VersionNotFoundException(String message) {
    super(message);
  }
}
