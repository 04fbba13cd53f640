package io.datashard.internal.log;

import io.datashard.CorruptTableException;
import io.datashard.InvalidSchemaException;
import io.datashard.StorageException;
import io.datashard.TableNotFoundException;
import io.datashard.UnsupportedTableFeatureException;
import io.datashard.VersionNotFoundException;
import io.datashard.storage.FileInfo;
import io.datashard.storage.PathOutsideTableException;
import io.datashard.storage.Storage;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** Reads a table's {@code _delta_log}: finds the latest version, loads and advances states. */
public final class TableLog {
  private final Storage storage;

  public TableLog(Storage storage) {
    this.storage = storage;
  }

  public Storage storage() {
    return storage;
  }

  public String location() {
    return storage.location();
  }

  /**
   * The latest version, found without listing the log: from {@code knownVersion} (a version known
   * to exist, or -1) probe {@code v+1, v+2, v+4 ...} until a commit is missing, then bisect. Relies
   * on versions being contiguous above the oldest retained one, which put-if-absent commits ensure.
   *
   * @return the latest version, or empty if the location holds no table
   */
  public OptionalLong latestVersion(long knownVersion) {
    long known = knownVersion;
    if (known < 0) {
      if (!rootIsDirectory()) {
        return OptionalLong.empty();
      }
      known = lastCheckpointVersion().orElse(-1);
    }
    if (known < 0 && !exists(LogFiles.commit(0))) {
      // No version 0: either no table, or an old log whose first commits were cleaned up.
      OptionalLong oldest = oldestCommitByListing();
      if (oldest.isEmpty()) {
        return OptionalLong.empty();
      }
      known = oldest.getAsLong();
    }
    if (storage.listsFromCheaply()) {
      return latestByListing(known);
    }
    long step = 1;
    long missing;
    while (true) {
      long probe = known + step;
      if (exists(LogFiles.commit(probe))) {
        known = probe;
        step *= 2;
      } else {
        missing = probe;
        break;
      }
    }
    // Invariant: known exists (or is -1), missing does not; bisect between them.
    while (missing - known > 1) {
      long mid = known + (missing - known) / 2;
      if (exists(LogFiles.commit(mid))) {
        known = mid;
      } else {
        missing = mid;
      }
    }
    return known < 0 ? OptionalLong.empty() : OptionalLong.of(known);
  }

  /**
   * The newest commit after {@code known} (a version known to exist, or -1) in one listing that
   * starts after it: on object stores one request where probing would take one per version.
   */
  private OptionalLong latestByListing(long known) {
    long latest = known;
    try {
      for (FileInfo f : storage.listFrom(LogFiles.LOG_DIR, known < 0 ? "" : LogFiles.padded(known) + ".json")) {
        OptionalLong v = LogFiles.commitVersion(f.name());
        if (v.isPresent() && v.getAsLong() > latest) {
          latest = v.getAsLong();
        }
      }
    } catch (IOException e) {
      throw new StorageException("cannot list the log of table " + location(), e);
    }
    return latest < 0 ? OptionalLong.empty() : OptionalLong.of(latest);
  }

  /** The state at the latest version. @throws TableNotFoundException if there is no table */
  public TableState loadLatest() {
    long latest = latestVersion(-1).orElseThrow(this::notFound);
    checkNoCommitsBeyond(latest);
    return load(latest);
  }

  /**
   * Refuses a log with a gap after {@code latest} (a commit file missing while later ones exist),
   * which the probes that found {@code latest} cannot see: reading it would silently drop the later
   * commits. Where listing is cheap, {@code latest} came from a listing and replay meets any gap.
   * Elsewhere (a local directory, where a listing reads every entry: 18 ms at 10,000 versions, so
   * opening would grow with the history) probes stand in: the next eight versions, then doubling
   * distances up to about a million. A gap that no probe lands beyond is found by {@code verify}.
   */
  private void checkNoCommitsBeyond(long latest) {
    if (storage.listsFromCheaply()) {
      return;
    }
    for (long d = 2; d <= (1 << 20); d = d < 9 ? d + 1 : d * 2) {
      // A later version may also have been committed since latest was found: then latest + 1 exists too.
      if (exists(LogFiles.commit(latest + d)) && !exists(LogFiles.commit(latest + 1))) {
        throw new CorruptTableException("table " + location() + ", version " + (latest + 1) + ": "
            + LogFiles.commit(latest + 1) + " is missing but version " + (latest + d) + " exists (a gap in the log)");
      }
    }
  }

  /**
   * The state at a version: from the newest readable checkpoint at or before it plus the commits
   * after that, or replayed from commit 0. An unreadable checkpoint falls back to an older one or
   * to JSON replay; if neither exists, the checkpoint's error is thrown — never an empty table.
   */
  public TableState load(long version) {
    if (version < 0) {
      throw new VersionNotFoundException("table " + location() + " has no version " + version + " (versions start at 0)");
    }
    List<Checkpoints.Found> candidates = checkpointsAtOrBefore(version);
    RuntimeException checkpointFailure = null;
    for (Checkpoints.Found cp : candidates) {
      TableState.CheckpointContent content;
      try {
        content = Checkpoints.read(storage, cp, location(), false);
      } catch (CorruptTableException e) {
        checkpointFailure = addTo(checkpointFailure, e);
        continue;
      } catch (IOException e) {
        checkpointFailure = addTo(checkpointFailure, new StorageException("cannot read checkpoint of version "
            + cp.version() + " of table " + location(), e));
        continue;
      }
      return replayFrom(content, tombstonesOf(cp), cp.version(), version);
    }
    if (!exists(LogFiles.commit(0))) {
      if (checkpointFailure != null) {
        throw checkpointFailure;
      }
      OptionalLong oldest = oldestCommitByListing();
      if (oldest.isEmpty()) {
        throw notFound();
      }
      throw new VersionNotFoundException("table " + location() + " has no checkpoint at or before version " + version
          + " and its log starts at version " + oldest.getAsLong() + " (older commits were cleaned up)");
    }
    return replayFrom(null, TableState.Tombstones.of(Map.of()), -1, version);
  }

  /** A checkpoint's tombstones, read from it when first needed (see {@link TableState.Tombstones}). */
  private TableState.Tombstones tombstonesOf(Checkpoints.Found cp) {
    return TableState.Tombstones.loadedBy(() -> {
      try {
        return Checkpoints.read(storage, cp, location(), true).tombstones();
      } catch (IOException e) {
        throw new StorageException("cannot read the tombstones of the checkpoint of version " + cp.version()
            + " of table " + location(), e);
      }
    });
  }

  private static RuntimeException addTo(RuntimeException first, RuntimeException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }

  /** Complete checkpoints at or before a version, newest first; the pointer's checkpoint first if usable. */
  private List<Checkpoints.Found> checkpointsAtOrBefore(long version) {
    try {
      OptionalLong hint = Checkpoints.readLastCheckpoint(storage);
      if (hint.isPresent() && hint.getAsLong() <= version && exists(Checkpoints.path(hint.getAsLong()))
          && (hint.getAsLong() == version || exists(LogFiles.commit(hint.getAsLong() + 1)))) {
        List<Checkpoints.Found> found = new ArrayList<>();
        found.add(new Checkpoints.Found(hint.getAsLong(), List.of(Checkpoints.path(hint.getAsLong()))));
        return found; // fast path: no listing; older checkpoints are only listed if this one fails
      }
      Optional<Checkpoints.Found> v2 = Checkpoints.lastV2Checkpoint(storage);
      if (v2.isPresent() && v2.get().version() <= version && exists(v2.get().parts().get(0))
          && (v2.get().version() == version || exists(LogFiles.commit(v2.get().version() + 1)))) {
        return List.of(v2.get()); // the pointer names a v2 checkpoint file: no listing either
      }
      if (exists(LogFiles.commit(0)) && hint.isEmpty()) {
        return List.of(); // a log that was never checkpointed: replay from 0
      }
      List<Checkpoints.Found> found = new ArrayList<>();
      for (Checkpoints.Found cp : Checkpoints.list(storage)) {
        if (cp.version() <= version) {
          found.add(cp);
        }
      }
      return found;
    } catch (IOException e) {
      throw new StorageException("cannot look for checkpoints of table " + location(), e);
    }
  }

  private TableState replayFrom(TableState.CheckpointContent start, TableState.Tombstones startTombstones,
      long checkpointVersion, long version) {
    long first = checkpointVersion + 1;
    List<List<Action>> commits = new ArrayList<>();
    long[] timestamps = new long[(int) (version - first + 1)];
    long previous = Long.MIN_VALUE;
    long startTimestamp = 0;
    if (start != null) {
      startTimestamp = timestampOf(checkpointVersion);
      previous = startTimestamp;
    }
    for (long v = first; v <= version; v++) {
      Commit c;
      try {
        c = readCommit(v);
      } catch (VersionNotFoundException e) {
        if (v == first) {
          // Cleaned-up history: log cleanup removes the oldest commits, never one after a kept one.
          OptionalLong oldest = oldestCommitByListing();
          throw new VersionNotFoundException("table " + location() + " no longer has version " + version
              + (oldest.isPresent() ? ": its log starts at version " + oldest.getAsLong() : "")
              + " (older commits were cleaned up)");
        }
        throw new CorruptTableException("table " + location() + ", version " + v + ": " + LogFiles.commit(v)
            + " is missing but version " + (v - 1) + " exists (a gap in the log)", e);
      }
      commits.add(c.actions());
      long ts = previous == Long.MIN_VALUE ? c.modificationTime() : Math.max(c.modificationTime(), previous + 1);
      timestamps[(int) (v - first)] = ts;
      previous = ts;
    }
    TableState state;
    try {
      state = TableState.replay(location(), start, startTombstones, first, commits, timestamps, startTimestamp);
    } catch (InvalidSchemaException e) {
      throw badSchema(e, lastMetadataVersion(commits, first).orElse(checkpointVersion));
    }
    ProtocolSupport.checkReadable(state, location());
    return state;
  }

  /** A version's commit time: its commit file's modification time, or its checkpoint's if the commit was cleaned up. */
  private long timestampOf(long version) {
    try {
      Optional<FileInfo> info = storage.info(LogFiles.commit(version));
      if (info.isEmpty()) {
        info = storage.info(Checkpoints.path(version));
      }
      return info.map(FileInfo::modificationTime).orElse(0L);
    } catch (IOException e) {
      throw new StorageException("cannot read the time of version " + version + " of table " + location(), e);
    }
  }

  /** The state at {@code target}, reading only the commits after {@code from}. */
  public TableState advance(TableState from, long target) {
    TableState s = from;
    for (long v = from.version() + 1; v <= target; v++) {
      Commit c = readCommit(v);
      try {
        s = s.next(c.actions(), c.modificationTime());
      } catch (InvalidSchemaException e) {
        throw badSchema(e, v);
      }
    }
    if (s != from) {
      ProtocolSupport.checkReadable(s, location());
    }
    return s;
  }

  /** The version of the last commit holding a metaData action, if any does. */
  private static OptionalLong lastMetadataVersion(List<List<Action>> commits, long first) {
    for (int i = commits.size() - 1; i >= 0; i--) {
      for (Action a : commits.get(i)) {
        if (a instanceof Action.Metadata) {
          return OptionalLong.of(first + i);
        }
      }
    }
    return OptionalLong.empty();
  }

  /** A schema in the log that cannot be parsed is corruption of the version that holds it. */
  private CorruptTableException badSchema(InvalidSchemaException e, long version) {
    return new CorruptTableException("table " + location() + ", version " + version + " (" + LogFiles.commit(version)
        + " or its checkpoint): metaData.schemaString is invalid: " + e.getMessage(), e);
  }

  /** The versions of the complete checkpoints in the log, oldest first (lists the log). */
  public List<Long> checkpointVersions() {
    try {
      List<Long> versions = new ArrayList<>();
      for (Checkpoints.Found cp : Checkpoints.list(storage)) {
        versions.add(0, cp.version());
      }
      return versions;
    } catch (IOException e) {
      throw new StorageException("cannot list the checkpoints of table " + location(), e);
    }
  }

  /**
   * The content of the checkpoint of a version.
   *
   * @throws CorruptTableException if it is missing, incomplete or unreadable
   */
  public TableState.CheckpointContent readCheckpoint(long version) {
    try {
      for (Checkpoints.Found cp : Checkpoints.list(storage)) {
        if (cp.version() == version) {
          return Checkpoints.read(storage, cp, location());
        }
      }
    } catch (IOException e) {
      throw new StorageException("cannot read the checkpoint of version " + version + " of table " + location(), e);
    }
    throw new CorruptTableException("table " + location() + " has no complete checkpoint of version " + version);
  }

  /** One commit file's actions and modification time. */
  public record Commit(long version, List<Action> actions, long modificationTime) {}

  /**
   * Reads one commit.
   *
   * @throws VersionNotFoundException if it does not exist
   */
  public Commit readCommit(long version) {
    String path = LogFiles.commit(version);
    try {
      FileInfo info = storage.info(path).orElseThrow(() -> new NoSuchFileException(path));
      byte[] content = storage.readAll(path);
      return new Commit(version, LogCodec.parse(content, location(), version, path), info.modificationTime());
    } catch (NoSuchFileException e) {
      throw new VersionNotFoundException("table " + location() + " has no version " + version + " (" + path + " is missing)");
    } catch (PathOutsideTableException e) {
      throw new CorruptTableException("table " + location() + ", version " + version + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new StorageException("cannot read " + path + " of table " + location(), e);
    }
  }

  /** The commit files of the log, oldest first (lists the directory). */
  public List<FileInfo> listCommits() {
    try {
      List<FileInfo> commits = new ArrayList<>();
      for (FileInfo f : storage.listFrom(LogFiles.LOG_DIR, "")) {
        if (LogFiles.commitVersion(f.name()).isPresent()) {
          commits.add(f);
        }
      }
      return commits;
    } catch (IOException e) {
      throw new StorageException("cannot list " + LogFiles.LOG_DIR + " of table " + location(), e);
    }
  }

  private OptionalLong oldestCommitByListing() {
    List<FileInfo> commits = listCommits();
    return commits.isEmpty() ? OptionalLong.empty() : LogFiles.commitVersion(commits.get(0).name());
  }

  private OptionalLong lastCheckpointVersion() {
    OptionalLong v;
    try {
      v = Checkpoints.readLastCheckpoint(storage);
    } catch (IOException e) {
      throw new StorageException("cannot read " + LogFiles.LAST_CHECKPOINT + " of table " + location(), e);
    }
    // The pointer is a hint: use it only if that version still exists as a commit or checkpoint.
    if (v.isPresent() && (exists(LogFiles.commit(v.getAsLong())) || exists(Checkpoints.path(v.getAsLong())))) {
      return v;
    }
    return OptionalLong.empty();
  }

  private boolean rootIsDirectory() {
    try {
      return storage.rootIsDirectory();
    } catch (IOException e) {
      throw new StorageException("cannot inspect " + location(), e);
    }
  }

  private boolean exists(String path) {
    try {
      return storage.exists(path);
    } catch (IOException e) {
      throw new StorageException("cannot check " + path + " of table " + location(), e);
    }
  }

  private TableNotFoundException notFound() {
    if (!rootIsDirectory()) {
      try {
        return new TableNotFoundException("no table at " + location() + ": "
            + (storage.info("").isPresent() ? "it is not a directory" : "it does not exist"));
      } catch (IOException e) {
        throw new StorageException("cannot inspect " + location(), e);
      }
    }
    return new TableNotFoundException("no table at " + location() + ": the directory has no " + LogFiles.commit(0));
  }
}
