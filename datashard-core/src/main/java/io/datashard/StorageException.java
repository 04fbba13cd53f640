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
    super(message + ": " + describe(cause), cause);
  }

  /** The cause, and its root cause when a library wrapped it ("can not write PageHeader" hides "No space left on device"). */
  private static String describe(IOException cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == cause ? cause.toString() : cause + " (caused by " + root + ")";
  }

  @Override
  public boolean isUserError() {
    return false;
  }
}
