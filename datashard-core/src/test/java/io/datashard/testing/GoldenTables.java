package io.datashard.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Locates the read-only Delta golden tables (Spark-written sample tables from the Delta Lake
 * project) in {@code shared/delta-golden}, a sibling of the project checkout. Tests that use
 * them are skipped, not failed, where the folder is absent. Never write into these tables: copy
 * one to a temporary directory first.
 */
public final class GoldenTables {

  /** System property that overrides where the golden tables are. */
  public static final String PROPERTY = "datashard.delta.golden";

  private GoldenTables() {}

  /**
   * The folder holding the golden tables: the {@value #PROPERTY} system property if set, else the
   * first {@code shared/delta-golden} found in the working directory or one of its parents.
   */
  public static Optional<Path> root() {
    String configured = System.getProperty(PROPERTY);
    if (configured != null && !configured.isBlank()) {
      Path p = Path.of(configured).toAbsolutePath().normalize();
      return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared").resolve("delta-golden");
      if (Files.isDirectory(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * The golden table {@code name}; aborts the calling test (JUnit assumption, so it is reported
   * as skipped) when the golden tables or that table are not available.
   */
  public static Path table(String name) {
    Optional<Path> root = root();
    assumeTrue(
        root.isPresent(),
        () ->
            "Delta golden tables not found (no shared/delta-golden above "
                + Path.of("").toAbsolutePath()
                + " and -D"
                + PROPERTY
                + " not set); skipping");
    Path table = root.get().resolve(name);
    assumeTrue(
        Files.isDirectory(table.resolve("_delta_log")),
        () -> "Delta golden table " + table + " not found; skipping");
    return table;
  }
}
