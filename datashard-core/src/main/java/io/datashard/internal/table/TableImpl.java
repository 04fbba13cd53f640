package io.datashard.internal.table;

import io.datashard.CommitResult;
import io.datashard.HistoryEntry;
import io.datashard.Scan;
import io.datashard.Snapshot;
import io.datashard.StorageException;
import io.datashard.Table;
import io.datashard.TableOptions;
import io.datashard.Transaction;
import io.datashard.VersionNotFoundException;
import io.datashard.internal.log.Action;
import io.datashard.internal.log.Action.AddFile;
import io.datashard.internal.log.Action.CommitInfo;
import io.datashard.internal.log.LogFiles;
import io.datashard.internal.log.TableLog;
import io.datashard.internal.log.TableState;
import io.datashard.internal.storage.LocalStorage;
import io.datashard.storage.FileInfo;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A table handle. Its only mutable state is the newest {@link TableState} it knows, swapped
 * atomically; states are immutable, so readers and writers on any number of threads share it
 * without locks.
 */
final class TableImpl implements Table {
  private final TableLog log;
  private final TableOptions options;
  private final AtomicReference<TableState> latest;
  private final String localRoot;

  TableImpl(TableLog log, TableState initial, TableOptions options) {
    this.log = log;
    this.options = options;
    this.latest = new AtomicReference<>(initial);
    this.localRoot = log.storage() instanceof LocalStorage ? log.location() : null;
  }

  TableLog log() {
    return log;
  }

  /** The table root as a local path, or null when the storage is not local (for absolute data paths). */
  String localRoot() {
    return localRoot;
  }

  @Override
  public String location() {
    return log.location();
  }

  @Override
  public TableOptions options() {
    return options;
  }

  /** The newest state: probes for versions after the cached one and reads only those. */
  TableState refresh() {
    TableState cached = latest.get();
    long newest = log.latestVersion(cached.version()).orElse(cached.version());
    if (newest == cached.version()) {
      return cached;
    }
    TableState next = log.advance(cached, newest);
    offer(next);
    return next;
  }

  /** Makes a state the cached one if it is newer than the cached one. */
  void offer(TableState state) {
    latest.accumulateAndGet(state, (current, offered) -> offered.version() > current.version() ? offered : current);
  }

  /** The state at a version: the cached one, one derived from it, or a replay from the log. */
  TableState stateAt(long version) {
    TableState cached = latest.get();
    if (version == cached.version()) {
      return cached;
    }
    if (version > cached.version()) {
      TableState newest = refresh();
      if (version > newest.version()) {
        throw new VersionNotFoundException("table " + location() + " has no version " + version + "; the latest is "
            + newest.version());
      }
      return version == newest.version() ? newest : log.advance(cached, version);
    }
    if (version < 0) {
      throw new VersionNotFoundException("table " + location() + " has no version " + version + " (versions start at 0)");
    }
    return log.load(version);
  }

  /** The version that was current at an instant. */
  long versionAsOf(Instant instant) {
    List<FileInfo> commits = log.listCommits();
    long found = -1;
    long previous = Long.MIN_VALUE;
    long millis = instant.toEpochMilli();
    for (FileInfo f : commits) {
      long ts = previous == Long.MIN_VALUE ? f.modificationTime() : Math.max(f.modificationTime(), previous + 1);
      previous = ts;
      if (ts <= millis) {
        found = LogFiles.commitVersion(f.name()).getAsLong();
      } else {
        break;
      }
    }
    if (found < 0) {
      String first = commits.isEmpty() ? "none" : Instant.ofEpochMilli(commits.get(0).modificationTime()).toString();
      throw new VersionNotFoundException("table " + location() + " has no version committed at or before " + instant
          + " (the oldest retained version was committed at " + first + ")");
    }
    return found;
  }

  @Override
  public Snapshot currentSnapshot() {
    return toSnapshot(refresh());
  }

  @Override
  public Snapshot snapshot(long version) {
    return toSnapshot(stateAt(version));
  }

  @Override
  public Snapshot snapshotAsOf(Instant instant) {
    return snapshot(versionAsOf(instant));
  }

  private static Snapshot toSnapshot(TableState s) {
    Map<String, AddFile> files = s.files();
    long size = 0;
    long rows = 0;
    boolean rowsKnown = true;
    for (AddFile f : files.values()) {
      size += f.size();
      OptionalLong n = Stats.numRecords(f);
      if (n.isPresent()) {
        rows += n.getAsLong();
      } else {
        rowsKnown = false;
      }
    }
    return new Snapshot(s.version(), Instant.ofEpochMilli(s.timestamp()), s.schema(), s.partitionColumns(),
        s.metadata().configuration(), files.size(), size, rowsKnown ? OptionalLong.of(rows) : OptionalLong.empty());
  }

  @Override
  public List<HistoryEntry> history() {
    List<FileInfo> commits = log.listCommits();
    List<HistoryEntry> entries = new ArrayList<>(commits.size());
    long previous = Long.MIN_VALUE;
    for (FileInfo f : commits) {
      long version = LogFiles.commitVersion(f.name()).getAsLong();
      long ts = previous == Long.MIN_VALUE ? f.modificationTime() : Math.max(f.modificationTime(), previous + 1);
      previous = ts;
      CommitInfo info = null;
      for (Action a : log.readCommit(version).actions()) {
        if (a instanceof CommitInfo ci) {
          info = ci;
        }
      }
      Map<String, String> params = new LinkedHashMap<>();
      String operation = "UNKNOWN";
      Optional<String> engine = Optional.empty();
      Optional<String> token = Optional.empty();
      if (info != null) {
        operation = info.string("operation").orElse("UNKNOWN");
        engine = info.string("engineInfo");
        token = info.string("txnId");
        if (info.fields().get("operationParameters") instanceof Map<?, ?> p) {
          p.forEach((k, v) -> params.put(String.valueOf(k), v instanceof String str ? str : JsonText.of(v)));
        }
      }
      entries.add(new HistoryEntry(version, Instant.ofEpochMilli(ts), operation, params, engine, token));
    }
    java.util.Collections.reverse(entries);
    return entries;
  }

  @Override
  public Scan newScan() {
    return new ScanImpl(this, ScanImpl.Spec.LATEST);
  }

  @Override
  public CommitResult append(Iterable<?> rows) {
    try (Transaction tx = newTransaction()) {
      tx.append(rows);
      return tx.commit();
    }
  }

  @Override
  public Transaction newTransaction() {
    return new TransactionImpl(this, refresh());
  }

  @Override
  public void close() {
    try {
      log.storage().close();
    } catch (IOException e) {
      throw new StorageException("cannot close the storage of table " + location(), e);
    }
  }

  @Override
  public String toString() {
    return "Table[" + location() + "]";
  }
}
