package io.datashard.internal.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * States derived one commit at a time materialize their file sets lazily; materializing a state and
 * one of its ancestors at the same time (a committer and the background checkpointer do) must give
 * both the right files. This once failed with a NullPointerException: the descendant read an
 * ancestor's actions after the ancestor's own materialization had released them.
 */
class TableStateConcurrencyTest {
  private static final String SCHEMA =
      "{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}}]}";

  private static Action.AddFile add(int i) {
    return new Action.AddFile("f" + i + ".parquet", Map.of(), 10, 0, true, Optional.empty(), Optional.empty());
  }

  @Test
  void concurrentMaterializationsOfAChainAgree() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (int trial = 0; trial < 200; trial++) {
        List<Action> first = List.of(new Action.Protocol(1, 2, Optional.empty(), Optional.empty()),
            new Action.Metadata("id", Optional.empty(), Optional.empty(), SCHEMA, List.of(), Map.of(), Optional.empty()));
        TableState s = TableState.replay("t", null, 0, List.of(first), new long[] {1}, 1);
        List<TableState> chain = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          s = s.next(List.of(add(i)), i + 2);
          chain.add(s);
        }
        List<Future<Integer>> sizes = new ArrayList<>();
        for (int k : new int[] {199, 150, 100, 50}) {
          TableState st = chain.get(k);
          sizes.add(pool.submit(() -> st.files().size()));
        }
        assertThat(sizes.get(0).get()).isEqualTo(200);
        assertThat(sizes.get(1).get()).isEqualTo(151);
        assertThat(sizes.get(2).get()).isEqualTo(101);
        assertThat(sizes.get(3).get()).isEqualTo(51);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
