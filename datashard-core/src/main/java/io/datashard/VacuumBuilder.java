package io.datashard;

import java.time.Duration;

/**
 * Options of a vacuum ({@link Table#vacuum()}): deletes files in the table directory that no
 * snapshot within the retention window references and that were last modified before the window.
 *
 * <p>Why a minimum retention: a writer's new data files are unreferenced until it commits, so a
 * window shorter than the longest transaction could delete files a commit is about to name. A
 * retention below {@link #MINIMUM_RETENTION} is refused unless {@link #unsafeRetention()} is set.
 *
 * <p>What it never touches: anything in {@code _delta_log/} (log files are removed only by log
 * cleanup, behind a checkpoint), files and directories whose names start with {@code _} or {@code .}
 * (except DataShard's hidden {@code .tmp} files left by killed writers), symbolic links and
 * anything reached through one, and anything outside the table root. A table opened through a
 * symbolic link to its directory behaves exactly as when opened by its real path.
 *
 * <p>Under concurrent commits: vacuum commits nothing. Files added by commits during the vacuum
 * are newer than the window and are kept; files removed by concurrent commits stay referenced by
 * the retained snapshots. If any referenced path cannot be resolved inside the table, it deletes
 * nothing and throws {@link CorruptTableException}.
 */
public interface VacuumBuilder {
  /** The default and minimum safe retention: 7 days (Delta's default). */
  Duration MINIMUM_RETENTION = Duration.ofDays(7);

  /**
   * The retention window (default: the table's {@code delta.deletedFileRetentionDuration}, or 7
   * days).
   *
   * @throws IllegalArgumentException if negative
   */
  VacuumBuilder retain(Duration retention);

  /** Lists what would be deleted without deleting anything. */
  VacuumBuilder dryRun();

  /** Allows a retention below {@link #MINIMUM_RETENTION}; concurrent writers may lose uncommitted files. */
  VacuumBuilder unsafeRetention();

  /** Reports progress (files examined and deleted). */
  VacuumBuilder progress(ProgressListener listener);

  /**
   * Runs the vacuum; afterwards runs log cleanup ({@code delta.logRetentionDuration}), which never
   * removes a version's log files unless a checkpoint at or after it keeps every retained version
   * readable.
   *
   * @throws InvalidRetentionException if the retention is below the minimum without {@link #unsafeRetention()}
   * @throws CorruptTableException if the table's referenced paths cannot be resolved (nothing deleted)
   * @throws StorageException if listing or deleting fails (files deleted so far stay deleted; all
   *     were unreferenced)
   */
  VacuumResult execute();
}
