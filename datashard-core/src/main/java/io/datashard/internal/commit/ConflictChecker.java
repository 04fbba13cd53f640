package io.datashard.internal.commit;

import io.datashard.ConcurrentTransactionException;
import io.datashard.MetadataChangedException;
import io.datashard.ProtocolChangedException;
import io.datashard.internal.log.Action;
import io.datashard.internal.log.Action.Metadata;
import io.datashard.internal.log.Action.Protocol;
import io.datashard.internal.log.Action.SetTransaction;
import io.datashard.internal.log.TableLog.Commit;
import java.util.Set;

/**
 * Decides whether a transaction that lost the race for a version may rebase onto a winning commit
 * (DESIGN §6). A blind append rebases over any data change; it fails on a metadata or protocol
 * change, or on a transaction of one of its own application ids.
 */
final class ConflictChecker {
  private final String table;
  private final Set<String> appIds;

  ConflictChecker(String table, Set<String> appIds) {
    this.table = table;
    this.appIds = appIds;
  }

  /** @throws io.datashard.ConcurrentModificationException if the winner conflicts */
  void check(Commit winner) {
    for (Action a : winner.actions()) {
      if (a instanceof Metadata) {
        throw new MetadataChangedException("table " + table + ": the concurrent commit of version " + winner.version()
            + " changed the table's metadata (schema, partitioning or properties); re-read the table and retry",
            winner.version());
      }
      if (a instanceof Protocol) {
        throw new ProtocolChangedException("table " + table + ": the concurrent commit of version " + winner.version()
            + " changed the table's protocol; re-read the table and retry", winner.version());
      }
      if (a instanceof SetTransaction t && appIds.contains(t.appId())) {
        throw new ConcurrentTransactionException("table " + table + ": the concurrent commit of version "
            + winner.version() + " recorded a transaction of application id '" + t.appId() + "'", winner.version());
      }
    }
  }
}
