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

  @Test
  void aWorkerThatDiesBeforeItIsReadyFailsTheRunWithItsStderr() {
    java.io.StringWriter progress = new java.io.StringWriter();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> WorkerPool.run(2,
            i -> List.of(i == 1 ? "no-such-workload" : StressWorker.PLAIN_JSON, p(dir.resolve("absent.json")),
                Integer.toString(i), "1", "1", "run", "NO_SYNC"),
            2, new java.io.PrintWriter(progress), java.time.Duration.ofMinutes(2)))
        .isInstanceOf(FailureException.class)
        .hasMessageContaining("before it was ready")
        .hasMessageContaining("stderr of worker");
    assertThat(Main.exitCode(new FailureException("x"))).isEqualTo(1);
  }

  @Test
  void aWorkerThatFailsAfterTheStartSignalIsReportedWithItsStderr() throws Exception {
    Path file = dir.resolve("plain.json");
    java.nio.file.Files.writeString(file, "{\"items\":[]}"); // no counter: the first update fails
    WorkerPool.Outcome outcome = WorkerPool.run(2, i -> List.of(StressWorker.PLAIN_JSON, p(file), Integer.toString(i),
        "3", "1", "run", "NO_SYNC"), 6, new java.io.PrintWriter(new java.io.StringWriter()), java.time.Duration.ofMinutes(2));
    assertThat(outcome.failed()).hasSize(2);
    assertThat(outcome.failed().get(0).exitCode()).isEqualTo(1);
    assertThat(outcome.failed().get(0).stderr()).contains("NullPointerException");
    StressCommand.Report report = new StressCommand.Report(
        StressCommand.spec(p(dir.resolve("t")), StressWorkload.APPEND, 2, 3, 1, io.datashard.Durability.NO_SYNC), outcome,
        new StressWorkload.Verification(6, 0, 6, 0, 0, 0));
    assertThat(report.ok()).isFalse();
    org.assertj.core.api.Assertions.assertThatThrownBy(report::throwIfFailed)
        .isInstanceOf(FailureException.class).hasMessageContaining("2 of 2 workers failed").hasMessageContaining("6 rows lost");
    assertThat(report.json()).contains("\"lost\":6");
  }
}
