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
 */
public record TableOptions(RetryPolicy retryPolicy, Durability durability, Compression compression,
    IsolationLevel isolation, boolean queueWriters) {

  /**
   * Defaults: {@link RetryPolicy#DEFAULT}, {@link Durability#SYNC}, {@link Compression#SNAPPY},
   * {@link IsolationLevel#WRITE_SERIALIZABLE}, writers queued.
   */
  public static final TableOptions DEFAULT = new TableOptions(RetryPolicy.DEFAULT, Durability.SYNC, Compression.SNAPPY,
      IsolationLevel.WRITE_SERIALIZABLE, true);

  /** Validates. */
  public TableOptions {
    Objects.requireNonNull(retryPolicy, "retryPolicy");
    Objects.requireNonNull(durability, "durability");
    Objects.requireNonNull(compression, "compression");
    Objects.requireNonNull(isolation, "isolation");
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

    private Builder(TableOptions from) {
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

    /** The options. */
    public TableOptions build() {
      return new TableOptions(retryPolicy, durability, compression, isolation, queueWriters);
    }
  }
}
