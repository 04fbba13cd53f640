package io.datashard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
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
    return files(table).stream()
        .filter(f -> f.getFileName().toString().endsWith(".parquet") && !f.getFileName().toString().startsWith("."))
        .count();
  }

  /**
   * The regular files under a directory. Unlike {@link Files#walk}, it tolerates files that vanish
   * while it walks (a handle's background checksum writer renames its temporary files).
   */
  public static List<Path> files(Path root) throws IOException {
    List<Path> found = new ArrayList<>();
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (attrs.isRegularFile()) {
          found.add(file);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        throw e;
      }
    });
    return found;
  }
}
