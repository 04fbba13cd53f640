package io.datashard;

import java.io.IOException;

/**
 * An I/O operation failed (disk full, permission denied, I/O error). The operation that saw it has
 * not committed: the table is unchanged, and any data files it had written are unreferenced.
 */
public class StorageException extends DataShardException {
  private static final long serialVersionUID = 1L;

  /** @param message names the file and the operation */
  public StorageException(String message, IOException cause) {
    super(message + ": " + cause, cause);
  }

  @Override
  public boolean isUserError() {
    return false;
  }
}
