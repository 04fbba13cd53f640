package io.datashard;

import static org.assertj.core.api.Assertions.assertThat;

import io.datashard.testing.KernelOracle;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real child JVMs contend on the same rows: increments, get-or-create and upserts must be exact.
 * (Commits are not fsync'd here: durability is independent of the concurrency being tested.)
 */
class MultiProcessContentionTest {
  @TempDir Path dir;
  private static final Schema SCHEMA = Schema.parse("k long not null, v long not null, who string");

  /** Runs the workers and returns each one's stdout lines after "ready". */
  private List<List<String>> run(Path table, String mode, int processes, int ops) throws Exception {
    long seed = System.nanoTime();
    System.out.println("MultiProcessContentionTest " + mode + " seed " + seed);
    Path go = dir.resolve("go-" + mode);
    List<Process> children = new ArrayList<>();
    List<BufferedReader> outs = new ArrayList<>();
    for (int w = 0; w < processes; w++) {
      Process p = ChildJvm.start(ContentionWorker.class, dir.resolve("err-" + mode + w), table.toString(), mode,
          String.valueOf(w), String.valueOf(ops), go.toString(), String.valueOf(seed));
      children.add(p);
      outs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
    }
    for (BufferedReader out : outs) {
      assertThat(out.readLine()).isEqualTo("ready");
    }
    Files.createFile(go);
    List<List<String>> lines = new ArrayList<>();
    for (int w = 0; w < processes; w++) {
      List<String> mine = new ArrayList<>();
      for (String line = outs.get(w).readLine(); line != null; line = outs.get(w).readLine()) {
        mine.add(line);
      }
      Process p = children.get(w);
      assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
      assertThat(p.exitValue()).as("worker %d (seed %d) stderr: %s", w, seed,
          Files.readString(dir.resolve("err-" + mode + w))).isZero();
      lines.add(mine);
    }
    return lines;
  }

  @Test
  void sixProcessesTimesTwoHundredIncrementsOfOneRowAreExact() throws Exception {
    Path table = dir.resolve("inc");
    try (Table t = Table.create(table.toString(), SCHEMA)) {
      t.append(List.of(Map.of("k", 0L, "v", 1000L)));
    }
    run(table, "increment", 6, 200);
    try (Table t = Table.open(table.toString())) {
      List<Row> rows = t.newScan().toList();
      assertThat(rows).hasSize(1);
      assertThat(rows.get(0).getLong("v")).isEqualTo(1000L + 6 * 200);
      assertThat(t.currentSnapshot().version()).isEqualTo(1 + 6 * 200);
    }
    assertThat(KernelOracle.readRows(table)).containsExactly(java.util.Arrays.asList(0L, 2200L, null));
  }

  @Test
  void sixProcessesGetOrCreateOnFiftySharedKeysMakeExactlyFiftyRows() throws Exception {
    Path table = dir.resolve("goc");
    Table.create(table.toString(), SCHEMA).close();
    List<List<String>> lines = run(table, "get-or-create", 6, 80);
    Map<Long, String> creatorByKey = new HashMap<>();
    try (Table t = Table.open(table.toString())) {
      for (Row r : t.newScan().toList()) {
        assertThat(creatorByKey.put(r.getLong("k"), r.getString("who"))).as("duplicate key %s", r.get("k")).isNull();
      }
    }
    assertThat(creatorByKey.size()).isLessThanOrEqualTo(50);
    int calls = 0;
    for (List<String> worker : lines) {
      for (String line : worker) {
        if (line.startsWith("got ")) {
          String[] parts = line.split(" ");
          assertThat(parts[2]).as("caller got the row of key %s", parts[1]).isEqualTo(creatorByKey.get(Long.parseLong(parts[1])));
          calls++;
        }
      }
    }
    assertThat(calls).isEqualTo(6 * 80);
  }

  @Test
  void concurrentUpsertsNeverDuplicateAKey() throws Exception {
    Path table = dir.resolve("ups");
    Table.create(table.toString(), SCHEMA).close();
    run(table, "upsert", 6, 60);
    Set<Long> keys = new HashSet<>();
    try (Table t = Table.open(table.toString())) {
      for (Row r : t.newScan().toList()) {
        assertThat(keys.add(r.getLong("k"))).as("duplicate key %s", r.get("k")).isTrue();
        String[] who = r.getString("who").split("-");
        assertThat(Long.parseLong(who[1])).as("a value some writer wrote").isEqualTo(r.getLong("v"));
      }
      assertThat(t.currentSnapshot().version()).isEqualTo(6 * 60);
    }
    assertThat(keys).hasSizeLessThanOrEqualTo(20);
  }
}
