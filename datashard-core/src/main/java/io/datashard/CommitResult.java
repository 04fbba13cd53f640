package io.datashard;

import java.time.Duration;

/**
 * What a write did.
 *
 * @param version the version it created, or the version it read if it changed nothing
 * @param committed false when nothing was committed: no row matched, or an idempotent write whose
 *     (application id, version) was already committed
 * @param attempts how many times the final plan was offered to the log (1 if it won the first race)
 * @param replans how many times the operation was re-planned after a conflicting concurrent commit
 * @param duration from the start of the operation to its acknowledgement
 * @param filesAdded data files added
 * @param filesRemoved data files removed (rewritten or dropped)
 * @param rowsInserted rows inserted
 * @param rowsUpdated rows updated
 * @param rowsDeleted rows deleted
 */
public record CommitResult(long version, boolean committed, int attempts, int replans, Duration duration,
    int filesAdded, int filesRemoved, long rowsInserted, long rowsUpdated, long rowsDeleted) {}
