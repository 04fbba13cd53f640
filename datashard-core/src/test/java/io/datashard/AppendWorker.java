package io.datashard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Child process for multi-process tests: waits for a start file, then makes {@code ops} one-row
 * commits {@code (writer, seq)} and prints the total number of attempts.
 */
public final class AppendWorker {
  public static void main(String[] args) throws Exception {
    String table = args[0];
    int writer = Integer.parseInt(args[1]);
    int ops = Integer.parseInt(args[2]);
    Path go = Path.of(args[3]);
    System.out.println("ready");
    System.out.flush();
    while (!Files.exists(go)) {
      Thread.sleep(5);
    }
    long attempts = 0;
    try (Table t = Table.open(table)) {
      for (int seq = 0; seq < ops; seq++) {
        attempts += t.append(List.of(Map.of("writer", writer, "seq", (long) seq))).attempts();
      }
    }
    System.out.println("attempts " + attempts);
  }
}
