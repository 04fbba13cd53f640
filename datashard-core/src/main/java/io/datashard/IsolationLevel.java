package io.datashard;

/** How strictly a transaction that read the table is checked against concurrent commits. */
public enum IsolationLevel {
  /**
   * The default, as in Delta Lake: concurrent blind appends never conflict with a transaction (they
   * serialize after it), while any other concurrent commit that touches what it read does.
   */
  WRITE_SERIALIZABLE,
  /** Also fail (or re-plan) when a concurrent blind append added rows matching what it read. */
  SERIALIZABLE
}
