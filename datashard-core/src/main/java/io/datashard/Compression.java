package io.datashard;

/** Parquet compression codec for data files. */
public enum Compression {
  /** Snappy: fast, moderate ratio; the default, as in Spark and Delta. */
  SNAPPY,
  /** Zstandard: better ratio, somewhat slower. */
  ZSTD,
  /** Gzip: good ratio, slow. */
  GZIP,
  /** LZ4 (raw block format). */
  LZ4_RAW,
  /** No compression. */
  UNCOMPRESSED
}
