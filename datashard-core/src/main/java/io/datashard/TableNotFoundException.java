package io.datashard;

/** The location does not exist, is a file, or holds no Delta table ({@code _delta_log/} with version 0 or a checkpoint). */
public class TableNotFoundException extends DataShardException {
  private static final long serialVersionUID = 1L;

  /** @param message names the location and what was found there */
  public TableNotFoundException(String message) {
    super(message);
  }
}
