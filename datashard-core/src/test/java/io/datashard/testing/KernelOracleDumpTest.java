package io.datashard.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelOracleDumpTest {
  @Test
  void dump() throws Exception {
    StringBuilder sb = new StringBuilder();
    for (String t : List.of("data-reader-primitives", "data-reader-partition-values", "data-reader-nested-struct", "data-reader-array-primitives", "data-reader-map")) {
      Path p = Path.of("/work/shared/delta-golden", t);
      long t0 = System.nanoTime();
      List<List<Object>> rows = KernelOracle.readRows(p);
      long t1 = System.nanoTime();
      KernelOracle.readRows(p);
      long t2 = System.nanoTime();
      sb.append("== ").append(t).append(" v").append(KernelOracle.latestVersion(p)).append(' ').append(KernelOracle.columnNames(p))
        .append(" first=").append((t1-t0)/1e6).append("ms second=").append((t2-t1)/1e6).append("ms\n");
      List<List<Object>> s = new ArrayList<>(rows); s.sort(KernelOracle.ROW_ORDER);
      for (List<Object> r : s) {
        sb.append(KernelOracle.canonicalString(r));
        sb.append("   types:");
        for (Object o : r) sb.append(o == null ? "null" : o.getClass().getSimpleName()).append(',');
        sb.append('\n');
      }
    }
    java.nio.file.Files.writeString(Path.of("/tmp/scratch/dump.txt"), sb.toString());
  }
}
