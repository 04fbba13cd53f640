package io.datashard;

/** A concurrent commit changed the table's metadata (schema, partitioning or properties). */
public class MetadataChangedException extends ConcurrentModificationException {
  private static final long serialVersionUID = 1L;

  /** @see ConcurrentModificationException#ConcurrentModificationException(String, long) */
  public MetadataChangedException(String message, long winningVersion) {
    super(message, winningVersion);
  }
}
