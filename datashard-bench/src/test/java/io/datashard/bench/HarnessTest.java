package io.datashard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HarnessTest {

  @Test
  void advantageIsAboveOneWhenDataShardIsBetterInEitherDirection() {
    assertThat(Report.advantage(200, 100, true)).isEqualTo(2.0);
    assertThat(Report.advantage(50, 100, true)).isEqualTo(0.5);
    // latency: lower is better, so 10 ms against a peer's 40 ms is 4x
    assertThat(Report.advantage(10, 40, false)).isEqualTo(4.0);
    assertThat(Report.advantage(Double.NaN, 40, false)).isNaN();
    assertThat(Report.advantage(10, 0, true)).isNaN();
  }

  @Test
  void ratiosAndFiguresAreFormattedReadably() {
    assertThat(Report.ratio(0.0731)).isEqualTo("0.073x");
    assertThat(Report.ratio(2.74)).isEqualTo("2.7x");
    assertThat(Report.ratio(67.4)).isEqualTo("67x");
    assertThat(Report.ratio(1234.0)).isEqualTo("1,234x");
    assertThat(Report.ratio(Double.NaN)).isEqualTo("-");
    assertThat(Report.number(1_234_567.8)).isEqualTo("1,234,568");
    assertThat(Report.number(262.4)).isEqualTo("262");
    assertThat(Report.number(22.46)).isEqualTo("22.5");
    assertThat(Report.number(8.456)).isEqualTo("8.46");
  }

  @Test
  void markdownPutsTheRatioAgainstDataShardOnEachPeerLine() {
    Report r = new Report("W9 test");
    r.add(new Report.Line("case a", "DataShard", "", 100, "rows/s", true, "exact"));
    r.add(new Report.Line("case a", "SQLite", "FULL", 400, "rows/s", true, "exact"));
    r.add(new Report.Line("case a", "Kernel", "", Double.NaN, "rows/s", true, "FAILED: boom"));
    String md = r.markdown();
    assertThat(md).contains("| case a | DataShard | 100 rows/s |  | exact |");
    assertThat(md).contains("| case a | SQLite (FULL) | 400 rows/s | 0.25x | exact |");
    assertThat(md).contains("| case a | Kernel | - | - | FAILED: boom |");
  }

  @Test
  void resultLinesRoundTrip() {
    Result r = Result.of("seconds", 1.5, "rows", 10, "note", "two words");
    Result back = Result.parse(r.format().substring(Result.PREFIX.length()));
    assertThat(back.dbl("seconds")).isEqualTo(1.5);
    assertThat(back.lng("rows")).isEqualTo(10);
    assertThat(back.values()).containsEntry("note", "two_words");
    assertThatThrownBy(() -> back.lng("missing")).hasMessageContaining("missing");
    assertThatThrownBy(() -> Result.parse("novalue")).hasMessageContaining("novalue");
  }

  @Test
  void paramsParseDefaultsAndLists() {
    Params p = Params.parse(List.of("rows=1_000", "versions=100, 10000")).withDefaults(Map.of("rows", "5", "reps", "3"));
    assertThat(p.lng("rows")).isEqualTo(1000);
    assertThat(p.integer("reps")).isEqualTo(3);
    assertThat(p.longs("versions")).containsExactly(100L, 10000L);
    assertThatThrownBy(() -> Params.parse(List.of("oops"))).hasMessageContaining("key=value");
    assertThatThrownBy(() -> p.with("n", "x").lng("n")).hasMessageContaining("parameter n");
  }

  @Test
  void selectiveRangeIsOneThousandthAndItsChecksumMatchesASum() {
    long[] r = BenchData.selectiveRange(1_000_000);
    assertThat(r[1] - r[0]).isEqualTo(1000);
    long sum = 0;
    for (long id = r[0]; id < r[1]; id++) {
      sum += id;
    }
    assertThat(BenchData.idSum(r[0], r[1])).isEqualTo(sum);
    assertThat(BenchData.idSum(5, 5)).isZero();
  }

  @Test
  void commitsSplitTheRowsWithoutGapsOrOverlap() {
    long covered = 0;
    for (int c = 0; c < 7; c++) {
      assertThat(BenchData.from(100, 7, c + 1)).isGreaterThanOrEqualTo(BenchData.from(100, 7, c));
      covered += BenchData.from(100, 7, c + 1) - BenchData.from(100, 7, c);
    }
    assertThat(covered).isEqualTo(100);
    assertThat(BenchData.from(100, 7, 0)).isZero();
  }

  @Test
  void childClassPathsKeepTheTwoHadoopsApart() {
    assertThat(Procs.UNSHADED_HADOOP.matcher("hadoop-common-3.4.2.jar").matches()).isTrue();
    assertThat(Procs.UNSHADED_HADOOP.matcher("hadoop-mapreduce-client-core-3.4.2.jar").matches()).isTrue();
    assertThat(Procs.UNSHADED_HADOOP.matcher("hadoop-client-api-3.4.2.jar").matches()).isFalse();
    assertThat(Procs.UNSHADED_HADOOP.matcher("hadoop-shaded-guava-1.3.0.jar").matches()).isFalse();
    assertThat(Procs.SHADED_HADOOP.matcher("hadoop-client-runtime-3.4.2.jar").matches()).isTrue();
    assertThat(Procs.SHADED_HADOOP.matcher("hadoop-common-3.4.2.jar").matches()).isFalse();
  }
}
