package io.datashard;

import java.util.Objects;

/**
 * How a {@link Table} handle writes: retry policy, durability, compression and isolation.
 * Immutable; build with {@link #builder()}.
 *
 * @param retryPolicy how commits retry after losing a race, and re-planned operations after a conflict
 * @param durability whether commits are fsync'd
 * @param compression the Parquet codec of new data files
 * @param isolation how transactions that read are checked against concurrent commits
 * @param queueWriters whether re-planning operations ({@link Table#transact} and the row-level
 *     operations built on it) take turns through the storage's advisory writer lock, so that under
 *     contention on one machine they do not waste work on plans that lose; correctness never
 *     depends on it
 * @param scanThreads how many threads a scan reads data files with (at least 1)
 * @param rowGroupSize the approximate size in bytes of the Parquet row groups of new data files;
 *     smaller row groups let selective scans skip more, larger ones compress and scan faster
 */
public record TableOptions(RetryPolicy retryPolicy, Durability durability, Compression compression,
    IsolationLevel isolation, boolean queueWriters, int scanThreads, long rowGroupSize) {

  /**
   * Defaults: {@link RetryPolicy#DEFAULT}, {@link Durability#SYNC}, {@link Compression#SNAPPY},
   * {@link IsolationLevel#WRITE_SERIALIZABLE}, writers queued, one scan thread per available processor,
   * row groups of 128 MiB.
   */
  public static final TableOptions DEFAULT = new TableOptions(RetryPolicy.DEFAULT, Durability.SYNC, Compression.SNAPPY,
      IsolationLevel.WRITE_SERIALIZABLE, true, Runtime.getRuntime().availableProcessors(), 128L * 1024 * 1024);

  /** Validates. */
  public TableOptions {
    Objects.requireNonNull(retryPolicy, "retryPolicy");
    Objects.requireNonNull(durability, "durability");
    Objects.requireNonNull(compression, "compression");
    Objects.requireNonNull(isolation, "isolation");
    if (scanThreads < 1) {
      throw new IllegalArgumentException("scanThreads must be at least 1: " + scanThreads);
    }
    if (rowGroupSize < 1) {
      throw new IllegalArgumentException("rowGroupSize must be positive: " + rowGroupSize);
    }
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder(DEFAULT);
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Builds {@link TableOptions}. */
  public static final class Builder {
    private RetryPolicy retryPolicy;
    private Durability durability;
    private Compression compression;
    private IsolationLevel isolation;
    private boolean queueWriters;
    private int scanThreads;
    private long rowGroupSize;

    private Builder(TableOptions from) {
      this.rowGroupSize = from.rowGroupSize;
      this.scanThreads = from.scanThreads;
      this.queueWriters = from.queueWriters;
      this.retryPolicy = from.retryPolicy;
      this.durability = from.durability;
      this.compression = from.compression;
      this.isolation = from.isolation;
    }

    /** Sets how commits retry after losing a race. */
    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = policy;
      return this;
    }

    /** Sets whether commits are fsync'd. */
    public Builder durability(Durability durability) {
      this.durability = durability;
      return this;
    }

    /** Sets the Parquet codec of new data files. */
    public Builder compression(Compression compression) {
      this.compression = compression;
      return this;
    }

    /** Sets how transactions that read are checked against concurrent commits. */
    public Builder isolation(IsolationLevel isolation) {
      this.isolation = isolation;
      return this;
    }

    /** Sets whether re-planning writers take turns through the advisory writer lock. */
    public Builder queueWriters(boolean queue) {
      this.queueWriters = queue;
      return this;
    }

    /** Sets how many threads a scan reads data files with (1: sequentially, on the caller's thread). */
    public Builder scanThreads(int threads) {
      this.scanThreads = threads;
      return this;
    }

    /** Sets the approximate size in bytes of the Parquet row groups of new data files. */
    public Builder rowGroupSize(long bytes) {
      this.rowGroupSize = bytes;
      return this;
    }

    /** The options. */
    public TableOptions build() {
      return new TableOptions(retryPolicy, durability, compression, isolation, queueWriters, scanThreads, rowGroupSize);
    }
  }
}
