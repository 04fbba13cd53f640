package io.datashard;

/**
 * A concurrent commit removed a data file this transaction read. Row-level operations ({@code delete}, {@code update}, {@code merge}, {@code getOrCreate}
 * ...) and {@link Table#transact} re-plan on this conflict; a plain {@link Transaction} fails with it.
 */
public class ConcurrentDeleteReadException extends ConcurrentModificationException {
  private static final long serialVersionUID = 1L;

  /** @see ConcurrentModificationException#ConcurrentModificationException(String, long) */
  public ConcurrentDeleteReadException(String message, long winningVersion) {
    super(message, winningVersion);
  }
}
