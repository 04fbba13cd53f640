package io.datashard;

import java.time.Duration;
import java.util.List;

/**
 * What a vacuum deleted (or, in a dry run, would delete).
 *
 * @param dryRun whether nothing was deleted
 * @param retention the retention window used
 * @param version the version whose retained snapshots were kept
 * @param filesDeleted data and temporary files deleted (or to delete)
 * @param bytesDeleted their total size
 * @param files their table-relative paths, sorted
 * @param logFilesDeleted log files (commits, checkpoints, checksums) removed by log cleanup (0 in a dry run)
 */
public record VacuumResult(boolean dryRun, Duration retention, long version, long filesDeleted, long bytesDeleted,
    List<String> files, long logFilesDeleted) {

  /** Copies the list. */
  public VacuumResult {
    files = List.copyOf(files);
  }
}
