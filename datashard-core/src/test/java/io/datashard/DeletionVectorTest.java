package io.datashard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datashard.testing.KernelOracle;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/**
 * Deletion vectors in each storage type the protocol defines (inline, UUID-relative file, absolute
 * path), built here byte by byte from the protocol's description and checked against Delta Kernel;
 * corrupt or escaping vectors are specific errors; writes to a table with deletion vectors are
 * refused before anything is written.
 */
class DeletionVectorTest {
  private static final String Z85 =
      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
  private static final long[] DELETED = {1, 3, 5};

  @TempDir Path dir;
  private Path table;
  private String dataPath;

  @BeforeEach
  void setUp() throws IOException {
    table = dir.resolve("t");
    try (Table t = Table.create(table.toString(), Schema.parse("k long not null"))) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (long k = 0; k < 10; k++) {
        rows.add(Map.of("k", k));
      }
      t.append(rows);
    }
    dataPath = TestLogs.addPaths(table).get(0);
  }

  /** Commits version 2: the deletionVectors feature and the data file re-added with a vector. */
  private void commitVector(String descriptor) throws IOException {
    long size = Files.size(table.resolve(dataPath));
    String json = "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,\"readerFeatures\":[\"deletionVectors\"],"
        + "\"writerFeatures\":[\"deletionVectors\"]}}\n"
        + "{\"remove\":{\"path\":\"" + dataPath + "\",\"deletionTimestamp\":1,\"dataChange\":true,\"size\":" + size + "}}\n"
        + "{\"add\":{\"path\":\"" + dataPath + "\",\"partitionValues\":{},\"size\":" + size
        + ",\"modificationTime\":1,\"dataChange\":true,\"stats\":\"{\\\"numRecords\\\":10}\",\"deletionVector\":"
        + descriptor + "}}\n";
    Files.writeString(table.resolve("_delta_log/00000000000000000002.json"), json);
  }

  private static String descriptor(String type, String pathOrInline, Integer offset, int size, long cardinality) {
    return "{\"storageType\":\"" + type + "\",\"pathOrInlineDv\":\"" + pathOrInline.replace("\\", "\\\\") + "\","
        + (offset == null ? "" : "\"offset\":" + offset + ",") + "\"sizeInBytes\":" + size + ",\"cardinality\":"
        + cardinality + "}";
  }

  /** The serialized vector: magic number, then the 64-bit portable RoaringBitmap array. */
  private static byte[] serialized(long... rows) {
    RoaringBitmap low = new RoaringBitmap();
    for (long r : rows) {
      low.add((int) r);
    }
    ByteBuffer buf = ByteBuffer.allocate(16 + low.serializedSizeInBytes()).order(ByteOrder.LITTLE_ENDIAN);
    buf.putInt(1681511377).putLong(1).putInt(0);
    low.serialize(buf);
    return buf.array();
  }

  /** A DV file: version byte, then the vector framed by its big-endian size and CRC-32. */
  private static byte[] dvFile(byte[] vector) {
    CRC32 crc = new CRC32();
    crc.update(vector);
    return ByteBuffer.allocate(1 + 4 + vector.length + 4).put((byte) 1).putInt(vector.length).put(vector)
        .putInt((int) crc.getValue()).array();
  }

  private static String z85(byte[] data) {
    byte[] padded = java.util.Arrays.copyOf(data, (data.length + 3) / 4 * 4);
    StringBuilder sb = new StringBuilder();
    ByteBuffer buf = ByteBuffer.wrap(padded);
    while (buf.hasRemaining()) {
      long v = Integer.toUnsignedLong(buf.getInt());
      char[] block = new char[5];
      for (int i = 4; i >= 0; i--) {
        block[i] = Z85.charAt((int) (v % 85));
        v /= 85;
      }
      sb.append(block);
    }
    return sb.toString();
  }

  private static String z85(UUID id) {
    return z85(ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array());
  }

  private void assertReadsWithoutDeletedRows() {
    List<Long> expected = LongStream.range(0, 10).filter(k -> k != 1 && k != 3 && k != 5).boxed().toList();
    try (Table t = Table.open(table.toString())) {
      List<Long> ours = t.newScan().toList().stream().map(r -> (Long) r.get("k")).sorted().toList();
      assertThat(ours).containsExactlyElementsOf(expected);
      assertThat(t.newScan().count()).isEqualTo(7);
      assertThat(t.currentSnapshot().rowCount()).hasValue(7);
      assertThat(t.newScan().where(Expressions.greaterThan("k", 2L)).toList()).hasSize(5);
    }
    List<Long> kernel = KernelOracle.readRows(table).stream().map(r -> (Long) r.get(0)).sorted().toList();
    assertThat(kernel).as("Delta Kernel reads the same vector").containsExactlyElementsOf(expected);
  }

  @Test
  void inlineVector() throws IOException {
    byte[] vector = serialized(DELETED);
    commitVector(descriptor("i", z85(vector), null, vector.length, 3));
    assertReadsWithoutDeletedRows();
  }

  @Test
  void uuidRelativeVectorFileWithPrefix() throws IOException {
    UUID id = UUID.randomUUID();
    Files.createDirectories(table.resolve("ab"));
    byte[] vector = serialized(DELETED);
    Files.write(table.resolve("ab/deletion_vector_" + id + ".bin"), dvFile(vector));
    commitVector(descriptor("u", "ab" + z85(id), 1, vector.length, 3));
    assertReadsWithoutDeletedRows();
  }

  @Test
  void absolutePathVectorInsideTheTable() throws IOException {
    byte[] vector = serialized(DELETED);
    Path file = table.resolve("deletion_vector_" + UUID.randomUUID() + ".bin");
    Files.write(file, dvFile(vector));
    commitVector(descriptor("p", file.toUri().toString(), 1, vector.length, 3));
    assertReadsWithoutDeletedRows();
  }

  private void assertCorruptOnScan(String... messageParts) {
    try (Table t = Table.open(table.toString())) {
      assertThatThrownBy(() -> t.newScan().toList()).isInstanceOf(CorruptTableException.class)
          .hasMessageContaining(table.toString()).hasMessageContainingAll(messageParts);
    }
  }

  @Test
  void corruptVectorsAreSpecificErrors() throws IOException {
    UUID id = UUID.randomUUID();
    byte[] vector = serialized(DELETED);
    byte[] file = dvFile(vector);
    file[file.length - 1] ^= 1;
    Files.write(table.resolve("deletion_vector_" + id + ".bin"), file);
    commitVector(descriptor("u", z85(id), 1, vector.length, 3));
    assertCorruptOnScan("deletion_vector_" + id, "checksum mismatch");

    Files.write(table.resolve("deletion_vector_" + id + ".bin"), dvFile(vector));
    commitVector(descriptor("u", z85(id), 1, vector.length, 4));
    assertCorruptOnScan("holds 3 rows, the log says 4");

    commitVector(descriptor("u", z85(id), 1, vector.length + 8, 3));
    assertCorruptOnScan("do not fit");

    commitVector(descriptor("u", z85(UUID.randomUUID()), 1, vector.length, 3));
    assertCorruptOnScan("missing");

    byte[] badMagic = vector.clone();
    badMagic[0] ^= 1;
    commitVector(descriptor("i", z85(badMagic), null, badMagic.length, 3));
    assertCorruptOnScan("magic number");

    commitVector(descriptor("i", "abc", null, 3, 3));
    assertCorruptOnScan("not Z85");

    commitVector(descriptor("x", "abc", null, 3, 3));
    assertCorruptOnScan("unknown deletion vector storage type 'x'");
  }

  @Test
  void vectorsOutsideTheTableAreRefusedUnread() throws IOException {
    byte[] vector = serialized(DELETED);
    Path outside = dir.resolve("deletion_vector_" + UUID.randomUUID() + ".bin");
    Files.write(outside, dvFile(vector));
    commitVector(descriptor("p", outside.toUri().toString(), 1, vector.length, 3));
    assertCorruptOnScan("outside the table root");
    commitVector(descriptor("u", "../" + z85(UUID.randomUUID()), 1, vector.length, 3));
    assertCorruptOnScan("outside the table root");
  }

  @Test
  void writesToATableWithDeletionVectorsAreRefusedBeforeWriting() throws IOException {
    byte[] vector = serialized(DELETED);
    commitVector(descriptor("i", z85(vector), null, vector.length, 3));
    long files = TestLogs.parquetFiles(table);
    try (Table t = Table.open(table.toString())) {
      assertThatThrownBy(() -> t.append(List.of(Map.of("k", 99L)))).isInstanceOf(UnsupportedTableFeatureException.class)
          .hasMessageContaining("writer feature 'deletionVectors'");
      assertThatThrownBy(() -> t.delete(Expressions.equal("k", 2L))).isInstanceOf(UnsupportedTableFeatureException.class)
          .hasMessageContaining("deletionVectors");
      assertThatThrownBy(t::checkpoint).isInstanceOf(UnsupportedTableFeatureException.class)
          .hasMessageContaining("deletionVectors");
      assertThat(t.currentSnapshot().version()).isEqualTo(2);
    }
    assertThat(TestLogs.parquetFiles(table)).isEqualTo(files);
    assertThat(table.resolve("_delta_log/00000000000000000003.json")).doesNotExist();
    assertThat(table.resolve("_delta_log/00000000000000000002.checkpoint.parquet")).doesNotExist();
  }
}
