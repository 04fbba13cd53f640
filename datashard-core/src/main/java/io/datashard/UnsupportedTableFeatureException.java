package io.datashard;

/** The table uses a protocol version or table feature this version of DataShard cannot read or write correctly. */
public class UnsupportedTableFeatureException extends DataShardException {
  private static final long serialVersionUID = 1L;

  /** @param message names the table and the feature */
  public UnsupportedTableFeatureException(String message) {
    super(message);
  }
}
