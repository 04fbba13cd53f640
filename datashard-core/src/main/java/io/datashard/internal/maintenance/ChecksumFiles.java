package io.datashard.internal.maintenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datashard.internal.log.Action;
import io.datashard.internal.log.LogCodec;
import io.datashard.internal.log.LogFiles;
import io.datashard.internal.log.TableState;
import io.datashard.storage.NewFile;
import io.datashard.storage.Storage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.util.List;
import java.util.Optional;

/**
 * Version checksum files ({@code _delta_log/N.crc}, PROTOCOL.md "Version Checksum File"): the
 * table's size, file count, metadata and protocol at version N, so that verification (and other
 * readers) can check a replay against them. Written after the commit, never on its critical path;
 * a missing checksum is fine, a wrong one is a verification error.
 */
public final class ChecksumFiles {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ChecksumFiles() {}

  /** The checksum file of a version. */
  public static String path(long version) {
    String commit = LogFiles.commit(version);
    return commit.substring(0, commit.length() - ".json".length()) + ".crc";
  }

  /** The version of a checksum file name, if it is one. */
  public static java.util.OptionalLong version(String name) {
    if (name.length() != 24 || !name.endsWith(".crc")) {
      return java.util.OptionalLong.empty();
    }
    return LogFiles.commitVersion(name.substring(0, 20) + ".json");
  }

  /**
   * The checksum of a state, if its file totals are known without materializing its file set.
   */
  public static Optional<byte[]> content(TableState state) {
    long[] totals = state.knownFileTotals();
    if (totals == null) {
      return Optional.empty();
    }
    ObjectNode n = MAPPER.createObjectNode();
    n.put("tableSizeBytes", totals[1]);
    n.put("numFiles", totals[0]);
    n.put("numMetadata", 1);
    n.put("numProtocol", 1);
    n.set("metadata", actionBody(state.metadata(), "metaData"));
    n.set("protocol", actionBody(state.protocol(), "protocol"));
    return Optional.of(n.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode actionBody(Action a, String key) {
    try {
      return MAPPER.readTree(LogCodec.serialize(List.of(a))).get(key);
    } catch (IOException e) {
      throw new IllegalStateException("cannot re-read our own serialization of " + key, e);
    }
  }

  /**
   * Writes the checksum of a state (if its totals are known). The file is created with
   * put-if-absent semantics: only the writer of a version writes its checksum.
   *
   * @return whether a file was written
   */
  public static boolean write(Storage storage, TableState state) throws IOException {
    Optional<byte[]> content = content(state);
    if (content.isEmpty()) {
      return false;
    }
    try (NewFile out = storage.create(path(state.version()))) {
      out.stream().write(content.get());
      out.publish();
      out.awaitDurable();
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    }
  }

  /** A parsed checksum: the fields verification compares. */
  public record Checksum(long tableSizeBytes, long numFiles, JsonNode metadata, JsonNode protocol) {}

  /**
   * Parses a checksum file.
   *
   * @return empty if it is not a complete checksum (e.g. torn by a crash before it was durable)
   */
  public static Optional<Checksum> parse(byte[] content) {
    JsonNode n;
    try {
      n = MAPPER.readTree(content);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (n == null || !n.isObject() || !n.path("tableSizeBytes").canConvertToExactIntegral()
        || !n.path("numFiles").canConvertToExactIntegral() || !n.path("metadata").isObject()
        || !n.path("protocol").isObject()) {
      return Optional.empty();
    }
    return Optional.of(new Checksum(n.get("tableSizeBytes").asLong(), n.get("numFiles").asLong(), n.get("metadata"),
        n.get("protocol")));
  }

  /** The JSON body of an action as a checksum holds it, for comparison. */
  public static JsonNode body(Action a) {
    return actionBody(a, a instanceof Action.Metadata ? "metaData" : "protocol");
  }
}
