package io.datashard.cli;

import static io.datashard.cli.Cli.ok;
import static io.datashard.cli.Cli.p;
import static io.datashard.cli.Cli.run;
import static io.datashard.cli.Cli.userError;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** optimize, vacuum and verify from the command line: output, exit codes, errors. */
class MaintenanceCommandsTest {
  @TempDir Path dir;
  Path table;

  @BeforeEach
  void manySmallCommits() {
    table = dir.resolve("t");
    ok("create", p(table), "--schema", "id long not null, kind string", "--partition-by", "kind");
    for (int i = 0; i < 6; i++) {
      ok("append", p(table), "--json", "{\"id\":" + i + ",\"kind\":\"k" + (i % 2) + "\"}");
    }
  }

  @Test
  void optimizeThenVerifyThenVacuum() throws Exception {
    assertThat(ok("optimize", p(table), "--sort-by", "id", "--target-size", "1m"))
        .startsWith("compacted 6 files (").contains("into 2 (").contains("in 2 partition(s), 6 rows; version 7");
    assertThat(ok("optimize", p(table))).isEqualTo("nothing to compact\n");
    assertThat(ok("count", p(table))).isEqualTo("6\n");

    String report = ok("verify", p(table), "--deep");
    assertThat(report).contains("rows read:           6").contains("checksums checked:   7").endsWith("OK: no errors\n");

    assertThat(ok("vacuum", p(table), "--dry-run")).isEqualTo(
        "would delete 0 files (0 bytes); retention PT168H, version 7\n");
    Path orphan = Files.writeString(table.resolve("kind=k0/part-00000-orphan.c000.snappy.parquet"), "x");
    Files.setLastModifiedTime(orphan, FileTime.from(Instant.now().minus(Duration.ofDays(10))));
    assertThat(ok("vacuum", p(table), "--dry-run")).isEqualTo("kind=k0/part-00000-orphan.c000.snappy.parquet\n"
        + "would delete 1 files (1 bytes); retention PT168H, version 7\n");
    assertThat(ok("vacuum", p(table), "--retain", "8d")).startsWith("deleted 1 files (1 bytes) and 0 expired log files");
    assertThat(orphan).doesNotExist();
    assertThat(ok("vacuum", p(table), "--retain", "0", "--unsafe-retention")).startsWith("deleted 6 files (");
    assertThat(ok("verify", p(table))).endsWith("OK: no errors\n");
    assertThat(ok("count", p(table))).isEqualTo("6\n");
  }

  @Test
  void verifyExitsWithOneWhenItFindsErrors() throws Exception {
    Path data;
    try (java.util.stream.Stream<Path> files = Files.list(table.resolve("kind=k1"))) {
      data = files.findFirst().orElseThrow();
    }
    Files.delete(data);
    Main.Result r = run("verify", p(table));
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).contains("error: data file kind=k1/" + data.getFileName() + " (version 6) is missing")
        .endsWith("FAILED: 1 error(s)\n");
  }

  @Test
  void aLogTooDamagedToOpenIsAFindingToo() throws Exception {
    Files.delete(table.resolve("_delta_log/00000000000000000003.json"));
    Main.Result r = run("verify", p(table));
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).contains("error: the table cannot be opened:").contains("version 3")
        .endsWith("FAILED: 1 error(s)\n");
  }

  @Test
  void badRetentionsAndSizesAreUserErrors() {
    assertThat(userError("vacuum", p(table), "--retain", "1h")).contains("below the safe minimum of 7 days");
    assertThat(userError("vacuum", p(table), "--retain", "soon")).contains("--retain must be a duration");
    assertThat(userError("optimize", p(table), "--target-size", "-5")).contains("--target-size must be a positive");
    assertThat(userError("optimize", p(table), "--sort-by", "nope")).contains("'nope'");
    assertThat(userError("verify", p(dir.resolve("missing")))).contains("no table at");
  }
}
