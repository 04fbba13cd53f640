package io.datashard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;

/**
 * Apache Iceberg 1.12 with a JDBC catalog on SQLite (the multi-process-safe setup without a
 * catalog server: the catalog row is swapped with a conditional UPDATE), HadoopFileIO on the
 * local file system, generic records written with Iceberg's Parquet writer. Appends use {@code
 * newAppend}; the counter is a copy-on-write overwrite validated against concurrent changes to
 * the row ({@code validateNoConflictingData/Deletes}), retried on conflict, which is how an
 * engine implements a serializable UPDATE on Iceberg. Note: HadoopFileIO does not fsync data or
 * metadata files.
 */
final class IcebergTasks {
  private IcebergTasks() {}

  private static final TableIdentifier ID = TableIdentifier.of(Namespace.of("bench"), "t");
  private static final Schema COUNTER = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()),
      Types.NestedField.required(2, "v", Types.LongType.get()));
  private static final Schema APPEND = new Schema(Types.NestedField.required(1, "w", Types.IntegerType.get()),
      Types.NestedField.required(2, "i", Types.LongType.get()));
  private static final Schema BULK = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()),
      Types.NestedField.optional(2, "k", Types.IntegerType.get()),
      Types.NestedField.optional(3, "x", Types.DoubleType.get()),
      Types.NestedField.optional(4, "s", Types.StringType.get()),
      Types.NestedField.optional(5, "ts", Types.TimestampType.withZone()),
      Types.NestedField.optional(6, "b", Types.BooleanType.get()));

  static Result run(String task, Params p, Runnable gate) throws IOException {
    return switch (task) {
      case "counter-setup" -> counterSetup(p);
      case "counter-worker" -> counterWorker(p, gate);
      case "counter-read" -> Result.of("value", counterValue(catalog(p).loadTable(ID)).value());
      case "append-setup" -> {
        create(p, APPEND);
        yield Result.of("ok", 1);
      }
      case "append-worker" -> appendWorker(p, gate);
      case "append-check" -> appendCheck(p);
      case "bulk" -> bulk(p);
      case "versions-build" -> versionsBuild(p);
      case "latency" -> latency(p);
      default -> throw Child.unknownTask("iceberg", task);
    };
  }

  static JdbcCatalog catalog(Params p) throws IOException {
    Path dir = Files.createDirectories(Path.of(p.str("dir")));
    JdbcCatalog c = new JdbcCatalog();
    c.setConf(new Configuration());
    c.initialize("bench", Map.of(
        CatalogProperties.URI, "jdbc:sqlite:" + dir.resolve("catalog.sqlite"),
        CatalogProperties.WAREHOUSE_LOCATION, dir.resolve("warehouse").toUri().toString(),
        CatalogProperties.FILE_IO_IMPL, "org.apache.iceberg.hadoop.HadoopFileIO",
        // Passed to the SQLite driver: wait for the database lock instead of failing at once.
        JdbcCatalog.PROPERTY_PREFIX + "busy_timeout", "600000",
        JdbcCatalog.PROPERTY_PREFIX + "journal_mode", "WAL",
        CatalogProperties.CLIENT_POOL_SIZE, "1"));
    return c;
  }

  private static Table create(Params p, Schema schema) throws IOException {
    JdbcCatalog c = catalog(p);
    try {
      c.createNamespace(ID.namespace(), Map.of());
    } catch (AlreadyExistsException e) {
      // a rerun in the same directory
    }
    // Many writers: let Iceberg's own commit retries absorb lost races (documented property).
    return c.createTable(ID, schema, PartitionSpec.unpartitioned(),
        Map.of(TableProperties.COMMIT_NUM_RETRIES, "1000", TableProperties.COMMIT_MIN_RETRY_WAIT_MS, "1"));
  }

  static DataFile write(Table t, Schema schema, Iterable<Record> records) throws IOException {
    OutputFile out = t.io().newOutputFile(t.locationProvider().newDataLocation(UUID.randomUUID() + ".parquet"));
    DataWriter<Record> w = Parquet.writeData(out).schema(schema).createWriterFunc(GenericParquetWriter::create)
        .overwrite().withSpec(PartitionSpec.unpartitioned()).build();
    try (w) {
      for (Record r : records) {
        w.write(r);
      }
    }
    return w.toDataFile();
  }

  private static Record record(Schema schema, Object... values) {
    GenericRecord r = GenericRecord.create(schema);
    for (int i = 0; i < values.length; i++) {
      r.set(i, values[i]);
    }
    return r;
  }

  private static Result counterSetup(Params p) throws IOException {
    Table t = create(p, COUNTER);
    t.newAppend().appendFile(write(t, COUNTER, List.of(record(COUNTER, 1L, 0L)))).commit();
    return Result.of("ok", 1);
  }

  private record Counter(long value, DataFile file, long snapshot) {}

  private static Counter counterValue(Table t) throws IOException {
    Snapshot s = t.currentSnapshot();
    List<DataFile> files = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = t.newScan().useSnapshot(s.snapshotId()).planFiles()) {
      tasks.forEach(task -> files.add(task.file()));
    }
    List<Long> values = new ArrayList<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(t).useSnapshot(s.snapshotId()).build()) {
      rows.forEach(r -> values.add((Long) r.getField("v")));
    }
    if (files.size() != 1 || values.size() != 1) {
      throw new IllegalStateException("counter table has " + files.size() + " files and " + values.size() + " rows");
    }
    return new Counter(values.get(0), files.get(0), s.snapshotId());
  }

  private static Result counterWorker(Params p, Runnable gate) throws IOException {
    long ops = p.lng("ops");
    Table t = catalog(p).loadTable(ID);
    gate.run();
    long retries = 0;
    for (long i = 0; i < ops; i++) {
      while (true) {
        t.refresh();
        Counter c = counterValue(t);
        DataFile next = write(t, COUNTER, List.of(record(COUNTER, 1L, c.value() + 1)));
        try {
          t.newOverwrite().deleteFile(c.file()).addFile(next).validateFromSnapshot(c.snapshot())
              .conflictDetectionFilter(Expressions.equal("id", 1L)).validateNoConflictingData()
              .validateNoConflictingDeletes().commit();
          break;
        } catch (ValidationException | CommitFailedException e) {
          // Someone changed the row since we read it: read again and redo.
          t.io().deleteFile(next.location());
          retries++;
        }
      }
    }
    return Result.of("ops", ops, "retries", retries);
  }

  private static Result appendWorker(Params p, Runnable gate) throws IOException {
    long ops = p.lng("ops");
    int w = p.integer("worker");
    Table t = catalog(p).loadTable(ID);
    gate.run();
    long retries = 0;
    for (long i = 0; i < ops; i++) {
      DataFile f = write(t, APPEND, List.of(record(APPEND, w, i)));
      while (true) {
        try {
          t.newAppend().appendFile(f).commit();
          break;
        } catch (CommitFailedException e) {
          retries++;
        }
      }
    }
    return Result.of("ops", ops, "retries", retries);
  }

  private static Result appendCheck(Params p) throws IOException {
    Table t = catalog(p).loadTable(ID);
    long rows = 0;
    Set<Long> distinct = new HashSet<>();
    try (CloseableIterable<Record> it = IcebergGenerics.read(t).build()) {
      for (Record r : it) {
        rows++;
        distinct.add(((long) (Integer) r.getField("w") << 40) | (Long) r.getField("i"));
      }
    }
    return Result.of("rows", rows, "distinct", distinct.size());
  }

  private static Result bulk(Params p) throws IOException {
    long total = p.lng("rows");
    int commits = p.integer("commits");
    long start = System.nanoTime();
    Table t = create(p, BULK);
    for (int c = 0; c < commits; c++) {
      long to = BenchData.from(total, commits, c + 1);
      AppendFiles append = t.newAppend();
      for (long f = BenchData.from(total, commits, c); f < to; f += BenchData.CHUNK) {
        long from = f;
        long end = Math.min(to, f + BenchData.CHUNK);
        GenericRecord r = GenericRecord.create(BULK);
        append.appendFile(write(t, BULK, () -> new java.util.Iterator<Record>() {
          long id = from;

          @Override
          public boolean hasNext() {
            return id < end;
          }

          @Override
          public Record next() {
            long v = id++;
            r.set(0, v);
            r.set(1, BenchData.k(v));
            r.set(2, BenchData.x(v));
            r.set(3, BenchData.s(v));
            r.set(4, OffsetDateTime.ofInstant(BenchData.ts(v), ZoneOffset.UTC));
            r.set(5, BenchData.b(v));
            return r;
          }
        }));
      }
      append.commit();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long rows = 0;
    try (CloseableIterable<FileScanTask> tasks = t.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        rows += task.file().recordCount();
      }
    }
    return Result.of("seconds", seconds, "rows", rows);
  }

  private static Result versionsBuild(Params p) throws IOException {
    long target = p.lng("versions");
    JdbcCatalog c = catalog(p);
    Table t = c.tableExists(ID) ? c.loadTable(ID) : create(p, APPEND);
    long start = System.nanoTime();
    long commits = commitCount(t);
    while (commits < target) {
      t.newAppend().appendFile(write(t, APPEND, List.of(record(APPEND, -1, commits)))).commit();
      commits++;
      if (commits % 100 == 0) {
        // Iceberg's documented maintenance: expire old snapshots, or every commit rewrites a
        // metadata file that lists all of them.
        t.expireSnapshots().retainLast(100).expireOlderThan(System.currentTimeMillis()).commit();
        System.out.println("built " + commits + " of " + target + " commits");
      }
    }
    return Result.of("version", commits, "seconds", (System.nanoTime() - start) / 1e9);
  }

  /** Commits made so far: the sequence number of the current snapshot (one per commit). */
  private static long commitCount(Table t) {
    return t.currentSnapshot() == null ? 0 : t.currentSnapshot().sequenceNumber();
  }

  /** {@code phase=open}: median time to load the table from the catalog; {@code phase=commit}: of a one-row append. */
  private static Result latency(Params p) throws IOException {
    int reps = p.integer("reps");
    JdbcCatalog c = catalog(p);
    List<Double> times = new ArrayList<>();
    long version = -1;
    if (p.str("phase").equals("open")) {
      for (int i = 0; i < 3; i++) {
        c.loadTable(ID).currentSnapshot();
      }
      for (int i = 0; i < reps; i++) {
        long s = System.nanoTime();
        Table t = c.loadTable(ID);
        version = commitCount(t);
        times.add((System.nanoTime() - s) / 1e6);
      }
    } else {
      Table t = c.loadTable(ID);
      version = commitCount(t);
      t.newAppend().appendFile(write(t, APPEND, List.of(record(APPEND, -2, -1L)))).commit();
      for (int i = 0; i < reps; i++) {
        long s = System.nanoTime();
        t.newAppend().appendFile(write(t, APPEND, List.of(record(APPEND, -2, (long) i)))).commit();
        times.add((System.nanoTime() - s) / 1e6);
      }
    }
    return Result.of("version", version, "ms", Timing.median(times));
  }
}
