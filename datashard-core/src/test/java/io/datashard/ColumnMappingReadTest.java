package io.datashard;

import static org.assertj.core.api.Assertions.assertThat;

import io.datashard.testing.GoldenTables;
import io.datashard.testing.KernelOracle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Filtered scans of a column-mapped table with deletion vectors (Spark-written): partition values
 * and statistics are keyed by physical names, so pruning must translate, or files would be skipped
 * wrongly. Each filtered scan must return exactly Kernel's rows filtered in Java.
 */
class ColumnMappingReadTest {
  private static void assertFiltered(Table t, Path path, long version, Expression where, Predicate<List<Object>> test) {
    List<List<Object>> expected = new ArrayList<>();
    for (List<Object> row : KernelOracle.readRows(path, version)) {
      if (test.test(row)) {
        expected.add(row);
      }
    }
    List<List<Object>> ours = new ArrayList<>();
    for (Row r : t.newScan().useSnapshot(version).where(where).toList()) {
      ours.add(List.of(r.get("part"), r.get("col1"), r.get("col2")));
    }
    expected.sort(KernelOracle.ROW_ORDER);
    ours.sort(KernelOracle.ROW_ORDER);
    assertThat(ours).as("%s at version %d", where, version).isNotEmpty().containsExactlyElementsOf(expected);
  }

  @Test
  void partitionAndStatisticsPruningUseLogicalNames() {
    Path path = GoldenTables.table("dv-with-columnmapping");
    try (Table t = Table.open(path.toString())) {
      assertThat(t.currentSnapshot().schema().fieldNames()).containsExactly("part", "col1", "col2");
      for (long version : new long[] {0, 5, t.currentSnapshot().version()}) {
        assertFiltered(t, path, version, Expressions.equal("part", 3), r -> Integer.valueOf(3).equals(r.get(0)));
        assertFiltered(t, path, version, Expressions.greaterThan("col1", 15),
            r -> r.get(1) != null && ((Number) r.get(1)).longValue() > 15);
        assertFiltered(t, path, version, Expressions.equal("col2", "foo2"), r -> "foo2".equals(r.get(2)));
      }
      assertThat(t.newScan().count()).isEqualTo(KernelOracle.readRows(path).size());
    }
  }
}
