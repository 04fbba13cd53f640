package io.datashard;

/**
 * Counters of one {@link Table} handle since it was opened, for monitoring.
 *
 * @param commits commits this handle made
 * @param lostRaces times a commit found its version taken by another writer
 * @param rebases times a commit was retried on a newer version after a lost race without conflict
 * @param conflicts conflicts with concurrent commits (lost races that could not simply rebase)
 * @param replans times an operation was re-planned against a newer snapshot after a conflict
 */
public record TableMetrics(long commits, long lostRaces, long rebases, long conflicts, long replans) {}
