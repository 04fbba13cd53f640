package io.datashard;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One commit in a table's history, from its {@code commitInfo}.
 *
 * @param version the version
 * @param timestamp when it was committed (as in {@link Snapshot#timestamp()})
 * @param operation the operation ({@code CREATE TABLE}, {@code WRITE} ...), or {@code UNKNOWN}
 * @param operationParameters the operation's parameters, values as text
 * @param engineInfo the engine that wrote it, if recorded
 * @param commitToken the commit's unique token ({@code commitInfo.txnId}), if recorded
 */
public record HistoryEntry(long version, Instant timestamp, String operation, Map<String, String> operationParameters,
    Optional<String> engineInfo, Optional<String> commitToken) {

  /** Copies the parameters. */
  public HistoryEntry {
    operationParameters = Map.copyOf(operationParameters);
  }
}
