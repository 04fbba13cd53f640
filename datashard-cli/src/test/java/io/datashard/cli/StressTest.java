package io.datashard.cli;

import static io.datashard.cli.Cli.ok;
import static io.datashard.cli.Cli.p;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** stress and demo with real child JVMs. */
class StressTest {
  @TempDir Path dir;

  @Test
  void fourProcessesAppendingLoseNothing() throws Exception {
    Path t = dir.resolve("stress");
    String out = ok("stress", p(t), "--processes", "4", "--ops", "100", "--workload", "append");
    List<String> lines = out.lines().toList();
    JsonNode j = new ObjectMapper().readTree(lines.get(lines.size() - 1));
    assertThat(j.fieldNames()).toIterable().containsExactly("workload", "processes", "ops", "expected", "found", "lost",
        "duplicated", "seconds", "commitsPerSecond", "retries");
    assertThat(j.get("workload").asText()).isEqualTo("append");
    assertThat(j.get("processes").asInt()).isEqualTo(4);
    assertThat(j.get("ops").asInt()).isEqualTo(100);
    assertThat(j.get("expected").asLong()).isEqualTo(400);
    assertThat(j.get("found").asLong()).isEqualTo(400);
    assertThat(j.get("lost").asLong()).isZero();
    assertThat(j.get("duplicated").asLong()).isZero();
    assertThat(j.get("seconds").isNumber()).isTrue();
    assertThat(j.get("commitsPerSecond").isNumber()).isTrue();
    assertThat(j.get("retries").asLong()).isNotNegative();
    // one commit per operation, and every row carries its writer and sequence number exactly once
    assertThat(ok("describe", p(t), "--format", "json")).contains("\"version\":400,");
    assertThat(ok("count", p(t))).isEqualTo("400\n");

    // a second run on the same table checks its own rows only
    String again = ok("stress", p(t), "--processes", "2", "--ops", "5", "--rows-per-op", "3");
    JsonNode j2 = new ObjectMapper().readTree(again.lines().reduce((a, b) -> b).orElseThrow());
    assertThat(j2.get("expected").asLong()).isEqualTo(30);
    assertThat(j2.get("found").asLong()).isEqualTo(30);
    assertThat(again).contains("400 rows of earlier runs ignored");
    assertThat(ok("count", p(t))).isEqualTo("430\n");
  }

  @Test
  void stressOnATableWithAnotherSchemaIsAUserError() {
    Path t = dir.resolve("other");
    ok("create", p(t), "--schema", "x string");
    assertThat(Cli.userError("stress", p(t), "--processes", "1", "--ops", "1")).startsWith("datashard: ");
  }

  @Test
  void demoComparesAPlainFileWithATable() {
    Path d = dir.resolve("demo");
    String out = ok("demo", "--dir", p(d), "--processes", "3", "--ops", "30");
    assertThat(out).contains("DataShard:       90 of 90 rows present, 0 lost, 0 duplicated");
    assertThat(out).containsPattern("plain JSON file: \\d+ of 90 updates LOST");
    assertThat(out).contains("put-if-absent");
    assertThat(ok("count", p(d.resolve("table")))).isEqualTo("90\n");
  }
}
