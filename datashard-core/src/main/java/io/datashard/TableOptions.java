package io.datashard;

import java.util.Objects;

/**
 * How a {@link Table} handle writes: retry policy, durability and compression. Immutable; build
 * with {@link #builder()}.
 *
 * @param retryPolicy how commits retry after losing a race
 * @param durability whether commits are fsync'd
 * @param compression the Parquet codec of new data files
 */
public record TableOptions(RetryPolicy retryPolicy, Durability durability, Compression compression) {

  /** Defaults: {@link RetryPolicy#DEFAULT}, {@link Durability#SYNC}, {@link Compression#SNAPPY}. */
  public static final TableOptions DEFAULT = new TableOptions(RetryPolicy.DEFAULT, Durability.SYNC, Compression.SNAPPY);

  /** Validates. */
  public TableOptions {
    Objects.requireNonNull(retryPolicy, "retryPolicy");
    Objects.requireNonNull(durability, "durability");
    Objects.requireNonNull(compression, "compression");
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

    private Builder(TableOptions from) {
      this.retryPolicy = from.retryPolicy;
      this.durability = from.durability;
      this.compression = from.compression;
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

    /** The options. */
    public TableOptions build() {
      return new TableOptions(retryPolicy, durability, compression);
    }
  }
}
