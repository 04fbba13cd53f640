package io.datashard.internal.parquet;

import java.util.concurrent.atomic.LongAdder;

/**
 * What reading data files cost: row groups seen and skipped, bytes read. Updated by the threads of
 * a parallel scan, so every counter is a {@link LongAdder}.
 */
public final class ReadMetrics {
  private final LongAdder rowGroupsTotal = new LongAdder();
  private final LongAdder rowGroupsSkipped = new LongAdder();
  private final LongAdder bytesRead = new LongAdder();

  /** Row groups in the files opened. */
  public long rowGroupsTotal() {
    return rowGroupsTotal.sum();
  }

  /** Row groups not read because statistics, dictionaries or bloom filters excluded them. */
  public long rowGroupsSkipped() {
    return rowGroupsSkipped.sum();
  }

  /** Bytes read from data files, footers included. */
  public long bytesRead() {
    return bytesRead.sum();
  }

  void addRowGroups(long total, long skipped) {
    rowGroupsTotal.add(total);
    rowGroupsSkipped.add(skipped);
  }

  void addBytes(long n) {
    bytesRead.add(n);
  }
}
