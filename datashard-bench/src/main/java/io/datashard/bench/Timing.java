package io.datashard.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/** Repeated timings inside one child JVM: one untimed warm-up, then the median of the runs. */
final class Timing {
  private Timing() {}

  /** What a scan saw; every system must see the same, and the launcher compares them. */
  record Check(long rows, long sumId, long nonNull) {}

  static Result repeat(int reps, Supplier<Check> run) {
    Check first = run.get();
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < reps; i++) {
      long s = System.nanoTime();
      Check c = run.get();
      times.add((System.nanoTime() - s) / 1e9);
      if (!c.equals(first)) {
        throw new IllegalStateException("repeated run saw " + c + ", first saw " + first);
      }
    }
    return Result.of("seconds", median(times), "best", Collections.min(times), "rows", first.rows(), "sumId",
        first.sumId(), "nonNull", first.nonNull());
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    if (n == 0) {
      throw new IllegalArgumentException("no values");
    }
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
