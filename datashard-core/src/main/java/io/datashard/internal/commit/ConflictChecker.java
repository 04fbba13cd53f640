package io.datashard.internal.commit;

import io.datashard.ConcurrentAppendException;
import io.datashard.ConcurrentDeleteDeleteException;
import io.datashard.ConcurrentDeleteReadException;
import io.datashard.ConcurrentTransactionException;
import io.datashard.IsolationLevel;
import io.datashard.MetadataChangedException;
import io.datashard.ProtocolChangedException;
import io.datashard.internal.expr.BoundExpression;
import io.datashard.internal.expr.BoundExpression.FileStatistics;
import io.datashard.internal.log.Action;
import io.datashard.internal.log.Action.AddFile;
import io.datashard.internal.log.Action.CommitInfo;
import io.datashard.internal.log.Action.Metadata;
import io.datashard.internal.log.Action.Protocol;
import io.datashard.internal.log.Action.RemoveFile;
import io.datashard.internal.log.Action.SetTransaction;
import io.datashard.internal.log.TableLog.Commit;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Decides whether a transaction that lost the race for a version may rebase onto a winning commit
 * (DESIGN §6, Delta's rules). It fails on a metadata or protocol change and on a commit of one of
 * its application ids; on a winner that removed a file it removed or read; and on a winner that
 * added files that may hold rows matching what it read — except, under WriteSerializable, when the
 * winner was a blind append. A transaction that read nothing (a blind append) rebases over all data
 * changes.
 */
public final class ConflictChecker {
  private final String table;
  private final Set<String> appIds;
  private final List<BoundExpression> readPredicates;
  private final Set<String> readFiles;
  private final Set<String> removedFiles;
  private final IsolationLevel isolation;
  private final Function<AddFile, FileStatistics> statistics;

  /**
   * @param statistics the statistics view of a winner's added file, for matching read predicates
   */
  public ConflictChecker(String table, Set<String> appIds, List<BoundExpression> readPredicates, Set<String> readFiles,
      Set<String> removedFiles, IsolationLevel isolation, Function<AddFile, FileStatistics> statistics) {
    this.table = table;
    this.appIds = Set.copyOf(appIds);
    this.readPredicates = List.copyOf(readPredicates);
    this.readFiles = Set.copyOf(readFiles);
    this.removedFiles = Set.copyOf(removedFiles);
    this.isolation = isolation;
    this.statistics = statistics;
  }

  /** @throws io.datashard.ConcurrentModificationException (the specific subclass) if the winner conflicts */
  void check(Commit winner) {
    long v = winner.version();
    boolean winnerBlind = false;
    for (Action a : winner.actions()) {
      if (a instanceof Metadata) {
        throw new MetadataChangedException("table " + table + ": the concurrent commit of version " + v
            + " changed the table's metadata (schema, partitioning or properties); re-read the table and retry", v);
      }
      if (a instanceof Protocol) {
        throw new ProtocolChangedException("table " + table + ": the concurrent commit of version " + v
            + " changed the table's protocol; re-read the table and retry", v);
      }
      if (a instanceof SetTransaction t && appIds.contains(t.appId())) {
        throw new ConcurrentTransactionException("table " + table + ": the concurrent commit of version " + v
            + " recorded a transaction of application id '" + t.appId() + "'", v);
      }
      if (a instanceof CommitInfo ci && Boolean.TRUE.equals(ci.fields().get("isBlindAppend"))) {
        winnerBlind = true;
      }
    }
    for (Action a : winner.actions()) {
      if (a instanceof RemoveFile rm) {
        if (removedFiles.contains(rm.path())) {
          throw new ConcurrentDeleteDeleteException("table " + table + ": the concurrent commit of version " + v
              + " also removed data file " + rm.path(), v);
        }
        if (readFiles.contains(rm.path())) {
          throw new ConcurrentDeleteReadException("table " + table + ": the concurrent commit of version " + v
              + " removed data file " + rm.path() + ", which this transaction read", v);
        }
      }
    }
    if (readPredicates.isEmpty() || (winnerBlind && isolation == IsolationLevel.WRITE_SERIALIZABLE)) {
      return;
    }
    for (Action a : winner.actions()) {
      if (a instanceof AddFile add && add.dataChange()) {
        FileStatistics stats = statistics.apply(add);
        for (BoundExpression p : readPredicates) {
          if (stats == null || p.canMatch(stats)) {
            throw new ConcurrentAppendException("table " + table + ": the concurrent commit of version " + v
                + " added data file " + add.path() + ", which may hold rows matching \"" + p.source().toText()
                + "\" that this transaction read", v);
          }
        }
      }
    }
  }
}
