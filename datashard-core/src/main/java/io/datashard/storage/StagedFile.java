package io.datashard.storage;

import java.io.Closeable;
import java.io.IOException;

/**
 * Content written to storage but not yet visible under any name, ready to be published as a log
 * entry with {@link Storage#publishIfAbsent(StagedFile, String)} — possibly several times under
 * successive names while a commit retries. It may still be becoming durable when returned; {@code
 * publishIfAbsent} waits for that. {@link #close()} discards the staging copy (a published entry stays).
 */
public interface StagedFile extends Closeable {
  /** The staged bytes. */
  byte[] content();

  /** Discards the staging copy; idempotent. */
  @Override
  void close() throws IOException;
}
