package io.datashard.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datashard.storage.FileInfo;
import io.datashard.storage.NewFile;
import io.datashard.storage.PathOutsideTableException;
import io.datashard.storage.StagedFile;
import io.datashard.storage.UnconfirmedPublishException;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The storage SPI of {@link S3Storage} against a real S3Proxy server. */
@Timeout(120)
class S3StorageTest {
  @TempDir static Path dir;
  static S3ProxyServer server;

  S3Storage storage;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3ProxyServer.start(dir.resolve("s3"), 0);
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  private S3Storage newStorage() {
    return newStorage(S3Storage.MIN_PART_SIZE);
  }

  private S3Storage newStorage(int partSize) {
    server.useForThisJvm();
    return S3Storage.builder(URI.create("s3://" + S3ProxyServer.BUCKET + "/" + UUID.randomUUID() + "/t"))
        .partSize(partSize).build();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void smallFilesRoundTripAndListAfterAName() throws IOException {
    try (S3Storage s = newStorage()) {
      assertThat(s.exists("a/x")).isFalse();
      assertThat(s.info("a/x")).isEmpty();
      assertThatThrownBy(() -> s.readAll("a/x")).isInstanceOf(NoSuchFileException.class).hasMessageContaining(s.location());
      for (String name : List.of("b", "a", "c")) {
        try (NewFile f = s.create("d/" + name)) {
          f.stream().write(bytes("content " + name));
          assertThat(s.exists("d/" + name)).as("invisible before publish").isFalse();
          assertThat(f.publish()).isEqualTo(9);
          f.awaitDurable();
        }
      }
      s.replace("d/sub/deeper", bytes("nested"));
      assertThat(s.readAll("d/b")).isEqualTo(bytes("content b"));
      assertThat(s.info("d/c").orElseThrow().size()).isEqualTo(9);
      assertThat(s.listFrom("d", "").stream().map(FileInfo::path)).containsExactly("d/a", "d/b", "d/c");
      assertThat(s.listFrom("d", "a").stream().map(FileInfo::name)).containsExactly("b", "c");
      assertThat(s.listFrom("missing", "")).isEmpty();
      assertThat(s.delete("d/a")).isTrue();
      assertThat(s.delete("d/a")).isFalse();
      assertThat(s.lockWriters()).isEmpty();
    }
  }

  @Test
  void newFilesNeverReplaceAndDiscardedFilesNeverAppear() throws IOException {
    try (S3Storage s = newStorage()) {
      s.replace("f", bytes("first"));
      NewFile f = s.create("f");
      f.stream().write(bytes("second"));
      assertThatThrownBy(f::publish).isInstanceOf(FileAlreadyExistsException.class);
      assertThat(s.readAll("f")).isEqualTo(bytes("first"));
      try (NewFile g = s.create("g")) {
        g.stream().write(bytes("never"));
      }
      assertThat(s.exists("g")).isFalse();
    }
  }

  @Test
  void largeFilesGoThroughMultipartUploadAndRandomReads() throws IOException {
    long seed = System.nanoTime();
    System.out.println("seed " + seed);
    byte[] data = new byte[S3Storage.MIN_PART_SIZE * 2 + 12345];
    new Random(seed).nextBytes(data);
    try (S3Storage s = newStorage()) {
      try (NewFile f = s.create("big")) {
        for (int off = 0; off < data.length; off += 100_000) {
          f.stream().write(data, off, Math.min(100_000, data.length - off));
        }
        assertThat(s.exists("big")).as("multipart object invisible before completion").isFalse();
        assertThat(f.publish()).isEqualTo(data.length);
      }
      assertThat(s.readAll("big")).isEqualTo(data);
      try (SeekableByteChannel ch = s.openRead("big")) {
        assertThat(ch.size()).isEqualTo(data.length);
        Random r = new Random(seed);
        for (int i = 0; i < 20; i++) {
          int pos = r.nextInt(data.length);
          int len = Math.min(data.length - pos, 1 + r.nextInt(3 << 20));
          ByteBuffer buf = ByteBuffer.allocate(len);
          ch.position(pos);
          while (buf.hasRemaining()) {
            assertThat(ch.read(buf)).isPositive();
          }
          assertThat(buf.array()).isEqualTo(java.util.Arrays.copyOfRange(data, pos, pos + len));
        }
        ch.position(data.length);
        assertThat(ch.read(ByteBuffer.allocate(1))).isEqualTo(-1);
      }
      // An abandoned multipart upload leaves nothing visible.
      NewFile abandoned = s.create("abandoned");
      abandoned.stream().write(data);
      abandoned.close();
      assertThat(s.exists("abandoned")).isFalse();
    }
  }

  @Test
  void publishIfAbsentCreatesOnceAndReportsA412AsUnconfirmed() throws IOException {
    try (S3Storage a = newStorage(); StagedFile mine = a.stage("_delta_log", bytes("mine"));
        StagedFile theirs = a.stage("_delta_log", bytes("theirs"))) {
      assertThat(a.publishIfAbsent(mine, "_delta_log/00000000000000000000.json")).isTrue();
      assertThatThrownBy(() -> a.publishIfAbsent(theirs, "_delta_log/00000000000000000000.json"))
          .isInstanceOf(UnconfirmedPublishException.class).hasMessageContaining("412");
      assertThat(a.readAll("_delta_log/00000000000000000000.json")).isEqualTo(bytes("mine"));
      assertThat(a.listFrom("_delta_log", "").stream().map(FileInfo::name))
          .as("the conditional-write probe leaves nothing behind").containsExactly("00000000000000000000.json");
    }
  }

  @Test
  void pathsOutsideTheTableAreRefused() throws IOException {
    try (S3Storage s = newStorage()) {
      for (String bad : List.of("../x", "a/../../x", "/abs", "a//b", "./a")) {
        assertThatThrownBy(() -> s.readAll(bad)).as(bad).isInstanceOf(PathOutsideTableException.class);
      }
    }
  }

  @Test
  void malformedLocationsAreRefused() {
    assertThatThrownBy(() -> S3Storage.builder(URI.create("s3:///nobucket"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no bucket");
    assertThatThrownBy(() -> S3Storage.builder(URI.create("gs://b/t"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> S3Storage.builder(URI.create("s3://b/t")).partSize(1024))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theServerStoresObjectsAsLocalFiles() throws IOException {
    try (S3Storage s = newStorage()) {
      s.replace("x/y", bytes("z"));
      assertThat(Files.readString(server.localPath(s.location()).resolve("x/y"))).isEqualTo("z");
    }
  }
}
