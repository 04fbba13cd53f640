package io.datashard.internal.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datashard.CorruptTableException;
import io.datashard.internal.log.Action.AddFile;
import io.datashard.internal.log.Action.CommitInfo;
import io.datashard.internal.log.Action.DeletionVector;
import io.datashard.internal.log.Action.Ignored;
import io.datashard.internal.log.Action.Metadata;
import io.datashard.internal.log.Action.Protocol;
import io.datashard.internal.log.Action.RemoveFile;
import io.datashard.internal.log.Action.SetTransaction;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and writes Delta commit files: one JSON object per line, each holding one action. Parsing
 * is strict: a malformed line, a field of the wrong type or an unknown action is a
 * {@link CorruptTableException} naming the table, version, file and line.
 */
public final class LogCodec {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Actions of features that do not change which rows a reader returns. */
  private static final Set<String> IGNORABLE = Set.of("cdc", "domainMetadata", "checkpointMetadata");

  private LogCodec() {}

  /** Serializes actions as a commit file. */
  public static byte[] serialize(List<? extends Action> actions) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 * actions.size());
    for (Action a : actions) {
      ObjectNode line = NODES.objectNode();
      line.set(typeName(a), body(a));
      out.writeBytes(line.toString().getBytes(StandardCharsets.UTF_8));
      out.write('\n');
    }
    return out.toByteArray();
  }

  private static String typeName(Action a) {
    if (a instanceof AddFile) return "add";
    if (a instanceof RemoveFile) return "remove";
    if (a instanceof Metadata) return "metaData";
    if (a instanceof Protocol) return "protocol";
    if (a instanceof SetTransaction) return "txn";
    if (a instanceof CommitInfo) return "commitInfo";
    throw new IllegalArgumentException("cannot write action " + a);
  }

  private static ObjectNode body(Action a) {
    ObjectNode n = NODES.objectNode();
    if (a instanceof AddFile add) {
      n.put("path", add.path());
      n.set("partitionValues", MAPPER.valueToTree(add.partitionValues()));
      n.put("size", add.size());
      n.put("modificationTime", add.modificationTime());
      n.put("dataChange", add.dataChange());
      add.stats().ifPresent(s -> n.put("stats", s));
      add.deletionVector().ifPresent(dv -> n.set("deletionVector", deletionVectorJson(dv)));
    } else if (a instanceof RemoveFile rm) {
      n.put("path", rm.path());
      n.put("deletionTimestamp", rm.deletionTimestamp());
      n.put("dataChange", rm.dataChange());
      n.put("extendedFileMetadata", true);
      n.set("partitionValues", MAPPER.valueToTree(rm.partitionValues()));
      rm.size().ifPresent(s -> n.put("size", s));
      rm.deletionVector().ifPresent(dv -> n.set("deletionVector", deletionVectorJson(dv)));
    } else if (a instanceof Metadata m) {
      n.put("id", m.id());
      m.name().ifPresent(v -> n.put("name", v));
      m.description().ifPresent(v -> n.put("description", v));
      ObjectNode format = n.putObject("format");
      format.put("provider", "parquet");
      format.putObject("options");
      n.put("schemaString", m.schemaString());
      n.set("partitionColumns", MAPPER.valueToTree(m.partitionColumns()));
      n.set("configuration", MAPPER.valueToTree(m.configuration()));
      m.createdTime().ifPresent(t -> n.put("createdTime", t));
    } else if (a instanceof Protocol p) {
      n.put("minReaderVersion", p.minReaderVersion());
      n.put("minWriterVersion", p.minWriterVersion());
      p.readerFeatures().ifPresent(f -> n.set("readerFeatures", MAPPER.valueToTree(f)));
      p.writerFeatures().ifPresent(f -> n.set("writerFeatures", MAPPER.valueToTree(f)));
    } else if (a instanceof SetTransaction t) {
      n.put("appId", t.appId());
      n.put("version", t.version());
      t.lastUpdated().ifPresent(v -> n.put("lastUpdated", v));
    } else if (a instanceof CommitInfo ci) {
      return MAPPER.valueToTree(ci.fields());
    }
    return n;
  }

  /**
   * Parses a commit file.
   *
   * @param table the table location, for messages
   * @param version the commit's version, for messages
   * @param file the file's path within the table, for messages
   * @throws CorruptTableException on any malformed content
   */
  public static List<Action> parse(byte[] content, String table, long version, String file) {
    List<Action> actions = new ArrayList<>();
    String text = new String(content, StandardCharsets.UTF_8);
    int lineNo = 0;
    int start = 0;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = text.length();
      }
      lineNo++;
      String line = text.substring(start, end).trim();
      start = end + 1;
      if (line.isEmpty()) {
        continue;
      }
      Where where = new Where(table, version, file, lineNo);
      JsonNode node;
      try {
        node = MAPPER.readTree(line);
      } catch (JsonProcessingException e) {
        String problem = e.getOriginalMessage();
        int detail = problem.indexOf(" (start marker");
        // Constraint violations (a gigantic string or number) carry no location.
        String at = e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
        throw where.corrupt("invalid JSON" + at + ": " + (detail > 0 ? problem.substring(0, detail) : problem));
      }
      if (node == null || !node.isObject() || node.size() != 1) {
        throw where.corrupt("expected one JSON object holding exactly one action");
      }
      Map.Entry<String, JsonNode> entry = node.fields().next();
      actions.add(parseAction(entry.getKey(), entry.getValue(), where));
    }
    return actions;
  }

  private static Action parseAction(String type, JsonNode n, Where w) {
    if (!n.isObject()) {
      throw w.corrupt("action '" + type + "' is not a JSON object");
    }
    switch (type) {
      case "add": {
        return new AddFile(text(n, "path", w, "add"), stringMap(n, "partitionValues", w, "add", true),
            nonNegative(n, "size", w, "add"), longField(n, "modificationTime", w, "add"),
            bool(n, "dataChange", w, "add"), optText(n, "stats", w, "add"), deletionVector(n, w, "add"));
      }
      case "remove": {
        return new RemoveFile(text(n, "path", w, "remove"),
            n.hasNonNull("deletionTimestamp") ? longField(n, "deletionTimestamp", w, "remove") : 0L,
            bool(n, "dataChange", w, "remove"),
            n.hasNonNull("partitionValues") ? stringMap(n, "partitionValues", w, "remove", true) : Map.of(),
            n.hasNonNull("size") ? Optional.of(nonNegative(n, "size", w, "remove")) : Optional.empty(),
            deletionVector(n, w, "remove"));
      }
      case "metaData": {
        JsonNode format = n.get("format");
        if (format != null && format.hasNonNull("provider") && !"parquet".equals(format.get("provider").asText())) {
          throw w.corrupt("metaData.format.provider is '" + format.get("provider").asText() + "', only parquet exists");
        }
        return new Metadata(text(n, "id", w, "metaData"), optText(n, "name", w, "metaData"),
            optText(n, "description", w, "metaData"), text(n, "schemaString", w, "metaData"),
            stringList(n, "partitionColumns", w, "metaData"),
            n.hasNonNull("configuration") ? stringMap(n, "configuration", w, "metaData", false) : Map.of(),
            n.hasNonNull("createdTime") ? Optional.of(longField(n, "createdTime", w, "metaData")) : Optional.empty());
      }
      case "protocol":
        return new Protocol(intField(n, "minReaderVersion", w), intField(n, "minWriterVersion", w),
            n.hasNonNull("readerFeatures") ? Optional.of(stringList(n, "readerFeatures", w, "protocol")) : Optional.empty(),
            n.hasNonNull("writerFeatures") ? Optional.of(stringList(n, "writerFeatures", w, "protocol")) : Optional.empty());
      case "txn":
        return new SetTransaction(text(n, "appId", w, "txn"), longField(n, "version", w, "txn"),
            n.hasNonNull("lastUpdated") ? Optional.of(longField(n, "lastUpdated", w, "txn")) : Optional.empty());
      case "commitInfo": {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          fields.put(e.getKey(), MAPPER.convertValue(e.getValue(), Object.class));
        }
        return new CommitInfo(fields);
      }
      case "sidecar":
        return new Action.Sidecar(text(n, "path", w, "sidecar"), nonNegative(n, "sizeInBytes", w, "sidecar"));
      default:
        if (IGNORABLE.contains(type)) {
          return new Ignored(type);
        }
        throw w.corrupt("unknown action type '" + type + "'");
    }
  }

  private static Optional<DeletionVector> deletionVector(JsonNode action, Where w, String name) {
    JsonNode n = action.get("deletionVector");
    if (n == null || n.isNull()) {
      return Optional.empty();
    }
    String where = name + ".deletionVector";
    if (!n.isObject()) {
      throw w.corrupt(where + " is not an object");
    }
    Optional<Integer> offset = Optional.empty();
    if (n.hasNonNull("offset")) {
      long o = nonNegative(n, "offset", w, where);
      if (o > Integer.MAX_VALUE) {
        throw w.corrupt(where + ".offset is too large: " + o);
      }
      offset = Optional.of((int) o);
    }
    long size = nonNegative(n, "sizeInBytes", w, where);
    if (size > Integer.MAX_VALUE) {
      throw w.corrupt(where + ".sizeInBytes is too large: " + size);
    }
    return Optional.of(new DeletionVector(text(n, "storageType", w, where), text(n, "pathOrInlineDv", w, where),
        offset, (int) size, nonNegative(n, "cardinality", w, where)));
  }

  private static ObjectNode deletionVectorJson(DeletionVector dv) {
    ObjectNode n = NODES.objectNode();
    n.put("storageType", dv.storageType());
    n.put("pathOrInlineDv", dv.pathOrInlineDv());
    dv.offset().ifPresent(o -> n.put("offset", o));
    n.put("sizeInBytes", dv.sizeInBytes());
    n.put("cardinality", dv.cardinality());
    return n;
  }

  private static String text(JsonNode n, String key, Where w, String action) {
    JsonNode v = n.get(key);
    if (v == null || !v.isTextual()) {
      throw w.corrupt(action + "." + key + (v == null || v.isNull() ? " is missing" : " is not a string"));
    }
    return v.asText();
  }

  private static Optional<String> optText(JsonNode n, String key, Where w, String action) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw w.corrupt(action + "." + key + " is not a string");
    }
    return Optional.of(v.asText());
  }

  private static long longField(JsonNode n, String key, Where w, String action) {
    JsonNode v = n.get(key);
    if (v == null || !v.canConvertToExactIntegral() || !v.canConvertToLong()) {
      throw w.corrupt(action + "." + key + (v == null || v.isNull() ? " is missing" : " is not a 64-bit integer: " + v));
    }
    return v.asLong();
  }

  private static long nonNegative(JsonNode n, String key, Where w, String action) {
    long v = longField(n, key, w, action);
    if (v < 0) {
      throw w.corrupt(action + "." + key + " is negative: " + v);
    }
    return v;
  }

  private static int intField(JsonNode n, String key, Where w) {
    JsonNode v = n.get(key);
    if (v == null || !v.canConvertToExactIntegral() || !v.canConvertToInt()) {
      throw w.corrupt("protocol." + key + (v == null ? " is missing" : " is not a 32-bit integer: " + v));
    }
    return v.asInt();
  }

  private static boolean bool(JsonNode n, String key, Where w, String action) {
    JsonNode v = n.get(key);
    if (v == null || !v.isBoolean()) {
      throw w.corrupt(action + "." + key + (v == null ? " is missing" : " is not a boolean"));
    }
    return v.asBoolean();
  }

  private static List<String> stringList(JsonNode n, String key, Where w, String action) {
    JsonNode v = n.get(key);
    if (v == null || !v.isArray()) {
      throw w.corrupt(action + "." + key + (v == null ? " is missing" : " is not an array"));
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isTextual()) {
        throw w.corrupt(action + "." + key + " holds a non-string element");
      }
      out.add(e.asText());
    }
    return out;
  }

  private static Map<String, String> stringMap(JsonNode n, String key, Where w, String action, boolean nullValues) {
    JsonNode v = n.get(key);
    if (v == null || !v.isObject()) {
      throw w.corrupt(action + "." + key + (v == null ? " is missing" : " is not an object"));
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode value = e.getValue();
      if (value.isNull() && nullValues) {
        out.put(e.getKey(), null);
      } else if (value.isTextual()) {
        out.put(e.getKey(), value.asText());
      } else {
        throw w.corrupt(action + "." + key + "." + e.getKey() + " is not a string");
      }
    }
    return out;
  }

  /** Where in the log a parse error is. */
  private record Where(String table, long version, String file, int line) {
    CorruptTableException corrupt(String problem) {
      return new CorruptTableException("table " + table + ", version " + version + " (" + file + ", line " + line + "): "
          + problem);
    }
  }
}
