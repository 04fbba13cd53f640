package io.datashard;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One version of a table: an immutable description. Read its rows with {@code
 * table.newScan().useSnapshot(snapshot.version())}.
 *
 * @param version the version number (0 for the commit that created the table)
 * @param timestamp when the version was committed (the commit file's modification time, made
 *     monotonic across versions as the Delta protocol says)
 * @param schema the table schema at this version
 * @param partitionColumns the partition columns, in order
 * @param properties the table properties ({@code metaData.configuration})
 * @param fileCount the number of live data files
 * @param sizeBytes the total size of the live data files
 * @param rowCount the number of rows, if every live file records {@code numRecords}
 */
public record Snapshot(long version, Instant timestamp, Schema schema, List<String> partitionColumns,
    Map<String, String> properties, long fileCount, long sizeBytes, OptionalLong rowCount) {

  /** Copies the collections. */
  public Snapshot {
    partitionColumns = List.copyOf(partitionColumns);
    properties = Map.copyOf(properties);
  }
}
