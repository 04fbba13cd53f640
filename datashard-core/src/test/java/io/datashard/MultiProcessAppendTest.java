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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child JVMs append to one table at once; every row must be there exactly once. */
class MultiProcessAppendTest {
  @TempDir Path dir;

  @Test
  void fourProcessesTimesOneHundredCommitsAreExact() throws Exception {
    int processes = 4;
    int ops = 100;
    Path table = dir.resolve("t");
    Table.create(table.toString(), Schema.parse("writer int not null, seq long not null")).close();
    Path go = dir.resolve("go");
    List<Process> children = new ArrayList<>();
    List<BufferedReader> outputs = new ArrayList<>();
    for (int w = 0; w < processes; w++) {
      Process p = ChildJvm.start(AppendWorker.class, dir.resolve("err-" + w), table.toString(), String.valueOf(w),
          String.valueOf(ops), go.toString());
      children.add(p);
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      outputs.add(out);
    }
    for (BufferedReader out : outputs) {
      assertThat(out.readLine()).isEqualTo("ready");
    }
    Files.createFile(go);
    long attempts = 0;
    for (int w = 0; w < processes; w++) {
      Process p = children.get(w);
      assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
      assertThat(p.exitValue()).as("worker %d stderr: %s", w, Files.readString(dir.resolve("err-" + w))).isZero();
      String last = outputs.get(w).readLine();
      attempts += Long.parseLong(last.substring("attempts ".length()));
    }
    try (Table t = Table.open(table.toString())) {
      Snapshot s = t.currentSnapshot();
      assertThat(s.version()).isEqualTo((long) processes * ops);
      Map<String, Integer> seen = new HashMap<>();
      for (Row r : t.newScan().toList()) {
        seen.merge(r.get("writer") + "/" + r.get("seq"), 1, Integer::sum);
      }
      assertThat(seen).hasSize(processes * ops);
      assertThat(seen.values()).allMatch(c -> c == 1);
      assertThat(t.history()).hasSize(processes * ops + 1);
    }
    assertThat(attempts).isGreaterThanOrEqualTo((long) processes * ops);
    assertThat(KernelOracle.readRows(table)).hasSize(processes * ops);
  }
}
