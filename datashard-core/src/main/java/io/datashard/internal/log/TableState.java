package io.datashard.internal.log;

import io.datashard.Schema;
import io.datashard.internal.log.Action.AddFile;
import io.datashard.internal.log.Action.Metadata;
import io.datashard.internal.log.Action.Protocol;
import io.datashard.internal.log.Action.RemoveFile;
import io.datashard.internal.log.Action.SetTransaction;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The reconciled state of a table at one version: protocol, metadata, the live data files and the
 * last version of each application id. Immutable and safe to share between threads.
 *
 * <p>The file set is materialized lazily: a state derived from another keeps only the file actions
 * of the commits in between, so that committing and refreshing cost O(new commits), not O(files).
 * Chains are cut every {@link #MAX_CHAIN} states to bound memory and materialization work.
 */
public final class TableState {
  private static final int MAX_CHAIN = 512;

  private final long version;
  private final long timestamp;
  private final Protocol protocol;
  private final Metadata metadata;
  private final Schema schema;
  private final Map<String, Long> appVersions;

  private TableState parent;
  private List<Action> fileActions;
  private final int chainLength;
  private FileSet fileSet;
  /** Live file count and bytes when known exactly without materializing, else -1 (see {@link #next}). */
  private final long knownFiles;
  private final long knownBytes;

  /** The live files, by path, and the remove tombstones. */
  private record FileSet(Map<String, AddFile> files, Tombstones tombstones) {}

  /**
   * Remove tombstones, computed when first asked for: only checkpoint writers, vacuum and verify need
   * them, and a table with much churn has far more tombstones than live files, so loading them on
   * every open would make opening grow with the history. Either loaded from a source (a checkpoint),
   * or a base plus the file actions after it. Locks are taken from a derived set to its base only.
   */
  static final class Tombstones {
    /** Uncomputed links after which a new derived set is computed at once, bounding the chain. */
    private static final int MAX_DEPTH = 16;
    private Supplier<Map<String, RemoveFile>> source;
    private Tombstones base;
    private List<Action> actions;
    private Map<String, RemoveFile> map;
    private final int depth;

    private Tombstones(Supplier<Map<String, RemoveFile>> source, Tombstones base, List<Action> actions,
        Map<String, RemoveFile> map, int depth) {
      this.source = source;
      this.base = base;
      this.actions = actions;
      this.map = map;
      this.depth = depth;
    }

    static Tombstones of(Map<String, RemoveFile> map) {
      return new Tombstones(null, null, null, Collections.unmodifiableMap(new HashMap<>(map)), 0);
    }

    static Tombstones loadedBy(Supplier<Map<String, RemoveFile>> source) {
      return new Tombstones(source, null, null, null, 1);
    }

    /** These tombstones after the file actions (adds and removes, in commit order). */
    Tombstones then(List<Action> fileActions) {
      if (fileActions.isEmpty()) {
        return this;
      }
      int d;
      synchronized (this) {
        d = map != null ? 1 : depth + 1;
      }
      Tombstones next = new Tombstones(null, this, List.copyOf(fileActions), null, d);
      if (d >= MAX_DEPTH) {
        next.get();
      }
      return next;
    }

    synchronized Map<String, RemoveFile> get() {
      if (map == null) {
        Map<String, RemoveFile> m = new HashMap<>(source != null ? source.get() : base.get());
        if (actions != null) {
          for (Action a : actions) {
            if (a instanceof AddFile add) {
              m.remove(add.key());
            } else if (a instanceof RemoveFile rm) {
              m.put(rm.key(), rm);
            }
          }
        }
        map = Collections.unmodifiableMap(m);
        source = null;
        base = null;
        actions = null;
      }
      return map;
    }
  }

  /** What a checkpoint holds: the reconciled actions of one version. */
  public record CheckpointContent(Protocol protocol, Metadata metadata, Map<String, Long> appVersions,
      Map<String, AddFile> files, Map<String, RemoveFile> tombstones) {}

  private TableState(long version, long timestamp, Protocol protocol, Metadata metadata, Schema schema,
      Map<String, Long> appVersions, TableState parent, List<Action> fileActions, int chainLength,
      FileSet fileSet, long knownFiles, long knownBytes) {
    this.version = version;
    this.timestamp = timestamp;
    this.protocol = protocol;
    this.metadata = metadata;
    this.schema = schema;
    this.appVersions = appVersions;
    this.parent = parent;
    this.fileActions = fileActions;
    this.chainLength = chainLength;
    this.fileSet = fileSet;
    if (fileSet != null) {
      long bytes = 0;
      for (AddFile f : fileSet.files().values()) {
        bytes += f.size();
      }
      this.knownFiles = fileSet.files().size();
      this.knownBytes = bytes;
    } else {
      this.knownFiles = knownFiles;
      this.knownBytes = knownBytes;
    }
  }

  /**
   * Replays commits, from scratch or on top of a checkpoint.
   *
   * @param start the checkpoint of version {@code firstVersion - 1}, or null to start empty
   * @param commits the actions of each commit, in version order, the first at {@code firstVersion}
   * @param timestamps each commit's (monotonized) timestamp
   * @param startTimestamp the checkpoint version's timestamp (used when there are no commits)
   */
  static TableState replay(String table, CheckpointContent start, long firstVersion, List<List<Action>> commits,
      long[] timestamps, long startTimestamp) {
    return replay(table, start, start == null ? Tombstones.of(Map.of()) : Tombstones.of(start.tombstones()),
        firstVersion, commits, timestamps, startTimestamp);
  }

  /**
   * As {@link #replay(String, CheckpointContent, long, List, long[], long)}, with the checkpoint's
   * tombstones given separately (so they can be loaded only when needed).
   */
  static TableState replay(String table, CheckpointContent start, Tombstones startTombstones, long firstVersion,
      List<List<Action>> commits, long[] timestamps, long startTimestamp) {
    Protocol protocol = start == null ? null : start.protocol();
    Metadata metadata = start == null ? null : start.metadata();
    Map<String, Long> apps = new HashMap<>(start == null ? Map.of() : start.appVersions());
    Map<String, AddFile> files = new LinkedHashMap<>(start == null ? Map.of() : start.files());
    List<Action> fileActions = new ArrayList<>();
    for (List<Action> commit : commits) {
      for (Action a : commit) {
        if (a instanceof Protocol p) {
          protocol = p;
        } else if (a instanceof Metadata m) {
          metadata = m;
        } else if (a instanceof SetTransaction t) {
          apps.put(t.appId(), t.version());
        } else if (a instanceof AddFile || a instanceof RemoveFile) {
          applyFileAction(files, a);
          fileActions.add(a);
        }
      }
    }
    long version = firstVersion + commits.size() - 1;
    if (protocol == null || metadata == null) {
      throw new io.datashard.CorruptTableException("table " + table + " has no " + (protocol == null ? "protocol" : "metaData")
          + " action in versions " + (start == null ? firstVersion : firstVersion - 1 + " (checkpoint)") + ".." + version);
    }
    return new TableState(version, timestamps.length == 0 ? startTimestamp : timestamps[timestamps.length - 1],
        protocol, metadata, SchemaJson.parse(metadata.schemaString()), Collections.unmodifiableMap(apps), null, null, 0,
        new FileSet(Collections.unmodifiableMap(files), startTombstones.then(fileActions)), -1, -1);
  }

  /** The state after one more commit. */
  public TableState next(List<Action> commit, long commitTimestamp) {
    Protocol p = protocol;
    Metadata m = metadata;
    Map<String, Long> apps = appVersions;
    List<Action> fileChanges = new ArrayList<>();
    // The counts follow without materializing only for DataShard's own commits, whose adds have
    // fresh (UUID) paths and whose removes name live files with their sizes; any other commit makes
    // them unknown until the next materialization.
    boolean countable = knownFiles >= 0;
    long files = knownFiles;
    long bytes = knownBytes;
    if (countable && !isDataShardCommit(commit)) {
      countable = false;
    }
    for (Action a : commit) {
      if (a instanceof Protocol np) {
        p = np;
      } else if (a instanceof Metadata nm) {
        m = nm;
      } else if (a instanceof SetTransaction t) {
        if (apps == appVersions) {
          apps = new HashMap<>(appVersions);
        }
        apps.put(t.appId(), t.version());
      } else if (a instanceof AddFile add) {
        fileChanges.add(a);
        files++;
        bytes += add.size();
      } else if (a instanceof RemoveFile rm) {
        fileChanges.add(a);
        files--;
        if (rm.size().isEmpty()) {
          countable = false;
        } else {
          bytes -= rm.size().get();
        }
      }
    }
    Schema s = m == metadata ? schema : SchemaJson.parse(m.schemaString());
    // The chain restarts at a materialized state, so materializing costs O(files) once per MAX_CHAIN commits.
    int length = (isMaterialized() ? 0 : chainLength) + 1;
    TableState next = new TableState(version + 1, Math.max(commitTimestamp, timestamp + 1), p, m, s,
        apps == appVersions ? apps : Collections.unmodifiableMap(apps), this, fileChanges, length, null,
        countable ? files : -1, countable ? bytes : -1);
    if (next.chainLength >= MAX_CHAIN) {
      next.fileSet();
    }
    return next;
  }

  private static boolean isDataShardCommit(List<Action> commit) {
    for (Action a : commit) {
      if (a instanceof Action.CommitInfo ci) {
        return ci.string("engineInfo").map(e -> e.startsWith("DataShard/")).orElse(false);
      }
    }
    return false;
  }

  /**
   * The number of live files and their total bytes, if known without materializing the file set
   * (always after a replay or materialization; after {@link #next} only for DataShard's commits).
   *
   * @return {@code {files, bytes}}, or null if unknown
   */
  public long[] knownFileTotals() {
    if (knownFiles >= 0) {
      return new long[] {knownFiles, knownBytes};
    }
    synchronized (this) {
      if (fileSet != null) {
        long b = 0;
        for (AddFile f : fileSet.files().values()) {
          b += f.size();
        }
        return new long[] {fileSet.files().size(), b};
      }
    }
    return null;
  }

  public long version() {
    return version;
  }

  /** Commit timestamp in milliseconds, monotonic across versions. */
  public long timestamp() {
    return timestamp;
  }

  public Protocol protocol() {
    return protocol;
  }

  public Metadata metadata() {
    return metadata;
  }

  public Schema schema() {
    return schema;
  }

  public List<String> partitionColumns() {
    return metadata.partitionColumns();
  }

  /** The last committed version of each application id. */
  public Map<String, Long> appVersions() {
    return appVersions;
  }

  /** The live data files by {@link AddFile#key()} (the path, for files without deletion vectors), in the order they were added. */
  public Map<String, AddFile> files() {
    return fileSet().files();
  }

  /** Remove tombstones (files removed and not re-added) by {@link RemoveFile#key()}. */
  public Map<String, RemoveFile> tombstones() {
    return fileSet().tombstones().get();
  }

  /** The reconciled content of this version, as a checkpoint holds it. */
  public CheckpointContent checkpointContent() {
    FileSet f = fileSet();
    return new CheckpointContent(protocol, metadata, appVersions, f.files(), f.tombstones().get());
  }

  private synchronized boolean isMaterialized() {
    return fileSet != null;
  }

  private synchronized FileSet fileSet() {
    if (fileSet != null) {
      return fileSet;
    }
    // Walk back to the nearest materialized ancestor, then apply the deltas forward. Locks are
    // always taken from descendant to ancestor, so concurrent materializations cannot deadlock.
    // Each state's actions are taken under its lock: a concurrent materialization of an ancestor
    // clears that ancestor's parent and actions once its own file set is built.
    Deque<List<Action>> chain = new ArrayDeque<>();
    TableState s = this;
    FileSet base;
    while (true) {
      TableState parentOfS;
      synchronized (s) {
        if (s.fileSet != null) {
          base = s.fileSet;
          break;
        }
        chain.push(s.fileActions);
        parentOfS = s.parent;
      }
      s = parentOfS;
    }
    Map<String, AddFile> files = new LinkedHashMap<>(base.files());
    List<Action> actions = new ArrayList<>();
    for (List<Action> stateActions : chain) {
      for (Action a : stateActions) {
        applyFileAction(files, a);
      }
      actions.addAll(stateActions);
    }
    fileSet = new FileSet(Collections.unmodifiableMap(files), base.tombstones().then(actions));
    parent = null;
    fileActions = null;
    return fileSet;
  }

  private static void applyFileAction(Map<String, AddFile> files, Action a) {
    if (a instanceof AddFile add) {
      files.remove(add.key()); // a re-added file moves to the end
      files.put(add.key(), add);
    } else if (a instanceof RemoveFile rm) {
      files.remove(rm.key());
    }
  }
}
