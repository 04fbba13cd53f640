package io.datashard.storage;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A file being written. Its bytes are invisible under the final name until {@link #publish()}
 * succeeds; {@link #close()} before that discards them.
 */
public interface NewFile extends Closeable {
  /** The stream to write the content to; do not close it, call {@link #publish()} or {@link #close()}. */
  OutputStream stream();

  /** Bytes written so far. */
  long position();

  /**
   * Makes the content visible under the final path, atomically, and starts making it durable
   * (unless the storage was opened without sync). Never replaces an existing file. Nothing may
   * refer to the file before {@link #awaitDurable()} returns.
   *
   * @return the size in bytes of the published file
   * @throws java.nio.file.FileAlreadyExistsException if the final path exists
   */
  long publish() throws IOException;

  /**
   * Waits until the published file's content and name are durable. Separate from {@link
   * #publish()} so that a commit can make its data files and its log entry durable concurrently.
   */
  void awaitDurable() throws IOException;

  /** Discards the content unless published; idempotent. */
  @Override
  void close() throws IOException;
}
