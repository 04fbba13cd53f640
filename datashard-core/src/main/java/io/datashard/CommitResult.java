package io.datashard;

import java.time.Duration;

/**
 * What a commit did.
 *
 * @param version the version it created
 * @param attempts how many times it tried (1 if it won the first race)
 * @param duration from the start of the commit to its acknowledgement (not counting data file writes)
 * @param filesAdded data files added
 * @param rowsAdded rows added
 */
public record CommitResult(long version, int attempts, Duration duration, int filesAdded, long rowsAdded) {}
