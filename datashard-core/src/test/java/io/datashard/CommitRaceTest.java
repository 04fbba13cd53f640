package io.datashard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two transactions start from one version; exactly one wins it, the other rebases or fails as DESIGN §6 says. */
class CommitRaceTest {
  @TempDir Path dir;

  /** Delta Kernel must read every table this test wrote with exactly our rows. */
  @AfterEach
  void kernelReadsEveryTable() throws java.io.IOException {
    KernelInteropTest.assertKernelReadsEveryTableUnder(dir);
  }
  private static final Schema SCHEMA = Schema.parse("k long not null, v string");

  private static List<Map<String, Object>> row(long k) {
    return List.of(Map.of("k", k, "v", "v" + k));
  }

  @Test
  void theLoserOfAVersionRebasesABlindAppend() {
    Path p = dir.resolve("t");
    try (Table t = Table.create(p.toString(), SCHEMA)) {
      Transaction a = t.newTransaction().append(row(1));
      Transaction b = t.newTransaction().append(row(2));
      assertThat(a.readVersion()).isEqualTo(b.readVersion()).isZero();
      CommitResult ra = a.commit();
      CommitResult rb = b.commit();
      assertThat(ra.version()).isEqualTo(1);
      assertThat(ra.attempts()).isEqualTo(1);
      assertThat(rb.version()).isEqualTo(2);
      assertThat(rb.attempts()).isEqualTo(2);
      assertThat(t.newScan().toList()).extracting(r -> r.getLong("k")).containsExactlyInAnyOrder(1L, 2L);
    }
  }

  @Test
  void aStaleHandleRebasesOverManyWinners() {
    Path p = dir.resolve("t");
    try (Table stale = Table.create(p.toString(), SCHEMA); Table other = Table.open(p.toString())) {
      Transaction tx = stale.newTransaction().append(row(0));
      for (int i = 1; i <= 20; i++) {
        other.append(row(i));
      }
      CommitResult r = tx.commit();
      assertThat(r.version()).isEqualTo(21);
      assertThat(stale.newScan().count()).isEqualTo(21);
    }
  }

  @Test
  void aConcurrentMetadataChangeFailsTheAppendAndItsFilesAreDeleted() throws Exception {
    Path p = dir.resolve("t");
    try (Table t = Table.create(p.toString(), SCHEMA)) {
      long filesBefore = TestLogs.parquetFiles(p);
      Transaction tx = t.newTransaction().append(row(1));
      String schema = "{\"type\":\"struct\",\"fields\":[{\"name\":\"k\",\"type\":\"long\",\"nullable\":false,\"metadata\":{}}]}";
      Files.writeString(p.resolve("_delta_log/00000000000000000001.json"),
          "{\"metaData\":{\"id\":\"x\",\"format\":{\"provider\":\"parquet\",\"options\":{}},\"schemaString\":"
              + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(schema)
              + ",\"partitionColumns\":[],\"configuration\":{}}}\n");
      assertThatThrownBy(tx::commit).isInstanceOf(MetadataChangedException.class)
          .hasMessageContaining("version 1")
          .satisfies(e -> assertThat(((ConcurrentModificationException) e).winningVersion()).isEqualTo(1));
      tx.close();
      assertThat(TestLogs.parquetFiles(p)).isEqualTo(filesBefore);
      assertThat(t.currentSnapshot().version()).isEqualTo(1);
    }
  }

  @Test
  void aConcurrentProtocolChangeFailsTheAppend() throws Exception {
    Path p = dir.resolve("t");
    try (Table t = Table.create(p.toString(), SCHEMA)) {
      Transaction tx = t.newTransaction().append(row(1));
      Files.writeString(p.resolve("_delta_log/00000000000000000001.json"),
          "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}\n");
      assertThatThrownBy(tx::commit).isInstanceOf(ProtocolChangedException.class);
      tx.close();
    }
  }

  @Test
  void theRetryPolicyBoundsAttempts() throws Exception {
    Path p = dir.resolve("t");
    TableOptions noRetry = TableOptions.builder().retryPolicy(RetryPolicy.NONE).build();
    try (Table t = Table.define(p.toString(), SCHEMA).options(noRetry).create(); Table other = Table.open(p.toString())) {
      Transaction tx = t.newTransaction().append(row(1));
      other.append(row(2));
      assertThatThrownBy(tx::commit).isInstanceOf(CommitFailedException.class).hasMessageContaining("1 times");
      tx.close();
      assertThat(t.newScan().count()).isEqualTo(1);
    }
  }
}
