package io.datashard;

/** A concurrent commit changed the table's protocol (reader/writer versions or features). */
public class ProtocolChangedException extends ConcurrentModificationException {
  private static final long serialVersionUID = 1L;

  /** @see ConcurrentModificationException#ConcurrentModificationException(String, long) */
  public ProtocolChangedException(String message, long winningVersion) {
    super(message, winningVersion);
  }
}
