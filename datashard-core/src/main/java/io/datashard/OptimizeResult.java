package io.datashard;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * What a compaction did.
 *
 * @param version the version committed, or empty if there was nothing to compact
 * @param filesRemoved small files replaced
 * @param filesAdded compacted files written
 * @param bytesRemoved total size of the files replaced
 * @param bytesAdded total size of the files written
 * @param rowsRewritten rows moved into the new files
 * @param partitions partitions in which files were compacted
 * @param binsSkipped groups of files not compacted because a concurrent commit removed one of their files
 * @param attempts commit attempts (1 without concurrent commits)
 * @param duration wall-clock time of the whole operation
 */
public record OptimizeResult(OptionalLong version, long filesRemoved, long filesAdded, long bytesRemoved,
    long bytesAdded, long rowsRewritten, long partitions, long binsSkipped, int attempts, Duration duration) {}
