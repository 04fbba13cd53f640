package io.datashard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads a table's log and directory directly, independent of the code under test. */
public final class TestLogs {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private TestLogs() {}

  /** The raw {@code add.path} values of every commit file. */
  public static List<String> addPaths(Path table) throws IOException {
    List<String> paths = new ArrayList<>();
    try (Stream<Path> files = Files.list(table.resolve("_delta_log"))) {
      for (Path f : (Iterable<Path>) files.sorted()::iterator) {
        if (!f.getFileName().toString().matches("\\d{20}\\.json")) {
          continue;
        }
        for (String line : Files.readAllLines(f)) {
          JsonNode n = MAPPER.readTree(line);
          if (n.has("add")) {
            paths.add(n.get("add").get("path").asText());
          }
        }
      }
    }
    return paths;
  }

  /** The number of published Parquet files under the table root (hidden temp files excluded). */
  public static long parquetFiles(Path table) throws IOException {
    try (Stream<Path> walk = Files.walk(table)) {
      return walk.filter(f -> f.getFileName().toString().endsWith(".parquet") && !f.getFileName().toString().startsWith("."))
          .count();
    }
  }
}
