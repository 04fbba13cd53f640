package io.datashard.internal.maintenance;

import io.datashard.internal.log.LogFiles;
import io.datashard.internal.log.TableState;
import io.datashard.storage.FileInfo;
import io.datashard.storage.Storage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Removes log files older than {@code delta.logRetentionDuration} (default 30 days), only behind a
 * checkpoint: with C the newest checkpoint whose commit is older than the retention, the commits,
 * checkpoints and checksums of versions before C that are themselves older than the retention are
 * deleted, oldest first; so are hidden temporary files of killed writers older than the retention.
 * C's own commit file stays (Delta Kernel requires it), so the table and
 * every version from C on stay readable; versions before C give {@code VersionNotFoundException}.
 *
 * <p>Crash safety: deleting oldest first keeps the log a contiguous run of versions at every
 * moment, which is all that finding the latest version relies on; a killed cleanup leaves a valid
 * log that the next cleanup finishes.
 */
public final class LogCleanup {
  static final long DEFAULT_RETENTION_MS = Duration.ofDays(30).toMillis();

  private LogCleanup() {}

  /** The log retention of a table's properties. */
  static long retentionMillis(TableState state) {
    return io.datashard.internal.log.Checkpoints.duration(state.metadata().configuration().get("delta.logRetentionDuration"), DEFAULT_RETENTION_MS);
  }

  /** Whether automatic cleanup after checkpoints is enabled ({@code delta.enableExpiredLogCleanup}, default true). */
  public static boolean enabled(TableState state) {
    return !"false".equalsIgnoreCase(state.metadata().configuration().getOrDefault("delta.enableExpiredLogCleanup",
        "true").trim());
  }

  /**
   * Deletes expired log files.
   *
   * @param state any recent state of the table (for its retention property)
   * @param now the current time in milliseconds
   * @return the number of files deleted
   */
  public static long run(Storage storage, TableState state, long now) throws IOException {
    long cutoff = now - retentionMillis(state);
    TreeMap<Long, FileInfo> commits = new TreeMap<>();
    TreeMap<Long, List<FileInfo>> others = new TreeMap<>(); // checkpoints (all parts) and checksums
    long deleted = 0;
    for (FileInfo f : storage.listFrom(LogFiles.LOG_DIR, "")) {
      // Staging and temporary files of killed writers: a live writer's are seconds old, these are
      // older than the whole log retention.
      if (f.name().startsWith(".") && f.name().endsWith(".tmp") && f.modificationTime() < cutoff) {
        if (storage.delete(f.path())) {
          deleted++;
        }
        continue;
      }
      OptionalLong v = LogFiles.commitVersion(f.name());
      if (v.isPresent()) {
        commits.put(v.getAsLong(), f);
        continue;
      }
      OptionalLong cp = LogFiles.checkpointVersion(f.name());
      if (cp.isEmpty()) {
        cp = ChecksumFiles.version(f.name());
      }
      if (cp.isPresent()) {
        others.computeIfAbsent(cp.getAsLong(), k -> new ArrayList<>()).add(f);
      }
    }
    // C: the newest version with a checkpoint whose commit is older than the cutoff. Only complete
    // single-file checkpoints count (ours); an incomplete multi-part one is not a safe base.
    long boundary = -1;
    for (Map.Entry<Long, List<FileInfo>> e : others.descendingMap().entrySet()) {
      long version = e.getKey();
      FileInfo commit = commits.get(version);
      boolean hasCheckpoint = e.getValue().stream().anyMatch(f -> f.name().endsWith(".checkpoint.parquet"));
      if (hasCheckpoint && commit != null && commit.modificationTime() < cutoff) {
        boundary = version;
        break;
      }
    }
    if (boundary < 0) {
      return deleted;
    }
    // From the oldest file of any kind: a cleanup killed halfway leaves checksums whose commits are gone.
    long first = Math.min(commits.isEmpty() ? boundary : commits.firstKey(), others.firstKey());
    for (long version = first; version < boundary; version++) {
      FileInfo commit = commits.get(version);
      if (commit != null && commit.modificationTime() >= cutoff) {
        break; // clock skew: a newer-looking old commit; stop rather than leave a gap
      }
      // The version's checkpoint and checksum go before its commit, so no checkpoint outlives its commit.
      for (FileInfo f : others.getOrDefault(version, List.of())) {
        if (storage.delete(f.path())) {
          deleted++;
        }
      }
      if (commit != null && storage.delete(commit.path())) {
        deleted++;
      }
    }
    return deleted;
  }
}
