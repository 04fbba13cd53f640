package io.datashard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sixteen threads share one handle, mixing commits, scans and refreshes. */
class SharedHandleTest {
  @TempDir Path dir;

  /** Delta Kernel must read every table this test wrote with exactly our rows. */
  @AfterEach
  void kernelReadsEveryTable() throws java.io.IOException {
    KernelInteropTest.assertKernelReadsEveryTableUnder(dir);
  }

  @Test
  void sixteenThreadsOnOneHandleLoseNothingAndNeverSeeHalfACommit() throws Exception {
    int threads = 16;
    int commits = 25;
    Path p = dir.resolve("t");
    TableOptions fast = TableOptions.builder().durability(Durability.NO_SYNC).build();
    try (Table t = Table.define(p.toString(), Schema.parse("thread int not null, seq int not null, half int not null"))
        .options(fast).create()) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch start = new CountDownLatch(1);
      List<String> violations = Collections.synchronizedList(new ArrayList<>());
      List<Future<?>> futures = new ArrayList<>();
      for (int th = 0; th < threads; th++) {
        int id = th;
        futures.add(pool.submit(() -> {
          start.await();
          long lastVersion = -1;
          for (int seq = 0; seq < commits; seq++) {
            // Each commit is two files (two appends in one transaction): a reader must see both or neither.
            try (Transaction tx = t.newTransaction()) {
              tx.append(List.of(Map.of("thread", id, "seq", seq, "half", 0)));
              tx.append(List.of(Map.of("thread", id, "seq", seq, "half", 1)));
              tx.commit();
            }
            if (seq % 5 == id % 5) {
              Snapshot s = t.currentSnapshot();
              if (s.version() < lastVersion) {
                violations.add("version went back from " + lastVersion + " to " + s.version());
              }
              lastVersion = s.version();
              Map<String, Integer> halves = new HashMap<>();
              for (Row r : t.newScan().useSnapshot(s.version()).toList()) {
                halves.merge(r.get("thread") + "/" + r.get("seq"), 1, Integer::sum);
              }
              halves.forEach((k, n) -> {
                if (n != 2) {
                  violations.add("commit " + k + " seen with " + n + " of 2 rows");
                }
              });
              if (s.rowCount().orElseThrow() != halves.size() * 2L) {
                violations.add("snapshot row count " + s.rowCount() + " != scanned " + halves.size() * 2);
              }
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get();
      }
      pool.shutdown();
      assertThat(violations).isEmpty();
      assertThat(t.currentSnapshot().version()).isEqualTo((long) threads * commits);
      assertThat(t.newScan().count()).isEqualTo(2L * threads * commits);
    }
  }
}
