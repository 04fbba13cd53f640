package io.datashard;

import java.util.Iterator;

/**
 * An iterator over resources (open files) that must be closed; use it in try-with-resources.
 *
 * @param <T> the element type
 */
public interface CloseableIterator<T> extends Iterator<T>, AutoCloseable {
  /** Releases the open files; idempotent. */
  @Override
  void close();
}
