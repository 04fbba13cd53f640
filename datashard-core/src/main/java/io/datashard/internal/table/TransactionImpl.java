package io.datashard.internal.table;

import io.datashard.CommitOutcomeUnknownException;
import io.datashard.CommitResult;
import io.datashard.Field;
import io.datashard.InvalidRowException;
import io.datashard.StorageException;
import io.datashard.StructType;
import io.datashard.Transaction;
import io.datashard.internal.commit.Committer;
import io.datashard.internal.log.Action;
import io.datashard.internal.log.Action.AddFile;
import io.datashard.internal.log.ProtocolSupport;
import io.datashard.internal.log.TableState;
import io.datashard.internal.parquet.DataFileWriter;
import io.datashard.internal.parquet.DataFileWriter.WrittenFile;
import io.datashard.internal.rows.RowConverter;
import io.datashard.storage.NewFile;
import io.datashard.storage.Storage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** A transaction: data files written as rows arrive, one commit at the end. Used by one thread. */
final class TransactionImpl implements Transaction {
  private enum Status { OPEN, COMMITTED, CLOSED }

  private final TableImpl table;
  private final TableState base;
  private final StructType schema;
  private final List<String> partitionColumns;
  private final int[] partitionIndexes;
  private final int[] dataIndexes;
  private final StructType dataSchema;
  private final List<AddFile> added = new ArrayList<>();
  private long rowsAdded;
  private Status status = Status.OPEN;

  TransactionImpl(TableImpl table, TableState base) {
    ProtocolSupport.checkWritable(base, table.location());
    this.table = table;
    this.base = base;
    this.schema = base.schema().asStruct();
    this.partitionColumns = base.partitionColumns();
    this.partitionIndexes = partitionColumns.stream().mapToInt(schema::indexOf).toArray();
    this.dataIndexes = java.util.stream.IntStream.range(0, schema.size())
        .filter(i -> !partitionColumns.contains(schema.fields().get(i).name())).toArray();
    List<Field> dataFields = new ArrayList<>();
    for (int i : dataIndexes) {
      dataFields.add(schema.fields().get(i));
    }
    this.dataSchema = new StructType(dataFields);
  }

  @Override
  public long readVersion() {
    return base.version();
  }

  @Override
  public Transaction append(Iterable<?> rows) {
    checkOpen();
    // Validate and group every row before writing anything.
    RowConverter converter = new RowConverter(schema);
    Map<List<String>, List<Object[]>> groups = new LinkedHashMap<>();
    long index = 0;
    for (Object row : rows) {
      Object[] values = converter.convert(row, index);
      List<String> key = partitionKey(values, index);
      Object[] data = new Object[dataIndexes.length];
      for (int i = 0; i < dataIndexes.length; i++) {
        data[i] = values[dataIndexes[i]];
      }
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(data);
      index++;
    }
    List<AddFile> written = new ArrayList<>();
    try {
      for (Map.Entry<List<String>, List<Object[]>> group : groups.entrySet()) {
        written.add(writeFile(group.getKey(), group.getValue()));
      }
    } catch (RuntimeException e) {
      deleteQuietly(written, e);
      throw e;
    }
    added.addAll(written);
    rowsAdded += index;
    return this;
  }

  private List<String> partitionKey(Object[] values, long rowIndex) {
    if (partitionIndexes.length == 0) {
      return List.of();
    }
    String[] key = new String[partitionIndexes.length];
    for (int i = 0; i < partitionIndexes.length; i++) {
      Field f = schema.fields().get(partitionIndexes[i]);
      Object v = values[partitionIndexes[i]];
      if ("".equals(v)) {
        // Delta readers disagree on whether "" is null: refuse rather than change the value.
        throw new InvalidRowException(rowIndex, f.name(), "an empty string cannot be a partition value");
      }
      key[i] = v == null ? null : PartitionCodec.serialize(v, f.type());
    }
    return Arrays.asList(key);
  }

  private AddFile writeFile(List<String> partition, List<Object[]> rows) {
    StringBuilder dir = new StringBuilder();
    Map<String, String> partitionValues = new LinkedHashMap<>();
    for (int i = 0; i < partitionColumns.size(); i++) {
      dir.append(PartitionCodec.directory(partitionColumns.get(i), partition.get(i))).append('/');
      partitionValues.put(partitionColumns.get(i), partition.get(i));
    }
    String codec = table.options().compression().name().toLowerCase(Locale.ROOT);
    String path = dir + "part-00000-" + UUID.randomUUID() + ".c000." + codec + ".parquet";
    Storage storage = table.log().storage();
    try (NewFile out = storage.create(path)) {
      WrittenFile written = DataFileWriter.write(out, dataSchema, rows, table.options().compression());
      long size = out.publish();
      return new AddFile(DataPaths.encode(path), partitionValues, size, System.currentTimeMillis(), true,
          Optional.of(written.statsJson()));
    } catch (IOException e) {
      throw new StorageException("cannot write data file " + path + " of table " + table.location(), e);
    }
  }

  @Override
  public CommitResult commit() {
    checkOpen();
    long start = System.nanoTime();
    List<Action> actions = new ArrayList<>(added.size() + 1);
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("mode", "Append");
    params.put("partitionBy", JsonText.of(partitionColumns));
    actions.add(CommitInfos.create("WRITE", params, true, System.currentTimeMillis()));
    actions.addAll(added);
    try {
      Committer.Outcome outcome = Committer.commit(table.log(), base, actions, table.options().retryPolicy());
      status = Status.COMMITTED;
      table.offer(outcome.state());
      return new CommitResult(outcome.version(), outcome.attempts(), Duration.ofNanos(System.nanoTime() - start),
          added.size(), rowsAdded);
    } catch (CommitOutcomeUnknownException e) {
      // The entry may be in the log: its files must stay.
      status = Status.COMMITTED;
      throw e;
    }
  }

  @Override
  public void close() {
    if (status == Status.OPEN) {
      status = Status.CLOSED;
      deleteQuietly(added, null);
    }
  }

  private void checkOpen() {
    if (status != Status.OPEN) {
      throw new IllegalStateException("transaction on " + table.location() + " is " + status.name().toLowerCase(Locale.ROOT));
    }
  }

  /** Deletes uncommitted data files; a failure is attached to the primary exception, or rethrown. */
  private void deleteQuietly(List<AddFile> files, RuntimeException primary) {
    Storage storage = table.log().storage();
    for (AddFile f : files) {
      try {
        storage.delete(DataPaths.decode(f.path(), table.localRoot(), table.location(), base.version()));
      } catch (IOException e) {
        StorageException failure = new StorageException("cannot delete uncommitted data file " + f.path()
            + " of table " + table.location() + " (vacuum removes it later)", e);
        if (primary != null) {
          primary.addSuppressed(failure);
        } else {
          throw failure;
        }
      }
    }
  }
}
