package io.datashard.internal.maintenance;

import com.fasterxml.jackson.databind.JsonNode;
import io.datashard.CloseableIterator;
import io.datashard.DataShardException;
import io.datashard.ProgressListener;
import io.datashard.Schema;
import io.datashard.VerifyReport;
import io.datashard.internal.log.Action;
import io.datashard.internal.log.Action.AddFile;
import io.datashard.internal.log.Action.Metadata;
import io.datashard.internal.log.Action.Protocol;
import io.datashard.internal.log.Action.RemoveFile;
import io.datashard.internal.log.Action.SetTransaction;
import io.datashard.internal.log.LogFiles;
import io.datashard.internal.log.SchemaJson;
import io.datashard.internal.log.TableLog;
import io.datashard.internal.log.TableState;
import io.datashard.internal.log.TableState.CheckpointContent;
import io.datashard.internal.parquet.DataFileReader;
import io.datashard.internal.table.DataPaths;
import io.datashard.internal.table.Stats;
import io.datashard.storage.FileInfo;
import io.datashard.storage.Storage;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks a table ({@link io.datashard.Table#verify(boolean)}) by replaying its log independently of
 * the reader's state machinery and comparing: log continuity, protocol and metadata, every
 * checkpoint and version checksum against the replay, the normal (checkpoint-based) load against the
 * replay, and every live data file against its log entry (path inside the table, existence, size,
 * Parquet footer, row count; with {@code deep}, every row read).
 */
public final class Verifier {
  private final TableContext table;
  private final boolean deep;
  private final ProgressListener progress;
  private final List<String> errors = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private long versionsChecked;
  private long checkpointsChecked;
  private long checksumsChecked;
  private long filesChecked;
  private long rowsRead;

  /** The replayed state. */
  private Protocol protocol;
  private Metadata metadata;
  private final Map<String, AddFile> files = new LinkedHashMap<>();
  private final Map<String, Long> apps = new HashMap<>();
  private long liveBytes;

  public Verifier(TableContext table, boolean deep, ProgressListener progress) {
    this.table = table;
    this.deep = deep;
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  public VerifyReport run() {
    TableLog log = table.log();
    Storage storage = log.storage();
    TreeMap<Long, FileInfo> commits = new TreeMap<>();
    TreeMap<Long, FileInfo> checksums = new TreeMap<>();
    try {
      for (FileInfo f : storage.listFrom(LogFiles.LOG_DIR, "")) {
        OptionalLong v = LogFiles.commitVersion(f.name());
        if (v.isPresent()) {
          commits.put(v.getAsLong(), f);
        }
        OptionalLong c = ChecksumFiles.version(f.name());
        if (c.isPresent()) {
          checksums.put(c.getAsLong(), f);
        }
      }
    } catch (IOException e) {
      errors.add("cannot list " + LogFiles.LOG_DIR + ": " + e);
      return report(-1);
    }
    if (commits.isEmpty()) {
      errors.add("the log has no commit files");
      return report(-1);
    }
    long oldest = commits.firstKey();
    long latest = commits.lastKey();
    for (long v = oldest; v <= latest; v++) {
      if (!commits.containsKey(v)) {
        long next = commits.ceilingKey(v);
        errors.add("the log has a gap: versions " + v + ".." + (next - 1) + " are missing between " + (v - 1) + " and "
            + next);
        v = next;
      }
    }
    TreeSet<Long> checkpoints = new TreeSet<>(log.checkpointVersions());
    long start = -1;
    if (oldest > 0) {
      Long base = checkpoints.ceiling(oldest - 1);
      while (base != null && !startFrom(base)) {
        base = checkpoints.higher(base);
      }
      if (base == null) {
        errors.add("the log starts at version " + oldest + " but no readable checkpoint at or after version "
            + (oldest - 1) + " exists to start from");
        return report(latest);
      }
      start = base;
    }
    replay(log, start, latest, checkpoints, checksums);
    if (errors.isEmpty()) {
      checkSchema(latest);
      TableState loaded = compareLoad(log, latest);
      if (loaded != null) {
        checkFiles(loaded);
      }
    }
    return report(latest);
  }

  private boolean startFrom(long checkpoint) {
    try {
      CheckpointContent c = table.log().readCheckpoint(checkpoint);
      protocol = c.protocol();
      metadata = c.metadata();
      files.putAll(c.files());
      c.files().values().forEach(f -> liveBytes += f.size());
      apps.putAll(c.appVersions());
      return true;
    } catch (DataShardException e) {
      errors.add("checkpoint of version " + checkpoint + " is unreadable: " + e.getMessage());
      return false;
    }
  }

  private void replay(TableLog log, long start, long latest, Set<Long> checkpoints, Map<Long, FileInfo> checksums) {
    for (long v = start + 1; v <= latest; v++) {
      List<Action> actions;
      try {
        actions = log.readCommit(v).actions();
      } catch (DataShardException e) {
        errors.add("version " + v + ": " + e.getMessage());
        return;
      }
      for (Action a : actions) {
        if (a instanceof Protocol p) {
          protocol = p;
        } else if (a instanceof Metadata m) {
          metadata = m;
        } else if (a instanceof SetTransaction t) {
          apps.put(t.appId(), t.version());
        } else if (a instanceof AddFile add) {
          checkPath(add.path(), v);
          AddFile replaced = files.remove(add.key());
          liveBytes += add.size() - (replaced == null ? 0 : replaced.size());
          files.put(add.key(), add);
        } else if (a instanceof RemoveFile rm) {
          checkPath(rm.path(), v);
          AddFile removed = files.remove(rm.key());
          liveBytes -= removed == null ? 0 : removed.size();
        }
      }
      if (protocol == null || metadata == null) {
        errors.add("version " + v + ": no " + (protocol == null ? "protocol" : "metaData") + " action so far");
        return;
      }
      versionsChecked++;
      if (checkpoints.contains(v)) {
        compareCheckpoint(v);
      }
      FileInfo crc = checksums.get(v);
      if (crc != null) {
        compareChecksum(v, crc);
      }
      progress.progress("replaying the log", v - start, latest - start);
    }
  }

  private void checkPath(String path, long version) {
    try {
      DataPaths.decode(path, table.localRoot(), table.location(), version);
    } catch (DataShardException e) {
      errors.add(e.getMessage());
    }
  }

  private void compareCheckpoint(long v) {
    CheckpointContent c;
    try {
      c = table.log().readCheckpoint(v);
    } catch (DataShardException e) {
      errors.add("checkpoint of version " + v + " is unreadable: " + e.getMessage());
      return;
    }
    checkpointsChecked++;
    String where = "checkpoint of version " + v;
    compareFiles(where, c.files());
    if (!sameMetadata(c.metadata(), metadata)) {
      errors.add(where + ": its metaData differs from the log's");
    }
    if (!sameProtocol(c.protocol(), protocol)) {
      errors.add(where + ": its protocol differs from the log's");
    }
    if (!c.appVersions().equals(apps)) {
      errors.add(where + ": its application versions (txn) " + c.appVersions() + " differ from the log's " + apps);
    }
  }

  private void compareFiles(String where, Map<String, AddFile> other) {
    Set<String> missing = new TreeSet<>(files.keySet());
    missing.removeAll(other.keySet());
    Set<String> extra = new TreeSet<>(other.keySet());
    extra.removeAll(files.keySet());
    if (!missing.isEmpty()) {
      errors.add(where + ": lacks " + missing.size() + " live file(s) of the log, e.g. " + missing.iterator().next());
    }
    if (!extra.isEmpty()) {
      errors.add(where + ": has " + extra.size() + " file(s) the log removed or never added, e.g. "
          + extra.iterator().next());
    }
    for (Map.Entry<String, AddFile> e : other.entrySet()) {
      AddFile mine = files.get(e.getKey());
      if (mine != null && (mine.size() != e.getValue().size()
          || !mine.partitionValues().equals(e.getValue().partitionValues()))) {
        errors.add(where + ": file " + e.getKey() + " has size or partition values that differ from the log's");
      }
    }
  }

  private static boolean sameMetadata(Metadata a, Metadata b) {
    return a.id().equals(b.id()) && a.schemaString().equals(b.schemaString())
        && a.partitionColumns().equals(b.partitionColumns()) && a.configuration().equals(b.configuration());
  }

  private static boolean sameProtocol(Protocol a, Protocol b) {
    return a.minReaderVersion() == b.minReaderVersion() && a.minWriterVersion() == b.minWriterVersion()
        && features(a.readerFeatures()).equals(features(b.readerFeatures()))
        && features(a.writerFeatures()).equals(features(b.writerFeatures()));
  }

  private static Set<String> features(Optional<List<String>> f) {
    return new HashSet<>(f.orElse(List.of()));
  }

  private void compareChecksum(long v, FileInfo crc) {
    byte[] content;
    try {
      content = table.log().storage().readAll(crc.path());
    } catch (IOException e) {
      errors.add("checksum " + crc.path() + " is unreadable: " + e);
      return;
    }
    Optional<ChecksumFiles.Checksum> parsed = ChecksumFiles.parse(content);
    if (parsed.isEmpty()) {
      // Checksums are written after the commit without waiting for durability: a crash can tear one.
      warnings.add("checksum " + crc.path() + " is incomplete (" + content.length + " bytes), probably torn by a"
          + " crash; ignored");
      return;
    }
    checksumsChecked++;
    ChecksumFiles.Checksum c = parsed.get();
    long bytes = liveBytes;
    if (c.numFiles() != files.size() || c.tableSizeBytes() != bytes) {
      errors.add("checksum " + crc.path() + " says " + c.numFiles() + " files, " + c.tableSizeBytes()
          + " bytes; the log has " + files.size() + " files, " + bytes + " bytes at version " + v);
    }
    JsonNode m = ChecksumFiles.body(metadata);
    for (String field : List.of("id", "schemaString", "partitionColumns", "configuration")) {
      if (!Objects.equals(m.get(field), c.metadata().get(field))) {
        errors.add("checksum " + crc.path() + ": metadata." + field + " differs from the log's at version " + v);
      }
    }
    JsonNode p = ChecksumFiles.body(protocol);
    for (String field : List.of("minReaderVersion", "minWriterVersion")) {
      if (!Objects.equals(p.get(field), c.protocol().get(field))) {
        errors.add("checksum " + crc.path() + ": protocol." + field + " differs from the log's at version " + v);
      }
    }
  }

  private void checkSchema(long latest) {
    try {
      Schema schema = SchemaJson.parse(metadata.schemaString());
      Set<String> seen = new HashSet<>();
      for (String c : metadata.partitionColumns()) {
        if (schema.asStruct().indexOf(c) < 0) {
          errors.add("version " + latest + ": partition column '" + c + "' is not in the schema");
        }
        if (!seen.add(c)) {
          errors.add("version " + latest + ": partition column '" + c + "' is listed twice");
        }
      }
    } catch (DataShardException e) {
      errors.add("version " + latest + ": the schema is invalid: " + e.getMessage());
    }
  }

  /** Loads the latest version the way readers do (from a checkpoint) and compares it with the replay. */
  private TableState compareLoad(TableLog log, long latest) {
    TableState loaded;
    try {
      loaded = log.load(latest);
    } catch (DataShardException e) {
      errors.add("version " + latest + " cannot be opened: " + e.getMessage());
      return null;
    }
    compareFiles("the loaded state of version " + latest, loaded.files());
    return loaded;
  }

  private void checkFiles(TableState state) {
    Storage storage = table.log().storage();
    boolean[] all = new boolean[state.schema().asStruct().size()];
    Arrays.fill(all, true);
    long total = state.files().size();
    for (AddFile add : state.files().values()) {
      filesChecked++;
      progress.progress(deep ? "reading data files" : "checking data files", filesChecked, total);
      String path;
      try {
        path = DataPaths.decode(add.path(), table.localRoot(), table.location(), state.version());
      } catch (DataShardException e) {
        continue; // reported by the replay
      }
      String where = "data file " + path + " (version " + state.version() + ")";
      Optional<FileInfo> info;
      try {
        info = storage.info(path);
      } catch (IOException e) {
        errors.add(where + " cannot be inspected: " + e);
        continue;
      }
      if (info.isEmpty()) {
        errors.add(where + " is missing");
        continue;
      }
      if (info.get().size() != add.size()) {
        errors.add(where + " has " + info.get().size() + " bytes; the log records " + add.size());
        continue;
      }
      long footerRows;
      try (SeekableByteChannel ch = storage.openRead(path)) {
        footerRows = DataFileReader.rowCount(ch, ch.size(), where);
      } catch (IOException e) {
        errors.add(where + " cannot be read: " + e);
        continue;
      } catch (DataShardException e) {
        errors.add(e.getMessage());
        continue;
      }
      OptionalLong recorded = Stats.numRecords(add);
      if (recorded.isPresent() && recorded.getAsLong() != footerRows) {
        errors.add(where + " holds " + footerRows + " rows; its statistics say " + recorded.getAsLong());
      }
      if (deep) {
        long n = 0;
        try (CloseableIterator<Object[]> rows = table.dataFiles().read(state, add, all)) {
          while (rows.hasNext()) {
            rows.next();
            n++;
          }
        } catch (DataShardException e) {
          errors.add(e.getMessage());
          continue;
        }
        rowsRead += n;
        if (n != footerRows) {
          errors.add(where + ": " + n + " rows read; its footer says " + footerRows);
        }
      }
    }
  }

  private VerifyReport report(long version) {
    return new VerifyReport(version, deep, versionsChecked, checkpointsChecked, checksumsChecked, filesChecked,
        rowsRead, errors, warnings);
  }
}
