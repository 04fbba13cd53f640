package io.datashard;

import java.util.OptionalLong;

/**
 * The outcome of {@link Table#getOrCreate}.
 *
 * @param row the row that matches the key: the existing one, or the one inserted
 * @param created whether this call inserted it
 * @param version the version that inserted it, if this call did
 * @param replans how many times the call was re-planned after a conflicting concurrent commit
 */
public record GetOrCreateResult(Row row, boolean created, OptionalLong version, int replans) {}
