package io.datashard.internal.maintenance;

import io.datashard.InvalidRetentionException;
import io.datashard.ProgressListener;
import io.datashard.StorageException;
import io.datashard.VacuumBuilder;
import io.datashard.VacuumResult;
import io.datashard.internal.log.Action;
import io.datashard.internal.log.Action.AddFile;
import io.datashard.internal.log.Action.RemoveFile;
import io.datashard.internal.log.Checkpoints;
import io.datashard.internal.log.LogFiles;
import io.datashard.internal.log.TableState;
import io.datashard.internal.table.DataPaths;
import io.datashard.storage.FileInfo;
import io.datashard.storage.Storage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Deletes unreferenced files older than the retention window ({@link VacuumBuilder}). */
public final class Vacuum implements VacuumBuilder {
  private final TableContext table;
  private Duration retention;
  private boolean dryRun;
  private boolean unsafe;
  private ProgressListener progress = ProgressListener.NONE;

  public Vacuum(TableContext table) {
    this.table = table;
  }

  @Override
  public VacuumBuilder retain(Duration retention) {
    if (retention.isNegative()) {
      throw new IllegalArgumentException("retention must not be negative: " + retention);
    }
    this.retention = retention;
    return this;
  }

  @Override
  public VacuumBuilder dryRun() {
    this.dryRun = true;
    return this;
  }

  @Override
  public VacuumBuilder unsafeRetention() {
    this.unsafe = true;
    return this;
  }

  @Override
  public VacuumBuilder progress(ProgressListener listener) {
    this.progress = Objects.requireNonNull(listener, "listener");
    return this;
  }

  @Override
  public VacuumResult execute() {
    TableState state = table.refresh().get();
    long now = System.currentTimeMillis();
    long tombstoneRetention = Checkpoints.duration(
        state.metadata().configuration().get("delta.deletedFileRetentionDuration"), MINIMUM_RETENTION.toMillis());
    Duration window = retention != null ? retention : Duration.ofMillis(tombstoneRetention);
    if (window.compareTo(MINIMUM_RETENTION) < 0 && !unsafe) {
      throw new InvalidRetentionException("table " + table.location() + ": a vacuum retention of " + window
          + " is below the safe minimum of " + MINIMUM_RETENTION.toDays() + " days: files of transactions still"
          + " running would look unreferenced and be deleted; allow it explicitly (unsafe retention) if no writer"
          + " runs longer than that");
    }
    long cutoff = now - window.toMillis();
    Set<String> referenced = referenced(state, cutoff, window.toMillis() > tombstoneRetention);
    Storage storage = table.log().storage();
    List<FileInfo> all;
    try {
      progress.progress("listing files", 0, 1);
      all = storage.listTree("");
      progress.progress("listing files", 1, 1);
    } catch (UnsupportedOperationException e) {
      throw new StorageException("cannot vacuum table " + table.location(), new IOException(e.getMessage(), e));
    } catch (IOException e) {
      throw new StorageException("cannot list the files of table " + table.location(), e);
    }
    List<FileInfo> doomed = new ArrayList<>();
    for (FileInfo f : all) {
      if (isCandidate(f.path()) && !referenced.contains(f.path()) && f.modificationTime() < cutoff) {
        doomed.add(f);
      }
    }
    long files = 0;
    long bytes = 0;
    List<String> paths = new ArrayList<>();
    for (FileInfo f : doomed) {
      if (!dryRun) {
        try {
          if (!storage.delete(f.path())) {
            continue; // already gone (another vacuum)
          }
        } catch (IOException e) {
          throw new StorageException("vacuum of table " + table.location() + " cannot delete " + f.path() + " after"
              + " deleting " + files + " unreferenced files", e);
        }
      }
      files++;
      bytes += f.size();
      paths.add(f.path());
      progress.progress(dryRun ? "files to delete" : "deleting files", files, doomed.size());
    }
    long logFiles = 0;
    if (!dryRun) {
      try {
        logFiles = LogCleanup.run(storage, state, now);
      } catch (IOException e) {
        throw new StorageException("vacuum of table " + table.location() + " deleted " + files + " files but its log"
            + " cleanup failed", e);
      }
    }
    return new VacuumResult(dryRun, window, state.version(), files, bytes, paths, logFiles);
  }

  /**
   * Table-relative paths every snapshot in the window may read: the latest version's files, files
   * removed after the cutoff (tombstones), and — when the window is longer than the table's tombstone
   * retention, so checkpoints may have dropped tombstones still inside it — every file named by a
   * commit made after the cutoff.
   */
  private Set<String> referenced(TableState state, long cutoff, boolean scanCommits) {
    Set<String> paths = new HashSet<>();
    for (AddFile f : state.files().values()) {
      paths.add(decode(f.path(), state.version()));
    }
    for (RemoveFile r : state.tombstones().values()) {
      String p = decode(r.path(), state.version()); // a hostile path fails the vacuum even when expired
      if (r.deletionTimestamp() >= cutoff) {
        paths.add(p);
      }
    }
    if (scanCommits) {
      for (FileInfo c : table.log().listCommits()) {
        if (c.modificationTime() < cutoff) {
          continue;
        }
        long v = LogFiles.commitVersion(c.name()).getAsLong();
        if (v > state.version()) {
          continue; // committed during this vacuum: its files are newer than the window
        }
        for (Action a : table.log().readCommit(v).actions()) {
          if (a instanceof AddFile add) {
            paths.add(decode(add.path(), v));
          } else if (a instanceof RemoveFile rm) {
            paths.add(decode(rm.path(), v));
          }
        }
      }
    }
    return paths;
  }

  /** Throws {@code CorruptTableException} (deleting nothing) for a path that leaves the table. */
  private String decode(String addPath, long version) {
    return DataPaths.decode(addPath, table.localRoot(), table.location(), version);
  }

  /**
   * Whether vacuum may consider a file: never in {@code _delta_log/} or any directory whose name
   * starts with {@code _} or {@code .}; never a file whose name starts with {@code _}; of hidden
   * files only DataShard's temporary {@code .tmp} files (left by killed writers).
   */
  static boolean isCandidate(String path) {
    String[] segments = path.split("/");
    for (int i = 0; i < segments.length - 1; i++) {
      if (segments[i].startsWith("_") || segments[i].startsWith(".")) {
        return false;
      }
    }
    String name = segments[segments.length - 1];
    if (name.startsWith("_")) {
      return false;
    }
    return !name.startsWith(".") || name.endsWith(".tmp");
  }
}
