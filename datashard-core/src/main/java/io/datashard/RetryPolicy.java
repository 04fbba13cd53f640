package io.datashard;

import java.time.Duration;
import java.util.Objects;

/**
 * How a commit that lost the race for a version retries: up to {@code maxAttempts} tries within
 * {@code maxTotalTime}, waiting between tries a delay that doubles from {@code baseDelay} up to
 * {@code maxDelay}, each delay multiplied by a random factor in {@code [1 - jitter, 1]} so that
 * contending writers spread out.
 *
 * @param maxAttempts the most tries, at least 1
 * @param maxTotalTime the most time from the first try to the start of the last
 * @param baseDelay the delay before the second try
 * @param maxDelay the cap on any one delay
 * @param jitter the random fraction taken off each delay, 0 to 1
 */
public record RetryPolicy(int maxAttempts, Duration maxTotalTime, Duration baseDelay, Duration maxDelay, double jitter) {

  /**
   * The default: 10,000 attempts within 10 minutes, delays from 0.1 ms doubling up to 50 ms, full
   * jitter. Losing a race is cheap to retry for appends (the same staged log entry is linked under
   * the next version), so the first retries are nearly immediate.
   */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(10_000, Duration.ofMinutes(10), Duration.ofNanos(100_000), Duration.ofMillis(50), 1.0);

  /** A policy that never retries. */
  public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO, 0);

  /** Validates. */
  public RetryPolicy {
    Objects.requireNonNull(maxTotalTime, "maxTotalTime");
    Objects.requireNonNull(baseDelay, "baseDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    if (maxTotalTime.isNegative() || baseDelay.isNegative() || maxDelay.isNegative()) {
      throw new IllegalArgumentException("durations must not be negative");
    }
    if (!(jitter >= 0 && jitter <= 1)) {
      throw new IllegalArgumentException("jitter must be within 0..1, got " + jitter);
    }
  }

  /** The delay before try number {@code attempt + 1}, given a uniform random number in [0, 1). */
  public Duration delayAfter(int attempt, double random) {
    long base = baseDelay.toNanos();
    int shift = Math.min(Math.max(attempt - 1, 0), 40);
    long nanos = base > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : base << shift;
    nanos = Math.min(nanos, maxDelay.toNanos());
    return Duration.ofNanos((long) (nanos * (1 - jitter * random)));
  }

  /** A copy with another attempt limit. */
  public RetryPolicy withMaxAttempts(int attempts) {
    return new RetryPolicy(attempts, maxTotalTime, baseDelay, maxDelay, jitter);
  }

  /** A copy with another time limit. */
  public RetryPolicy withMaxTotalTime(Duration time) {
    return new RetryPolicy(maxAttempts, time, baseDelay, maxDelay, jitter);
  }
}
