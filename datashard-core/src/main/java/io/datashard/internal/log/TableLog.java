package io.datashard.internal.log;

import com.fasterxml.jackson.databind.JsonNode;
import io.datashard.CorruptTableException;
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

  /** The state at the latest version. @throws TableNotFoundException if there is no table */
  public TableState loadLatest() {
    long latest = latestVersion(-1).orElseThrow(this::notFound);
    return load(latest);
  }

  /** The state at a version, replayed from the oldest retained commit. */
  public TableState load(long version) {
    long first = 0;
    if (!exists(LogFiles.commit(0))) {
      OptionalLong oldest = oldestCommitByListing();
      if (oldest.isEmpty()) {
        throw notFound();
      }
      throw new UnsupportedTableFeatureException("table " + location() + " has no commit 0 (its log was cleaned up"
          + " behind a checkpoint); reading tables from checkpoints is not supported by this version of DataShard");
    }
    if (version < first) {
      throw new VersionNotFoundException("table " + location() + " has no version " + version);
    }
    List<List<Action>> commits = new ArrayList<>();
    long[] timestamps = new long[(int) (version - first + 1)];
    long previous = Long.MIN_VALUE;
    for (long v = first; v <= version; v++) {
      Commit c = readCommit(v);
      commits.add(c.actions());
      long ts = previous == Long.MIN_VALUE ? c.modificationTime() : Math.max(c.modificationTime(), previous + 1);
      timestamps[(int) (v - first)] = ts;
      previous = ts;
    }
    TableState state = TableState.replay(location(), first, commits, timestamps);
    ProtocolSupport.checkReadable(state, location());
    return state;
  }

  /** The state at {@code target}, reading only the commits after {@code from}. */
  public TableState advance(TableState from, long target) {
    TableState s = from;
    for (long v = from.version() + 1; v <= target; v++) {
      Commit c = readCommit(v);
      s = s.next(c.actions(), c.modificationTime());
    }
    if (s != from) {
      ProtocolSupport.checkReadable(s, location());
    }
    return s;
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
    byte[] content;
    try {
      content = storage.readAll(LogFiles.LAST_CHECKPOINT);
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    } catch (IOException e) {
      throw new StorageException("cannot read " + LogFiles.LAST_CHECKPOINT + " of table " + location(), e);
    }
    try {
      JsonNode node = LogCodec.MAPPER.readTree(content);
      JsonNode v = node == null ? null : node.get("version");
      if (v != null && v.canConvertToExactIntegral() && v.asLong() >= 0 && exists(LogFiles.commit(v.asLong()))) {
        return OptionalLong.of(v.asLong());
      }
    } catch (IOException e) {
      // A corrupt pointer is only a hint: fall back to probing from the start, as the protocol allows.
      return OptionalLong.empty();
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
