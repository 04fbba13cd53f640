package io.datashard;

import java.util.Map;

/**
 * Several reads and writes committed as one version. The transaction sees the snapshot it started
 * from plus its own changes. Data files are written as each write is called; they become visible
 * together at {@link #commit()}, or are deleted by {@link #close()} if the transaction did not
 * commit. A transaction is used by one thread at a time.
 *
 * <pre>{@code
 * try (Transaction tx = table.newTransaction()) {
 *   long balance = tx.scan().where(Expression.parse("id = 7")).toList().get(0).getLong("balance");
 *   tx.update(Expression.parse("id = 7"), Map.of("balance", Expressions.literal(balance + 100)));
 *   tx.commit();   // fails with ConcurrentModificationException if a concurrent commit changed row 7
 * }
 * }</pre>
 *
 * <p>Under concurrent commits, {@link #commit()} rebases onto newer versions that do not conflict
 * with what the transaction read and removed (DESIGN §6): a transaction that only appends conflicts
 * only with schema, protocol and same-application-id changes. Otherwise it fails with the specific
 * {@link ConcurrentModificationException}; use {@link Table#transact} to re-run the work instead.
 */
public interface Transaction extends AutoCloseable {

  /** The version this transaction started from. */
  long readVersion();

  /**
   * A scan of the transaction's view (its snapshot plus its own changes). Its predicate and the files
   * it reads are recorded, and {@link #commit()} fails if a concurrent commit changed them.
   */
  Scan scan();

  /**
   * Writes rows as new data files of this transaction.
   *
   * @throws InvalidRowException if a row does not fit the schema (nothing from this call is kept)
   * @throws IllegalStateException if the transaction has committed or closed
   */
  Transaction append(Iterable<?> rows);

  /**
   * Deletes the rows for which {@code where} is true (copy-on-write: files holding such rows are
   * rewritten without them).
   *
   * @return the number of rows deleted
   * @throws InvalidExpressionException if {@code where} does not bind to the schema
   */
  long delete(Expression where);

  /**
   * Sets columns of the rows for which {@code where} is true. Every assignment is evaluated on the
   * row as it was before the update; its result is converted to the column type (integers must fit,
   * decimals are rounded half-up to the column's scale).
   *
   * @param assignments column name to new value, e.g. {@code Map.of("balance", Expression.parse("balance + 100"))}
   * @return the number of rows updated
   * @throws InvalidExpressionException for unknown columns or type errors
   * @throws ExpressionEvaluationException if an assignment fails on a row (overflow, division by zero)
   */
  long update(Expression where, Map<String, Expression> assignments);

  /**
   * Makes the commit idempotent: if {@code appId} has already committed {@code version} or a later
   * one, {@link #commit()} commits nothing and reports {@link CommitResult#committed()} false; a
   * concurrent commit by the same {@code appId} fails this one with {@link ConcurrentTransactionException}.
   */
  Transaction idempotent(String appId, long version);

  /**
   * Commits everything as one new version.
   *
   * @throws ConcurrentModificationException (a subclass) if a concurrent commit conflicts
   * @throws CommitFailedException if the retry policy runs out while rebasing
   * @throws IllegalStateException if the transaction has committed or closed
   */
  CommitResult commit();

  /** Aborts unless committed: deletes this transaction's data files. Idempotent. */
  @Override
  void close();
}
