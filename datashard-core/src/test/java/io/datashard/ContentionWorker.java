package io.datashard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Child process for contention tests. Modes: {@code increment} (N increments of row 0),
 * {@code get-or-create} (N calls over keys 0..49, printing "key creator" for each), {@code upsert}
 * (N upserts of a random key, value "writer-seq"). Waits for the start file first.
 */
public final class ContentionWorker {
  public static void main(String[] args) throws Exception {
    String table = args[0];
    String mode = args[1];
    int writer = Integer.parseInt(args[2]);
    int ops = Integer.parseInt(args[3]);
    Path go = Path.of(args[4]);
    long seed = Long.parseLong(args[5]);
    System.out.println("ready");
    System.out.flush();
    while (!Files.exists(go)) {
      Thread.sleep(5);
    }
    Random random = new Random(seed + writer);
    TableOptions fast = TableOptions.builder().durability(Durability.NO_SYNC).build();
    long replans = 0;
    try (Table t = Table.open(table, fast)) {
      for (int seq = 0; seq < ops; seq++) {
        switch (mode) {
          case "increment":
            replans += t.increment(Expression.parse("k = 0"), "v", 1).replans();
            break;
          case "get-or-create": {
            long key = random.nextInt(50);
            String creator = writer + "-" + seq;
            GetOrCreateResult r = t.getOrCreate(Expression.parse("k = " + key),
                () -> Map.of("k", key, "v", 0L, "who", creator));
            System.out.println("got " + key + " " + r.row().getString("who"));
            break;
          }
          case "upsert": {
            long key = random.nextInt(20);
            replans += t.upsert(List.of(Map.of("k", key, "v", (long) seq, "who", writer + "-" + seq)), "k").replans();
            break;
          }
          default:
            throw new IllegalArgumentException(mode);
        }
      }
    }
    System.out.println("replans " + replans);
  }
}
