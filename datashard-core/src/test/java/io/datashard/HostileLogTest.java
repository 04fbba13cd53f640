package io.datashard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Log entries crafted to make a reader leave the table root, or malformed ones: each must give a
 * specific error naming the table, version and file, and nothing outside the root is read.
 */
class HostileLogTest {
  @TempDir Path dir;
  private Path table;
  private Path outside;
  private static final Schema SCHEMA = Schema.parse("k long not null");

  @BeforeEach
  void setUp() throws IOException {
    // A real, readable data file outside the table: reading it would return rows, not an error.
    Path other = dir.resolve("other");
    try (Table t = Table.create(other.toString(), SCHEMA)) {
      t.append(List.of(Map.of("k", 666L)));
    }
    outside = TestLogs.addPaths(other).stream().map(other::resolve).findFirst().orElseThrow();
    table = dir.resolve("t");
    try (Table t = Table.create(table.toString(), SCHEMA)) {
      t.append(List.of(Map.of("k", 1L)));
    }
  }

  private void writeCommit(long version, String json) throws IOException {
    Files.writeString(table.resolve(String.format("_delta_log/%020d.json", version)), json);
  }

  private String add(String path) {
    return "{\"add\":{\"path\":" + quote(path) + ",\"partitionValues\":{},\"size\":" + fileSize()
        + ",\"modificationTime\":1,\"dataChange\":true}}\n";
  }

  private long fileSize() {
    try {
      return Files.size(outside);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private void assertCorruptOnScan(String... messageParts) {
    try (Table t = Table.open(table.toString())) {
      assertThatThrownBy(() -> t.newScan().toList()).isInstanceOf(CorruptTableException.class)
          .hasMessageContaining("version 2").hasMessageContaining(table.toString())
          .satisfies(e -> {
            for (String part : messageParts) {
              assertThat(e.getMessage()).contains(part);
            }
          });
    }
  }

  @Test
  void relativePathEscapingTheRootIsRefused() throws IOException {
    writeCommit(2, add("../other/" + outside.getFileName()));
    assertCorruptOnScan("../other/", "outside the table root");
  }

  @Test
  void absolutePathElsewhereIsRefused() throws IOException {
    writeCommit(2, add(outside.toString()));
    assertCorruptOnScan("outside the table root");
    writeCommit(3, add("file://" + outside));
    try (Table t = Table.open(table.toString())) {
      assertThatThrownBy(() -> t.newScan().toList()).isInstanceOf(CorruptTableException.class);
    }
  }

  @Test
  void encodedDotDotIsRefused() throws IOException {
    writeCommit(2, add("%2E%2E/other/" + outside.getFileName()));
    assertCorruptOnScan("outside the table root");
  }

  @Test
  void symlinkPointingOutOfTheTableIsRefused() throws IOException {
    Files.createSymbolicLink(table.resolve("evil.parquet"), outside);
    writeCommit(2, add("evil.parquet"));
    assertCorruptOnScan("leads outside");
  }

  @Test
  void malformedEntriesNameVersionFileAndLine() throws IOException {
    writeCommit(2, "{\"commitInfo\":{}}\n{\"add\":{\"path\":\"x.parquet\",\"partitionValues\":{}");
    assertThatThrownBy(() -> Table.open(table.toString())).isInstanceOf(CorruptTableException.class)
        .hasMessageContaining("version 2").hasMessageContaining("00000000000000000002.json")
        .hasMessageContaining("line 2").hasMessageContaining("invalid JSON at column")
        .hasMessageNotContaining("REDACTED");
    writeCommit(2, "{\"add\":{\"path\":\"x.parquet\",\"partitionValues\":{},\"size\":\"big\",\"modificationTime\":1,"
        + "\"dataChange\":true}}\n");
    assertThatThrownBy(() -> Table.open(table.toString())).isInstanceOf(CorruptTableException.class)
        .hasMessageContaining("add.size is not a 64-bit integer");
    writeCommit(2, "{\"frobnicate\":{}}\n");
    assertThatThrownBy(() -> Table.open(table.toString())).isInstanceOf(CorruptTableException.class)
        .hasMessageContaining("unknown action type 'frobnicate'");
    writeCommit(2, "{\"add\":{\"path\":\"x.parquet\",\"partitionValues\":{},\"size\":-5,\"modificationTime\":1,"
        + "\"dataChange\":true}}\n");
    assertThatThrownBy(() -> Table.open(table.toString())).isInstanceOf(CorruptTableException.class)
        .hasMessageContaining("negative");
  }

  @Test
  void missingDataFileAndUnsupportedFeaturesAreClear() throws IOException {
    writeCommit(2, "{\"add\":{\"path\":\"gone.parquet\",\"partitionValues\":{},\"size\":5,\"modificationTime\":1,"
        + "\"dataChange\":true}}\n");
    assertCorruptOnScan("gone.parquet", "missing");
    writeCommit(3, "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,\"readerFeatures\":[\"variantType\"],"
        + "\"writerFeatures\":[\"variantType\"]}}\n");
    assertThatThrownBy(() -> Table.open(table.toString())).isInstanceOf(UnsupportedTableFeatureException.class)
        .hasMessageContaining("variantType");
  }

  @Test
  void aLogWithoutProtocolIsCorrupt() throws IOException {
    Path bare = dir.resolve("bare");
    Files.createDirectories(bare.resolve("_delta_log"));
    Files.writeString(bare.resolve("_delta_log/00000000000000000000.json"), "{\"commitInfo\":{}}\n");
    assertThatThrownBy(() -> Table.open(bare.toString())).isInstanceOf(CorruptTableException.class)
        .hasMessageContaining("no protocol");
  }

  // ------------------------------------------------------------------ the hostile-input corpus

  /** Where a corpus case must fail: opening the table, or reading its rows. */
  enum Stage { OPEN, SCAN }

  /** Damage done to the table (whose versions 0 and 1 are valid) before it is opened. */
  interface Damage {
    void apply(HostileLogTest t) throws IOException;
  }

  /**
   * One hostile input: the damage, where it must fail, with which exception, naming which version (-1:
   * a range, in {@code words}) and file ("": none, for what belongs to no one file), plus other words
   * the message must hold.
   */
  record Hostile(String name, Damage damage, Stage stage, Class<? extends DataShardException> type, long version,
      String file, List<String> words) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final String V2 = "00000000000000000002.json";
  /** Stands for the name of version 1's data file in {@link Hostile#file}. */
  private static final String DATA_FILE = "<data file>";
  /** Stands for the name of the file outside the table. */
  private static final String OUTSIDE_FILE = "<outside file>";

  private static Hostile v2(String name, String entry, Class<? extends DataShardException> type, String... words) {
    return new Hostile(name, t -> t.writeCommit(2, entry), Stage.OPEN, type, 2, V2, List.of(words));
  }

  private static String addWith(String field, String value) {
    Map<String, String> f = new LinkedHashMap<>(Map.of("path", "\"x.parquet\"", "partitionValues", "{}", "size",
        "5", "modificationTime", "1", "dataChange", "true"));
    f.put(field, value);
    StringBuilder sb = new StringBuilder("{\"add\":{");
    f.forEach((k, v) -> sb.append(sb.length() > 8 ? "," : "").append('"').append(k).append("\":").append(v));
    return sb.append("}}\n").toString();
  }

  static Stream<Hostile> corpus() {
    String metaData = "{\"metaData\":{\"id\":\"x\",\"format\":{\"provider\":\"parquet\",\"options\":{}},"
        + "\"schemaString\":%s,\"partitionColumns\":[],\"configuration\":{}}}\n";
    return Stream.of(
        v2("truncated entry", "{\"commitInfo\":{}}\n{\"add\":{\"path\":\"x.parquet\",\"partitionValues\":{}",
            CorruptTableException.class, "line 2", "invalid JSON"),
        v2("binary garbage", "\u0000\u00ff\u0001PAR1 not json\n", CorruptTableException.class, "line 1"),
        v2("an action that is not an object", "[1,2,3]\n", CorruptTableException.class, "line 1"),
        v2("size of the wrong type", addWith("size", "\"big\""), CorruptTableException.class, "add.size"),
        v2("path of the wrong type", addWith("path", "42"), CorruptTableException.class, "add.path"),
        v2("partition values of the wrong type", addWith("partitionValues", "[1]"), CorruptTableException.class,
            "partitionValues"),
        v2("data change of the wrong type", addWith("dataChange", "\"yes\""), CorruptTableException.class, "dataChange"),
        v2("unknown action type", "{\"frobnicate\":{}}\n", CorruptTableException.class, "unknown action type 'frobnicate'"),
        v2("negative size", addWith("size", "-5"), CorruptTableException.class, "negative"),
        v2("a size beyond 64 bits", addWith("size", "123456789012345678901234567890"), CorruptTableException.class,
            "add.size"),
        v2("a schema with an unknown type", String.format(metaData,
            "\"{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[{\\\"name\\\":\\\"k\\\","
            + "\\\"type\\\":\\\"frobtype\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}}]}\""),
            CorruptTableException.class, "unknown type 'frobtype'"),
        v2("a schema string that is not JSON", String.format(metaData, "\"{not json\""), CorruptTableException.class,
            "schemaString is invalid"),
        v2("a schema string of the wrong type", String.format(metaData, "7"), CorruptTableException.class, "schemaString"),
        // A refusal, not corruption: it names the version whose protocol needs it (which may come from a checkpoint).
        new Hostile("a protocol from the future", t -> t.writeCommit(2,
            "{\"protocol\":{\"minReaderVersion\":99999,\"minWriterVersion\":99999}}\n"), Stage.OPEN,
            UnsupportedTableFeatureException.class, 2, "", List.of("reader version 99999")),
        v2("a protocol version of the wrong type", "{\"protocol\":{\"minReaderVersion\":\"one\",\"minWriterVersion\":2}}\n",
            CorruptTableException.class, "minReaderVersion"),
        v2("a gigantic string value", "{\"commitInfo\":{\"operation\":\"" + "x".repeat(64 << 20) + "\"}}\n",
            CorruptTableException.class),
        new Hostile("a gap in versions", t -> {
          t.writeCommit(3, "{\"commitInfo\":{}}\n");
          t.writeCommit(4, "{\"commitInfo\":{}}\n");
          Files.delete(t.table.resolve("_delta_log/" + "00000000000000000001.json"));
        }, Stage.OPEN, CorruptTableException.class, 1, "00000000000000000001.json", List.of("a gap in the log")),
        new Hostile("a gap below the latest version", t -> {
          t.writeCommit(3, "{\"commitInfo\":{}}\n"); // probing finds 4 over the missing 2; replaying must not skip it
          t.writeCommit(4, "{\"commitInfo\":{}}\n");
        }, Stage.OPEN, CorruptTableException.class, 2, V2, List.of("a gap in the log")),
        new Hostile("no protocol", t -> {
          t.writeCommit(0, "{\"commitInfo\":{}}\n");
        }, Stage.OPEN, CorruptTableException.class, -1, "", List.of("no protocol action in versions 0..1")),
        new Hostile("no metadata", t -> {
          t.writeCommit(0, "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}\n");
        }, Stage.OPEN, CorruptTableException.class, -1, "", List.of("no metaData action in versions 0..1")),
        new Hostile("a relative path out of the root", t -> t.writeCommit(2, t.add("../other/" + t.outside.getFileName())),
            Stage.SCAN, CorruptTableException.class, 2, "../other/", List.of("outside the table root")),
        new Hostile("an absolute path elsewhere", t -> t.writeCommit(2, t.add(t.outside.toString())),
            Stage.SCAN, CorruptTableException.class, 2, OUTSIDE_FILE, List.of("outside the table root")),
        new Hostile("a symbolic link out of the table", t -> {
          Files.createSymbolicLink(t.table.resolve("evil.parquet"), t.outside);
          t.writeCommit(2, t.add("evil.parquet"));
        }, Stage.SCAN, CorruptTableException.class, 2, "evil.parquet", List.of("leads outside")),
        new Hostile("a corrupt Parquet footer", t -> t.damageDataFile(bytes -> {
          bytes[bytes.length - 6] ^= 0x55; // the footer length: now points outside the file
          bytes[bytes.length - 7] ^= 0x55;
        }), Stage.SCAN, CorruptTableException.class, 1, DATA_FILE, List.of()),
        new Hostile("a corrupt Parquet page", t -> t.damageDataFile(bytes -> {
          for (int i = 4; i < Math.min(bytes.length - 8, 40); i++) {
            bytes[i] = (byte) 0xff; // the first page header and data
          }
        }), Stage.SCAN, CorruptTableException.class, 1, DATA_FILE, List.of()),
        new Hostile("a truncated Parquet file", t -> t.truncateDataFile(), Stage.SCAN,
            CorruptTableException.class, 1, DATA_FILE, List.of()));
  }

  /**
   * Every corpus case: the specific exception, naming the table, the version and the file, at the
   * stage the damage is found; never a partial result (the scan returns nothing, it throws), never a
   * change to the file outside the table, never a hang (the timeout).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void hostileInputGivesASpecificError(Hostile c) throws IOException {
    byte[] outsideBefore = Files.readAllBytes(outside);
    String file = c.file().equals(DATA_FILE) ? dataFile().getFileName().toString()
        : c.file().equals(OUTSIDE_FILE) ? outside.getFileName().toString() : c.file();
    c.damage().apply(this);
    Throwable thrown;
    if (c.stage() == Stage.OPEN) {
      thrown = catchThrowable(() -> Table.open(table.toString()).close());
    } else {
      try (Table t = Table.open(table.toString())) {
        thrown = catchThrowable(() -> t.newScan().toList());
      }
    }
    assertThat(thrown).as(c.name()).isInstanceOf(c.type());
    assertThat(thrown.getMessage()).as(c.name()).contains(table.toString()).contains(file);
    if (c.version() >= 0) {
      assertThat(thrown.getMessage()).as(c.name()).contains("version " + c.version());
    }
    for (String w : c.words()) {
      assertThat(thrown.getMessage()).as(c.name()).contains(w);
    }
    assertThat(Files.readAllBytes(outside)).as("the file outside the table").isEqualTo(outsideBefore);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void absurdStatisticsAreNotTrusted() throws IOException {
    // Statistics are hints: a negative or huge numRecords must not become a count.
    Path log = table.resolve("_delta_log/00000000000000000001.json");
    for (String absurd : List.of("-7", "123456789012345678901234567890", "1.5", "\"many\"")) {
      String entry = Files.readString(log);
      Files.writeString(log, entry.replaceAll("\\\\\"numRecords\\\\\":[^,}]*", "\\\\\"numRecords\\\\\":"
          + Matcher.quoteReplacement(absurd.replace("\"", "\\\""))));
      assertThat(Files.readString(log)).contains("numRecords\\\":" + absurd.replace("\"", "\\\""));
      try (Table t = Table.open(table.toString())) {
        assertThat(t.newScan().count()).as("count with numRecords %s", absurd).isEqualTo(1);
        assertThat(t.newScan().toList()).hasSize(1);
      }
    }
  }

  private Path dataFile() throws IOException {
    return table.resolve(TestLogs.addPaths(table).get(0));
  }

  private void damageDataFile(Consumer<byte[]> damage) throws IOException {
    Path f = dataFile();
    byte[] bytes = Files.readAllBytes(f);
    damage.accept(bytes);
    Files.write(f, bytes);
  }

  private void truncateDataFile() throws IOException {
    Path f = dataFile();
    byte[] bytes = Files.readAllBytes(f);
    Files.write(f, Arrays.copyOf(bytes, bytes.length / 2));
  }
}
