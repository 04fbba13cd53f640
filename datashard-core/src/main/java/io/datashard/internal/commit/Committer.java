package io.datashard.internal.commit;

import io.datashard.CommitFailedException;
import io.datashard.CommitOutcomeUnknownException;
import io.datashard.RetryPolicy;
import io.datashard.StorageException;
import io.datashard.internal.log.Action;
import io.datashard.internal.log.Action.CommitInfo;
import io.datashard.internal.log.LogCodec;
import io.datashard.internal.log.LogFiles;
import io.datashard.internal.log.TableLog;
import io.datashard.internal.log.TableLog.Commit;
import io.datashard.internal.log.TableState;
import io.datashard.storage.NewFile;
import io.datashard.storage.StagedFile;
import io.datashard.storage.Storage;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Commits a list of actions as the next version of a table (DESIGN §5.2–5.4).
 *
 * <p>The serialized entry is staged once (its sync overlapping the data files' syncs), then,
 * after everything is durable, published with put-if-absent as {@code base+1}. When another writer got that version, the winning commits are read and
 * checked for conflicts; if none, the same staged bytes are published as the version after the
 * newest winner. The entry holds nothing version-specific, so rebasing never rewrites it.
 */
public final class Committer {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Committer.class);

  private Committer() {}

  /** The outcome: the version, the attempts it took, and the table state after the commit. */
  public record Outcome(long version, int attempts, TableState state) {}

  /**
   * @param base the state the transaction read; its version is the first one tried plus one
   * @param actions the actions to commit, commitInfo first
   * @param checker decides whether a winning commit conflicts with this one
   * @param dataFiles the data files the actions add, whose durability is awaited (while the entry
   *     is staged) before the entry is published
   * @throws io.datashard.ConcurrentModificationException if a winning commit conflicts
   * @throws CommitFailedException if the retry policy runs out
   * @throws CommitOutcomeUnknownException if it cannot be told whether the entry was written
   */
  public static Outcome commit(TableLog log, TableState base, List<Action> actions, RetryPolicy policy,
      ConflictChecker checker, Collection<NewFile> dataFiles) {
    Storage storage = log.storage();
    String token = "";
    for (Action a : actions) {
      if (a instanceof CommitInfo ci) {
        token = ci.string("txnId").orElse("");
      }
    }
    byte[] entry = LogCodec.serialize(actions);
    long start = System.nanoTime();
    StagedFile staged;
    try {
      staged = storage.stage(LogFiles.LOG_DIR, entry);
    } catch (IOException e) {
      throw new StorageException("cannot write the log entry of a commit to table " + log.location(), e);
    }
    // Invariant: no log entry is published before every data file it names is durable.
    try {
      for (NewFile f : dataFiles) {
        f.awaitDurable();
      }
    } catch (IOException e) {
      try {
        staged.close();
      } catch (IOException closeFailure) {
        e.addSuppressed(closeFailure);
      }
      throw new StorageException("cannot make the data files of a commit to table " + log.location() + " durable", e);
    }
    Outcome committed = null;
    try (staged) {
      TableState state = base;
      long version = base.version() + 1;
      for (int attempt = 1; ; attempt++) {
        String path = LogFiles.commit(version);
        if (publish(storage, staged, path, entry, token, version, log.location())) {
          // Past the commit point nothing may fail the commit: a caller told "failed" would delete
          // the data files the entry now names.
          committed = new Outcome(version, attempt, state.next(actions, commitTime(storage, path)));
          return committed;
        }
        // Lost the race: every version from `version` to the latest belongs to other writers.
        long latest = log.latestVersion(version).orElse(version);
        for (long v = version; v <= latest; v++) {
          Commit winner = log.readCommit(v);
          checker.check(winner);
          state = state.next(winner.actions(), winner.modificationTime());
        }
        version = latest + 1;
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        if (attempt >= policy.maxAttempts() || elapsed.compareTo(policy.maxTotalTime()) > 0) {
          throw new CommitFailedException("table " + log.location() + ": commit lost the race for a version "
              + attempt + " times in " + elapsed.toMillis() + " ms, the retry policy's limit (" + policy.maxAttempts()
              + " attempts, " + policy.maxTotalTime().toMillis() + " ms)", attempt);
        }
        LockSupport.parkNanos(policy.delayAfter(attempt, ThreadLocalRandom.current().nextDouble()).toNanos());
      }
    } catch (IOException e) {
      if (committed != null) {
        // Only removing the staging file failed: a hidden leftover in _delta_log, never read.
        LOG.warn("table {}: version {} is committed but its staging file could not be removed", log.location(),
            committed.version(), e);
        return committed;
      }
      throw new StorageException("cannot complete a commit to table " + log.location(), e);
    }
  }

  /** The commit file's modification time (the version's timestamp), or now if it cannot be read. */
  private static long commitTime(Storage storage, String path) {
    try {
      return storage.info(path).map(f -> f.modificationTime()).orElse(System.currentTimeMillis());
    } catch (IOException e) {
      LOG.warn("cannot read the modification time of committed {}; using the current time", path, e);
      return System.currentTimeMillis();
    }
  }

  /** Publishes; on an I/O error, reads the entry back to learn whether this writer created it. */
  private static boolean publish(Storage storage, StagedFile staged, String path, byte[] entry, String token,
      long version, String table) {
    IOException failure;
    try {
      return storage.publishIfAbsent(staged, path);
    } catch (IOException e) {
      failure = e;
    }
    byte[] found;
    try {
      found = storage.readAll(path);
    } catch (NoSuchFileException e) {
      throw new StorageException("commit to table " + table + " failed before its log entry " + path
          + " was created; the table is unchanged", failure);
    } catch (IOException e) {
      failure.addSuppressed(e);
      throw new CommitOutcomeUnknownException("table " + table + ": publishing " + path + " failed and it cannot be"
          + " read back; look for commit token " + token + " in the history", token, version, failure);
    }
    if (Arrays.equals(found, entry)) {
      throw new CommitOutcomeUnknownException("table " + table + ": " + path + " holds this commit (token " + token
          + ") but making it durable failed: " + failure, token, version, failure);
    }
    return false;
  }
}
