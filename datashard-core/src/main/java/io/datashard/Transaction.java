package io.datashard;

/**
 * Several writes committed as one version. Data files are written as each write is called; they
 * become visible together at {@link #commit()}, or are deleted by {@link #close()} if the
 * transaction did not commit. A transaction is used by one thread at a time.
 *
 * <pre>{@code
 * try (Transaction tx = table.newTransaction()) {
 *   tx.append(batch1);
 *   tx.append(batch2);
 *   tx.commit();
 * }
 * }</pre>
 */
public interface Transaction extends AutoCloseable {

  /** The version this transaction started from. */
  long readVersion();

  /**
   * Writes rows as new data files of this transaction.
   *
   * @throws InvalidRowException if a row does not fit the schema (nothing from this call is kept)
   * @throws IllegalStateException if the transaction has committed or closed
   */
  Transaction append(Iterable<?> rows);

  /**
   * Commits everything written as one new version. Under concurrent commits this behaves as
   * {@link Table#append(Iterable)} does: appends rebase; schema or protocol changes fail it.
   *
   * @throws IllegalStateException if the transaction has committed or closed
   */
  CommitResult commit();

  /** Aborts unless committed: deletes this transaction's data files. Idempotent. */
  @Override
  void close();
}
