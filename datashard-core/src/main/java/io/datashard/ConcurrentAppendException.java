package io.datashard;

/**
 * A concurrent commit added data files that may hold rows matching a predicate this transaction read. Row-level operations ({@code delete}, {@code update}, {@code merge}, {@code getOrCreate}
 * ...) and {@link Table#transact} re-plan on this conflict; a plain {@link Transaction} fails with it.
 */
public class ConcurrentAppendException extends ConcurrentModificationException {
  private static final long serialVersionUID = 1L;

  /** @see ConcurrentModificationException#ConcurrentModificationException(String, long) */
  public ConcurrentAppendException(String message, long winningVersion) {
    super(message, winningVersion);
  }
}
