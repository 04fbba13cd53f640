package io.datashard.cli;

import static io.datashard.cli.Cli.p;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datashard.CloseableIterator;
import io.datashard.Row;
import io.datashard.Table;
import io.datashard.testing.KernelOracle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code datashard torture} with real writer JVMs that are SIGKILLed while they write: no
 * violations, and Delta Kernel reads the tortured table with exactly our rows. The short run is
 * part of every build; {@code -Ptorture} runs a long one (see docs/guarantees.md).
 */
class TortureTest {
  @TempDir Path dir;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void shortRunWithKillsViolatesNothingAndKernelReadsTheTable() throws Exception {
    tortureAndCheck("20s", 4, "2s");
  }

  @Test
  void longRun() throws Exception {
    String duration = System.getProperty("datashard.torture.duration");
    assumeTrue(duration != null, "the long torture run runs only with -Ptorture");
    tortureAndCheck(duration, Integer.getInteger("datashard.torture.processes", 4),
        System.getProperty("datashard.torture.killInterval", "2s"));
  }

  private void tortureAndCheck(String duration, int processes, String killInterval) throws Exception {
    Path t = dir.resolve("tortured");
    Main.Result r = Cli.run("torture", p(t), "--processes", Integer.toString(processes), "--duration", duration,
        "--kill-interval", killInterval, "--acks", p(dir.resolve("acks")));
    System.out.println(r.out());
    System.out.println(r.err());
    assertThat(r.exitCode()).as("exit code; stdout:%n%s%nstderr:%n%s", r.out(), r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    JsonNode j = new ObjectMapper().readTree(lines.get(lines.size() - 1));
    assertThat(j.fieldNames()).toIterable().startsWith("kills", "operations", "acknowledged", "violations");
    assertThat(j.get("violations").asLong()).isZero();
    assertThat(j.get("kills").asLong()).isPositive();
    assertThat(j.get("acknowledged").asLong()).isPositive().isLessThanOrEqualTo(j.get("operations").asLong());
    assertThat(j.get("unacknowledged").asLong())
        .isEqualTo(j.get("operations").asLong() - j.get("acknowledged").asLong());
    assertThat(r.out()).contains("Delta Kernel check: done by the test suite");

    // The Kernel check the CLI leaves to us: Kernel sees the same latest version and the same rows.
    try (Table table = Table.open(t.toString())) {
      long version = table.currentSnapshot().version();
      assertThat(version).isEqualTo(j.get("version").asLong());
      assertThat(KernelOracle.latestVersion(t)).isEqualTo(version);
      List<List<Object>> ours = new ArrayList<>();
      int columns = table.currentSnapshot().schema().fieldNames().size();
      try (CloseableIterator<Row> it = table.newScan().iterator()) {
        while (it.hasNext()) {
          Row row = it.next();
          List<Object> values = new ArrayList<>();
          for (int i = 0; i < columns; i++) {
            values.add(row.get(i));
          }
          ours.add(values);
        }
      }
      List<List<Object>> kernel = KernelOracle.canonicalRows(KernelOracle.readRows(t, version));
      ours = KernelOracle.canonicalRows(ours);
      ours.sort(KernelOracle.ROW_ORDER);
      kernel.sort(KernelOracle.ROW_ORDER);
      assertThat(kernel).as("Kernel's rows of the tortured table").hasSameSizeAs(ours);
      assertThat(kernel).containsExactlyElementsOf(ours);
    }
  }

  @Test
  void badOptionsAreUserErrors() {
    assertThat(Cli.userError("torture", p(dir.resolve("x")), "--duration", "ten")).contains("--duration");
    assertThat(Cli.userError("torture", p(dir.resolve("x")), "--workload", "append,frobnicate"))
        .contains("unknown torture operation 'frobnicate'");
    assertThat(Cli.userError("torture", p(dir.resolve("x")), "--kill-interval", "10ms")).contains("--kill-interval");
  }
}
