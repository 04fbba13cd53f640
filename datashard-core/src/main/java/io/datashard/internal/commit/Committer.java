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
import io.datashard.storage.UnconfirmedPublishException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits a list of actions as the next version of a table (DESIGN §5.2–5.4).
 *
 * <p>The serialized entry is staged once (its sync overlapping the data files' syncs), then,
 * after everything is durable, published with put-if-absent as {@code base+1}. When another writer got that version, the winning commits are read and
 * checked for conflicts; if none, the same staged bytes are published as the version after the
 * newest winner. The entry holds nothing version-specific, so rebasing never rewrites it.
 */
public final class Committer {
  private static final Logger LOG = LoggerFactory.getLogger(Committer.class);

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
    try {
      TableState state = base;
      long version = base.version() + 1;
      for (int attempt = 1; ; attempt++) {
        String path = LogFiles.commit(version);
        if (publish(storage, staged, path, entry, token, version, log.location())) {
          return new Outcome(version, attempt, stateAfter(log, state, actions, version, token,
              publishedTime(storage, path)));
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
    } finally {
      discard(staged, log.location());
    }
  }

  /**
   * The published entry's modification time (the version's timestamp). The commit is done once the
   * entry exists, so failing to read it must not fail the commit (its caller would delete the data
   * files the entry names): the clock stands in, and fresh reads of the log use the file's time.
   */
  private static long publishedTime(Storage storage, String path) {
    try {
      return storage.info(path).map(f -> f.modificationTime()).orElse(System.currentTimeMillis());
    } catch (IOException e) {
      LOG.warn("committed {} but cannot read its modification time; using the clock: {}", path, e.toString());
      return System.currentTimeMillis();
    }
  }

  /**
   * The state after this writer's published commit. Past the commit point nothing may fail the
   * commit as if it had not happened (its caller would delete the data files the entry names): if the
   * state cannot be derived from the previous one it is loaded from the log, and if that fails too
   * the outcome is reported as unknown, which keeps the files.
   */
  private static TableState stateAfter(TableLog log, TableState before, List<Action> actions, long version,
      String token, long time) {
    try {
      return before.next(actions, time);
    } catch (RuntimeException e) {
      LOG.warn("table {}: version {} is committed but its state could not be derived; loading it", log.location(),
          version, e);
      try {
        return log.load(version);
      } catch (RuntimeException loadFailure) {
        loadFailure.addSuppressed(e);
        throw new CommitOutcomeUnknownException("table " + log.location() + ": version " + version
            + " holds this commit (token " + token + ") but the table's state after it cannot be read: "
            + loadFailure, token, version, loadFailure);
      }
    }
  }

  /**
   * Removes the staging copy. A failure only leaves a hidden temporary file behind, which must not
   * turn a commit that succeeded into a failure (its data files would be deleted).
   */
  private static void discard(StagedFile staged, String table) {
    try {
      staged.close();
    } catch (IOException e) {
      LOG.warn("table {}: cannot remove the staging copy of a log entry: {}", table, e.toString());
    }
  }

  /** How often an unconfirmed publish that left no file is repeated before the commit fails. */
  private static final int UNCONFIRMED_REPEATS = 3;

  /**
   * Publishes a log entry with put-if-absent; on an I/O error, reads the entry back to learn whether
   * this writer created it (the entry holds the commit's unique token, so equal bytes mean this
   * commit). An {@link UnconfirmedPublishException} whose read-back finds this entry is a success,
   * one that finds another entry a lost race, and one that finds nothing is repeated.
   *
   * @return true if this writer created the entry, false if another writer had
   * @throws StorageException if the entry was not created
   * @throws CommitOutcomeUnknownException if it cannot be told whether it was
   */
  public static boolean publish(Storage storage, StagedFile staged, String path, byte[] entry, String token,
      long version, String table) {
    for (int repeat = 0; ; repeat++) {
      IOException failure;
      try {
        return storage.publishIfAbsent(staged, path);
      } catch (IOException e) {
        failure = e;
      }
      boolean unconfirmed = failure instanceof UnconfirmedPublishException;
      byte[] found;
      try {
        found = storage.readAll(path);
      } catch (NoSuchFileException e) {
        if (unconfirmed && repeat < UNCONFIRMED_REPEATS) {
          continue;
        }
        throw new StorageException("commit to table " + table + " failed before its log entry " + path
            + " was created; the table is unchanged", failure);
      } catch (IOException e) {
        failure.addSuppressed(e);
        throw new CommitOutcomeUnknownException("table " + table + ": publishing " + path + " failed and it cannot be"
            + " read back; look for commit token " + token + " in the history", token, version, failure);
      }
      if (Arrays.equals(found, entry)) {
        if (unconfirmed) {
          return true; // e.g. the SDK retried a PUT that had succeeded and got 412 for its own entry
        }
        throw new CommitOutcomeUnknownException("table " + table + ": " + path + " holds this commit (token " + token
            + ") but making it durable failed: " + failure, token, version, failure);
      }
      return false;
    }
  }
}
