package io.datashard;

/** A concurrent commit recorded a transaction for the same application id ({@code txn} action). */
public class ConcurrentTransactionException extends ConcurrentModificationException {
  private static final long serialVersionUID = 1L;

  /** @see ConcurrentModificationException#ConcurrentModificationException(String, long) */
  public ConcurrentTransactionException(String message, long winningVersion) {
    super(message, winningVersion);
  }
}
