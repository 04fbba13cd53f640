package io.datashard.storage;

import java.io.IOException;

/**
 * {@link Storage#publishIfAbsent} could not confirm whether its own request created the file, and
 * the storage guarantees how to find out: if the file now holds the staged content, this call
 * created it and it is durable; if it holds other content, another writer created it first; if it
 * is absent, nothing was created and the call may be repeated. Object stores throw it for a {@code
 * 412 Precondition Failed} (which an SDK's silent retry of a request that had already succeeded
 * also produces), for server errors and for broken connections; the committer then reads the
 * file back instead of trusting the status.
 */
public class UnconfirmedPublishException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message names the file and what was seen
   * @param cause the failure of the request, if any
   */
  public UnconfirmedPublishException(String message, Throwable cause) {
    super(message, cause);
  }
}
