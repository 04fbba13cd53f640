package io.datashard;

import java.nio.file.Path;

/**
 * Child process that compacts a table but stops forever just before publishing the compaction's
 * log entry (its new file written and durable), so that a test can SIGKILL it at that point.
 */
public final class BlockingOptimizeWorker {
  public static void main(String[] args) throws Exception {
    HookedStorage storage = new HookedStorage(Path.of(args[0]));
    storage.beforeStaging("\"OPTIMIZE\"", () -> {
      System.out.println("about to commit the compaction");
      System.out.flush();
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    try (Table t = Table.open(storage, TableOptions.DEFAULT)) {
      t.optimize().commit();
    }
  }
}
