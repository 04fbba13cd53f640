package io.datashard.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datashard.CommitResult;
import io.datashard.Row;
import io.datashard.Schema;
import io.datashard.StorageException;
import io.datashard.Table;
import io.datashard.TableOptions;
import io.datashard.s3.FaultProxy.Fault;
import java.net.URI;
import org.gaul.s3proxy.auth.AuthenticationType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults between the client and a real S3Proxy server, injected by {@link FaultProxy}: connection
 * resets during a commit's PUT, a server error after the PUT was applied (the SDK retries and gets
 * 412 for its own object), throttling, and a server that ignores If-None-Match.
 */
@Timeout(180)
class S3FaultTest {
  private static final Pattern LOG_ENTRY = Pattern.compile(".*/_delta_log/\\d{20}\\.json(\\?.*)?");
  private static final Schema SCHEMA = Schema.parse("k long not null");

  @TempDir static Path dir;
  static S3ProxyServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3ProxyServer.start(dir.resolve("s3"), 0);
    server.useForThisJvm();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  private static String location() {
    return "s3://" + S3ProxyServer.BUCKET + "/faults/" + UUID.randomUUID();
  }

  /** Applies {@code fault} to the first {@code times} requests that {@code match}; passes the rest. */
  private static BiFunction<String, String, Fault> first(int times, Fault fault, BiFunction<String, String, Boolean> match) {
    AtomicInteger left = new AtomicInteger(times);
    return (method, target) -> match.apply(method, target) && left.getAndDecrement() > 0 ? fault : Fault.PASS;
  }

  private static boolean logPut(String method, String target) {
    return method.equals("PUT") && LOG_ENTRY.matcher(target).matches();
  }

  private static Table open(String location, FaultProxy proxy, int maxAttempts) {
    S3Storage storage = S3Storage.builder(URI.create(location)).endpoint(proxy.endpoint()).maxAttempts(maxAttempts).build();
    return Table.open(storage, TableOptions.DEFAULT);
  }

  private static List<Long> keys(String location) {
    try (Table t = Table.open(location)) {
      return t.newScan().toList().stream().map(r -> (Long) r.get("k")).sorted().toList();
    }
  }

  @Test
  void connectionResetsDuringTheCommitPutAreRetriedUntilTheEntryIsWritten() throws Exception {
    String loc = location();
    Table.create(loc, SCHEMA).close();
    // 3 resets with 2 attempts per request: the SDK gives up once, the committer finds no entry and
    // publishes again (a conditional PUT is safe to repeat), which succeeds on its second attempt.
    try (FaultProxy proxy = new FaultProxy(server.endpoint(), first(3, Fault.RESET, S3FaultTest::logPut));
        Table t = open(loc, proxy, 2)) {
      CommitResult r = t.append(List.of(Map.of("k", 1L)));
      assertThat(r.version()).isEqualTo(1);
      assertThat(proxy.seen(Fault.RESET)).hasSize(3);
    }
    assertThat(keys(loc)).containsExactly(1L);
  }

  @Test
  void aServerErrorAfterThePutWasAppliedIsResolvedByReadingTheEntryBack() throws Exception {
    String loc = location();
    Table.create(loc, SCHEMA).close();
    try (FaultProxy proxy = new FaultProxy(server.endpoint(), first(1, Fault.ERROR_AFTER_WRITE, S3FaultTest::logPut));
        Table t = open(loc, proxy, 10)) {
      CommitResult r = t.append(List.of(Map.of("k", 1L)));
      assertThat(r.version()).isEqualTo(1);
      assertThat(r.attempts()).as("its own entry is not a lost race").isEqualTo(1);
      assertThat(proxy.seen(Fault.ERROR_AFTER_WRITE)).singleElement().extracting(FaultProxy.Seen::status).isEqualTo(200);
      // The SDK retried the PUT after the 500 and received 412 for the object it had written itself
      // (aws/aws-sdk-java-v2#6580); the committer read it back and found its own commit token.
      assertThat(proxy.seen(Fault.PASS)).anySatisfy(s -> {
        assertThat(s.method()).isEqualTo("PUT");
        assertThat(s.target()).contains("00000000000000000001.json");
        assertThat(s.status()).isEqualTo(412);
      });
      t.append(List.of(Map.of("k", 2L)));
      assertThat(t.currentSnapshot().version()).isEqualTo(2);
    }
    assertThat(keys(loc)).containsExactly(1L, 2L);
  }

  @Test
  void aServerErrorAfterAnotherWritersPutIsALostRaceNotASuccess() throws Exception {
    String loc = location();
    Table.create(loc, SCHEMA).close();
    try (FaultProxy proxy = new FaultProxy(server.endpoint(), (m, t) -> Fault.PASS);
        Table slow = open(loc, proxy, 1); Table fast = Table.open(loc)) {
      var tx = slow.newTransaction();
      tx.append(List.of(Map.of("k", 1L)));
      fast.append(List.of(Map.of("k", 2L))); // takes version 1 first: the slow writer's PUT gets 412
      assertThat(tx.commit().version()).isEqualTo(2);
      tx.close();
    }
    assertThat(keys(loc)).containsExactly(1L, 2L);
  }

  @Test
  void throttledRequestsBackOffAndSucceed() throws Exception {
    String loc = location();
    Table.create(loc, SCHEMA).close();
    try (FaultProxy proxy = new FaultProxy(server.endpoint(), first(4, Fault.THROTTLE, (m, t) -> true));
        Table t = open(loc, proxy, 10)) {
      for (long k = 1; k <= 3; k++) {
        t.append(List.of(Map.of("k", k)));
      }
      assertThat(proxy.seen(Fault.THROTTLE)).hasSize(4);
    }
    assertThat(keys(loc)).containsExactly(1L, 2L, 3L);
  }

  @Test
  void aServerThatIgnoresIfNoneMatchIsRefusedUnlessSingleWriterIsChosen() throws Exception {
    String loc = location();
    // Removing a signed header breaks the signature, so this server does not check signatures.
    try (S3ProxyServer unsigned = S3ProxyServer.start(dir.resolve("unsigned"), 0, AuthenticationType.NONE);
        FaultProxy proxy = new FaultProxy(unsigned.endpoint(), (m, t) -> Fault.STRIP_IF_NONE_MATCH)) {
      S3Storage storage = S3Storage.builder(URI.create(loc)).endpoint(proxy.endpoint()).build();
      assertThatThrownBy(() -> Table.define(storage, SCHEMA).create()).isInstanceOf(StorageException.class)
          .hasMessageContaining("does not honour If-None-Match").hasMessageContaining("it replaced an existing object")
          .hasMessageContaining("DATASHARD_S3_SINGLE_WRITER")
          .hasRootCauseInstanceOf(ConditionalWritesUnsupportedException.class);
      storage.close();
      Path objects = unsigned.localPath(loc);
      assertThat(!Files.exists(objects) || Files.list(objects.resolve("_delta_log")).findAny().isEmpty())
          .as("nothing written: no log entry, no probe left behind").isTrue();

      S3Storage single = S3Storage.builder(URI.create(loc)).endpoint(proxy.endpoint()).singleWriter(true).build();
      try (Table t = Table.define(single, SCHEMA).create()) {
        t.append(List.of(Map.of("k", 7L)));
        assertThat(t.currentSnapshot().version()).isEqualTo(1);
        assertThat(t.newScan().toList()).extracting((Row r) -> r.get("k")).containsExactly(7L);
      }
    }
  }
}
