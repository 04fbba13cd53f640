package io.datashard.internal.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datashard.CorruptTableException;
import io.datashard.internal.log.Action.AddFile;
import io.datashard.internal.log.Action.CommitInfo;
import io.datashard.internal.log.Action.Metadata;
import io.datashard.internal.log.Action.Protocol;
import io.datashard.internal.log.Action.RemoveFile;
import io.datashard.internal.log.Action.SetTransaction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LogCodecTest {
  private static List<Action> parse(String text) {
    return LogCodec.parse(text.getBytes(StandardCharsets.UTF_8), "/t", 3, "_delta_log/00000000000000000003.json");
  }

  @Test
  void everyActionRoundTrips() {
    Map<String, String> partition = new HashMap<>();
    partition.put("day", "2024-01-02");
    partition.put("country", null);
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("timestamp", 1700000000000L);
    info.put("operation", "WRITE");
    info.put("operationParameters", Map.of("mode", "Append"));
    info.put("txnId", "token-1");
    List<Action> actions = List.of(
        new CommitInfo(info),
        new Protocol(3, 7, Optional.of(List.of("timestampNtz")), Optional.of(List.of("timestampNtz"))),
        new Metadata("id-1", Optional.of("name"), Optional.empty(), "{\"type\":\"struct\",\"fields\":[]}",
            List.of("day", "country"), Map.of("delta.checkpointInterval", "10"), Optional.of(5L)),
        new AddFile("day=2024-01-02/country=__HIVE_DEFAULT_PARTITION__/part-1.parquet", partition, 123, 456, true,
            Optional.of("{\"numRecords\":1}")),
        new RemoveFile("old.parquet", 789, true, Map.of(), Optional.of(10L)),
        new SetTransaction("app", 42, Optional.of(7L)));
    byte[] bytes = LogCodec.serialize(actions);
    String text = new String(bytes, StandardCharsets.UTF_8);
    assertThat(text.lines()).hasSize(6).allMatch(l -> l.startsWith("{\"") && l.endsWith("}"));
    assertThat(text).contains("\"country\":null").contains("\"schemaString\":").contains("\"txnId\":\"token-1\"");
    assertThat(parse(text)).isEqualTo(actions);
  }

  @Test
  void emptyLinesAreSkippedAndIgnorableActionsKept() {
    List<Action> parsed = parse("\n{\"cdc\":{\"path\":\"x\"}}\n\n{\"txn\":{\"appId\":\"a\",\"version\":1}}\n");
    assertThat(parsed).containsExactly(new Action.Ignored("cdc"), new SetTransaction("a", 1, Optional.empty()));
  }

  @Test
  void malformedEntriesNameTheLine() {
    assertThatThrownBy(() -> parse("{\"txn\":{\"appId\":\"a\",\"version\":1}}\n{\"txn\":{\"appId\":5,\"version\":1}}"))
        .isInstanceOf(CorruptTableException.class).hasMessageContaining("line 2").hasMessageContaining("txn.appId");
    assertThatThrownBy(() -> parse("[1,2]")).isInstanceOf(CorruptTableException.class).hasMessageContaining("exactly one");
    assertThatThrownBy(() -> parse("{\"add\":{},\"remove\":{}}")).isInstanceOf(CorruptTableException.class);
    assertThatThrownBy(() -> parse("{\"protocol\":{\"minReaderVersion\":1e40,\"minWriterVersion\":2}}"))
        .isInstanceOf(CorruptTableException.class).hasMessageContaining("minReaderVersion");
    assertThatThrownBy(() -> parse("{\"metaData\":{\"id\":\"x\",\"format\":{\"provider\":\"orc\"},\"schemaString\":\"{}\","
        + "\"partitionColumns\":[]}}")).isInstanceOf(CorruptTableException.class).hasMessageContaining("orc");
    assertThatThrownBy(() -> parse("{\"add\":{\"path\":\"p\",\"partitionValues\":{},\"size\":1,\"modificationTime\":1,"
        + "\"dataChange\":true,\"deletionVector\":{\"storageType\":\"u\"}}}"))
        .isInstanceOf(CorruptTableException.class).hasMessageContaining("line 1")
        .hasMessageContaining("add.deletionVector.sizeInBytes is missing");
  }
}
