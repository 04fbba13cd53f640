package io.datashard.internal.table;

import io.datashard.CorruptTableException;
import io.datashard.VersionNotFoundException;
import io.datashard.internal.log.Action;
import io.datashard.internal.log.Action.CommitInfo;
import io.datashard.internal.log.LogFiles;
import io.datashard.internal.log.TableLog;
import io.datashard.internal.log.TableState;
import io.datashard.storage.FileInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Finds the version that was current at an instant, as the Delta protocol defines a commit's time:
 * its in-commit timestamp ({@code commitInfo.inCommitTimestamp}) from the version where the table
 * enabled them ({@code delta.enableInCommitTimestamps}), the commit file's modification time before
 * that (made increasing, since file times can repeat or go backwards).
 */
final class TimeTravel {
  private static final String ENABLED = "delta.enableInCommitTimestamps";
  private static final String ENABLEMENT_VERSION = "delta.inCommitTimestampEnablementVersion";

  private TimeTravel() {}

  /**
   * The newest version committed at or before {@code instant}.
   *
   * @throws VersionNotFoundException if the oldest retained version is newer than {@code instant}
   */
  static long versionAsOf(TableLog log, TableState latest, Instant instant) {
    long millis = instant.toEpochMilli();
    Map<String, String> conf = latest.metadata().configuration();
    if ("true".equalsIgnoreCase(conf.getOrDefault(ENABLED, "false"))) {
      long first = Long.parseLong(conf.getOrDefault(ENABLEMENT_VERSION, "0"));
      if (first <= latest.version() && inCommitTimestamp(log, first) <= millis) {
        // In-commit timestamps increase with the version: binary search for the last one <= millis.
        long lo = first;
        long hi = latest.version();
        while (lo < hi) {
          long mid = lo + (hi - lo + 1) / 2;
          if (inCommitTimestamp(log, mid) <= millis) {
            lo = mid;
          } else {
            hi = mid - 1;
          }
        }
        return lo;
      }
      return byFileTime(log, millis, first - 1, instant);
    }
    return byFileTime(log, millis, Long.MAX_VALUE, instant);
  }

  private static long inCommitTimestamp(TableLog log, long version) {
    for (Action a : log.readCommit(version).actions()) {
      if (a instanceof CommitInfo info && info.fields().get("inCommitTimestamp") instanceof Number n) {
        return n.longValue();
      }
    }
    throw new CorruptTableException("table " + log.location() + ", version " + version + ": "
        + LogFiles.commit(version) + " has no commitInfo.inCommitTimestamp although the table enables "
        + "in-commit timestamps");
  }

  private static long byFileTime(TableLog log, long millis, long lastVersion, Instant instant) {
    List<FileInfo> commits = log.listCommits();
    long found = -1;
    long previous = Long.MIN_VALUE;
    for (FileInfo f : commits) {
      long version = LogFiles.commitVersion(f.name()).getAsLong();
      if (version > lastVersion) {
        break;
      }
      long ts = previous == Long.MIN_VALUE ? f.modificationTime() : Math.max(f.modificationTime(), previous + 1);
      previous = ts;
      if (ts > millis) {
        break;
      }
      found = version;
    }
    if (found < 0) {
      String first = commits.isEmpty() ? "none" : Instant.ofEpochMilli(commits.get(0).modificationTime()).toString();
      throw new VersionNotFoundException("table " + log.location() + " has no version committed at or before "
          + instant + " (the oldest retained version was committed at " + first + ")");
    }
    return found;
  }
}
