package io.datashard.s3;

import java.io.IOException;

/**
 * The S3 server ignored {@code If-None-Match: *} when asked to write an object that exists, so
 * put-if-absent — the atomic step of every commit — is not available and concurrent writers could
 * overwrite each other's commits. DataShard refuses to commit to such a server unless single-writer
 * mode was chosen explicitly ({@link S3Storage.Builder#singleWriter(boolean)} or {@code
 * DATASHARD_S3_SINGLE_WRITER=true}).
 */
public class ConditionalWritesUnsupportedException extends IOException {
  private static final long serialVersionUID = 1L;

  /** @param message names the table and what the server answered */
  public ConditionalWritesUnsupportedException(String message) {
    super(message);
  }
}
