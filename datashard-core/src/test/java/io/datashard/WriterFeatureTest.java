package io.datashard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datashard.testing.GoldenTables;
import io.datashard.testing.KernelOracle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes to tables with writer features: those DataShard honours work (and Kernel reads the
 * result), those it cannot honour fail with an {@link UnsupportedTableFeatureException} naming the
 * feature before anything is written.
 */
class WriterFeatureTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  @TempDir Path dir;

  private static List<String> logFiles(Path table) throws IOException {
    try (Stream<Path> files = Files.list(table.resolve("_delta_log"))) {
      // DataShard's writer lock file is not part of the table.
      return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".datashard-")).sorted().toList();
    }
  }

  /** Asserts that a write fails naming {@code feature} and leaves the log and the data files as they were. */
  private static void assertRefused(Path table, Consumer<Table> write, String feature) throws IOException {
    List<String> log = logFiles(table);
    long files = TestLogs.parquetFiles(table);
    try (Table t = Table.open(table.toString())) {
      assertThatThrownBy(() -> write.accept(t)).isInstanceOf(UnsupportedTableFeatureException.class)
          .hasMessageContaining(table.toString()).hasMessageContaining(feature);
    }
    assertThat(logFiles(table)).isEqualTo(log);
    assertThat(TestLogs.parquetFiles(table)).isEqualTo(files);
  }

  /** Commits a protocol and a changed copy of the version 0 metadata as the next version. */
  private static void commitProtocolAndMetadata(Path table, long version, String protocol, Consumer<ObjectNode> change)
      throws IOException {
    ObjectNode metadata = null;
    for (String line : Files.readAllLines(table.resolve("_delta_log/00000000000000000000.json"))) {
      JsonNode n = MAPPER.readTree(line);
      if (n.has("metaData")) {
        metadata = (ObjectNode) n.get("metaData");
      }
    }
    change.accept(metadata);
    Files.writeString(table.resolve(String.format("_delta_log/%020d.json", version)),
        "{\"protocol\":" + protocol + "}\n" + MAPPER.createObjectNode().set("metaData", metadata) + "\n");
  }

  private Path table(String name) {
    Path p = dir.resolve(name);
    try (Table t = Table.create(p.toString(), Schema.parse("k long not null, v string"))) {
      t.append(List.of(Map.of("k", 1L, "v", "a"), Map.of("k", 2L, "v", "b")));
    }
    return p;
  }

  @Test
  void appendOnlyTablesRefuseDeletesAndUpdatesButAcceptAppends() throws IOException {
    Path p = dir.resolve("append-only");
    try (Table t = Table.define(p.toString(), Schema.parse("k long not null")).property("delta.appendOnly", "true")
        .create()) {
      t.append(List.of(Map.of("k", 1L)));
      t.append(List.of(Map.of("k", 2L)));
      assertThat(t.delete(Expressions.equal("k", 7L)).version()).as("deleting nothing removes nothing").isEqualTo(2);
    }
    assertRefused(p, t -> t.delete(Expressions.equal("k", 1L)), "append-only");
    assertRefused(p, t -> t.update(Expressions.equal("k", 1L), Map.of("k", Expressions.literal(5L))), "append-only");
    assertRefused(p, t -> t.overwrite(Expressions.alwaysTrue(), List.of(Map.of("k", 3L))), "append-only");
  }

  @Test
  void legacyWriterVersionsAreWritableWhileTheirFeaturesAreUnused() throws IOException {
    Path p = table("v4");
    commitProtocolAndMetadata(p, 2, "{\"minReaderVersion\":1,\"minWriterVersion\":4}", m -> { });
    try (Table t = Table.open(p.toString())) {
      t.append(List.of(Map.of("k", 3L, "v", "c")));
      KernelInteropTest.assertKernelReadsTheSame(t, p, 3);
    }
  }

  @Test
  void activeFeaturesTheWriterCannotHonourAreRefused() throws IOException {
    Path constraint = table("constraint");
    commitProtocolAndMetadata(constraint, 2, "{\"minReaderVersion\":1,\"minWriterVersion\":3}",
        m -> ((ObjectNode) m.get("configuration")).put("delta.constraints.positive", "k > 0"));
    assertRefused(constraint, t -> t.append(List.of(Map.of("k", -1L, "v", "x"))), "CHECK constraint 'positive'");

    Path cdf = table("cdf");
    commitProtocolAndMetadata(cdf, 2, "{\"minReaderVersion\":1,\"minWriterVersion\":4}",
        m -> ((ObjectNode) m.get("configuration")).put("delta.enableChangeDataFeed", "true"));
    assertRefused(cdf, t -> t.delete(Expressions.equal("k", 1L)), "change data feed");

    Path generated = table("generated");
    commitProtocolAndMetadata(generated, 2, "{\"minReaderVersion\":1,\"minWriterVersion\":4}", m -> {
      try {
        ObjectNode schema = (ObjectNode) MAPPER.readTree(m.get("schemaString").asText());
        ((ObjectNode) schema.get("fields").get(1).get("metadata")).put("delta.generationExpression", "'x'");
        m.put("schemaString", schema.toString());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    assertRefused(generated, t -> t.append(List.of(Map.of("k", 5L, "v", "x"))), "generated column 'v'");

    Path features = table("features");
    commitProtocolAndMetadata(features, 2, "{\"minReaderVersion\":3,\"minWriterVersion\":7,\"readerFeatures\":[],"
        + "\"writerFeatures\":[\"appendOnly\",\"rowTracking\",\"domainMetadata\"]}", m -> { });
    assertRefused(features, t -> t.append(List.of(Map.of("k", 5L, "v", "x"))), "writer feature 'rowTracking'");
    assertRefused(features, Table::checkpoint, "writer feature 'domainMetadata'");
  }

  @Test
  void columnMappedTablesReadButRefuseWrites() throws IOException {
    Path golden = GoldenTables.table("table-with-columnmapping-mode-name");
    Path copy = dir.resolve("cm");
    try (Stream<Path> walk = Files.walk(golden)) {
      for (Path src : (Iterable<Path>) walk::iterator) {
        Path dst = copy.resolve(golden.relativize(src).toString());
        if (Files.isDirectory(src)) {
          Files.createDirectories(dst);
        } else {
          Files.copy(src, dst);
          dst.toFile().setWritable(true);
        }
      }
    }
    try (Table t = Table.open(copy.toString())) {
      assertThat(t.newScan().count()).isEqualTo(KernelOracle.readRows(copy).size());
    }
    assertRefused(copy, t -> t.delete(Expressions.alwaysTrue()), "column mapping");
    assertRefused(copy, Table::checkpoint, "column mapping");
  }
}
