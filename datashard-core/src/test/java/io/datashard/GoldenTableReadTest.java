package io.datashard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.datashard.testing.GoldenTables;
import io.datashard.testing.KernelOracle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shared Delta golden table (Spark-written, read in place) reads exactly as Delta Kernel
 * 4.4.0 reads it, at its latest version and by time travel to version 0 and a middle version;
 * where Kernel refuses a table or version (the deliberately broken ones), DataShard refuses it too
 * with a {@link DataShardException}. Prints one outcome line per table and version.
 */
class GoldenTableReadTest {
  private static final List<String> OUTCOMES = new ArrayList<>();

  static Stream<Arguments> tables() throws IOException {
    Optional<Path> root = GoldenTables.root();
    if (root.isEmpty()) {
      // One placeholder, so that the suite is reported as skipped with the reason, not as empty.
      return Stream.of(Arguments.of("(none)", null));
    }
    List<Arguments> tables;
    try (Stream<Path> walk = Files.walk(root.get())) {
      tables = walk.filter(p -> p.getFileName().toString().equals("_delta_log") && Files.isDirectory(p))
          .map(Path::getParent).sorted()
          .map(t -> Arguments.of(root.get().relativize(t).toString(), t)).toList();
    }
    return tables.isEmpty() ? Stream.of(Arguments.of("(none)", null)) : tables.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tables")
  void readsAsKernelReads(String name, Path table) {
    assumeTrue(table != null, "Delta golden tables not found (shared/delta-golden above the working directory,"
        + " or -D" + GoldenTables.PROPERTY + "); skipping");
    Long latest;
    try {
      latest = KernelOracle.latestVersion(table);
    } catch (RuntimeException kernelFailure) {
      // Kernel cannot even find the latest version: time travel is still compared if DataShard can.
      try (Table t = Table.open(table.toString())) {
        latest = t.currentSnapshot().version();
      } catch (DataShardException e) {
        latest = null;
      }
    }
    Set<Long> versions = new LinkedHashSet<>();
    versions.add(-1L);
    if (latest != null && latest > 0) {
      versions.add(0L);
      if (latest > 1) {
        versions.add(latest / 2);
      }
    }
    for (long v : versions) {
      compare(name, table, v);
    }
  }

  private static void compare(String name, Path table, long version) {
    String label = name + (version < 0 ? " @latest" : " @v" + version);
    List<List<Object>> expected;
    RuntimeException kernelFailure = null;
    try {
      expected = KernelOracle.canonicalRows(version < 0 ? KernelOracle.readRows(table) : KernelOracle.readRows(table, version));
    } catch (RuntimeException e) {
      expected = null;
      kernelFailure = e;
    }
    List<List<Object>> actual;
    try (Table t = Table.open(table.toString())) {
      long v = version < 0 ? t.currentSnapshot().version() : version;
      if (version < 0 && kernelFailure == null) {
        assertThat(v).as("latest version of %s", name).isEqualTo(KernelOracle.latestVersion(table));
      }
      actual = KernelOracle.canonicalRows(KernelInteropTest.ours(t, v));
    } catch (DataShardException e) {
      if (kernelFailure == null) {
        throw new AssertionError(label + ": Kernel reads " + expected.size() + " rows but DataShard fails", e);
      }
      record(label, "both fail: Kernel " + kernelFailure.getClass().getSimpleName() + ", DataShard "
          + e.getClass().getSimpleName() + ": " + e.getMessage());
      return;
    } catch (RuntimeException e) {
      throw new AssertionError(label + ": DataShard fails with a " + e.getClass().getName()
          + ", not a DataShardException", e);
    }
    if (kernelFailure != null) {
      fail(label + ": Kernel fails (" + kernelFailure + ") but DataShard reads " + actual.size() + " rows");
    }
    expected.sort(KernelOracle.ROW_ORDER);
    actual.sort(KernelOracle.ROW_ORDER);
    assertThat(actual).as("%s: DataShard's rows vs Kernel's", label).hasSameSizeAs(expected);
    assertThat(actual).as("%s: DataShard's rows vs Kernel's", label).containsExactlyElementsOf(expected);
    record(label, "same " + actual.size() + " rows");
  }

  private static synchronized void record(String label, String outcome) {
    OUTCOMES.add(label + ": " + outcome);
  }

  @AfterAll
  static void printOutcomes() {
    System.out.println("Golden table outcomes (" + OUTCOMES.size() + " reads):");
    OUTCOMES.forEach(o -> System.out.println("  " + o));
  }
}
