package io.datashard.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import io.datashard.DataType;
import io.datashard.DecimalType;
import io.datashard.Field;
import io.datashard.PrimitiveType;
import io.datashard.StructType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads rows from JSON Lines, JSON arrays and CSV into a {@link RowSink}, converting every value by
 * the table schema. Every problem is a {@link UserException} naming the source and line.
 */
final class RowInput {
  /** The input formats, chosen by file extension. */
  enum Format {
    JSONL, CSV;

    static Format of(String name) {
      String n = name.toLowerCase(Locale.ROOT);
      if (n.equals("-") || n.endsWith(".jsonl") || n.endsWith(".json") || n.endsWith(".ndjson")) {
        return JSONL;
      }
      if (n.endsWith(".csv")) {
        return CSV;
      }
      throw new UserException("cannot tell the format of '" + name
          + "' from its extension: use .jsonl, .ndjson or .json (JSON Lines) or .csv");
    }
  }

  private static final CsvFactory CSV = CsvFactory.builder()
      .enable(CsvParser.Feature.EMPTY_UNQUOTED_STRING_AS_NULL)
      .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
      .build();

  /** Where decoded rows go: {@link RowSink} (append) or a list (upsert). */
  interface Target {
    void add(Map<String, Object> row, RowSink.Origin origin);
  }

  private final StructType schema;
  private final JsonRowDecoder decoder;
  private final Target sink;

  RowInput(StructType schema, Target sink) {
    this.schema = schema;
    this.decoder = new JsonRowDecoder(schema);
    this.sink = sink;
  }

  /** A strict UTF-8 reader: malformed bytes are an error, not replacement characters. */
  static BufferedReader utf8(InputStream in) {
    CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    return new BufferedReader(new InputStreamReader(in, dec), 1 << 16);
  }

  /** One {@code --json} argument. */
  void json(String text, RowSink.Origin origin) {
    try {
      sink.add(decoder.decodeText(text), origin);
    } catch (JsonRowDecoder.RowException e) {
      throw new UserException(origin + ": " + e.getMessage(), e);
    }
  }

  /** Reads a whole input of the given format. */
  void read(Reader reader, String source, Format format) {
    try {
      if (format == Format.CSV) {
        csv(reader, source);
      } else {
        PushbackReader pr = new PushbackReader(reader, 1);
        long[] skippedLines = new long[1];
        int first = skipBlank(pr, skippedLines);
        if (first >= 0) {
          pr.unread(first);
        }
        if (first == '[') {
          jsonArray(pr, source, skippedLines[0]);
        } else {
          jsonLines(new BufferedReader(pr, 1 << 16), source, skippedLines[0]);
        }
      }
    } catch (CharacterCodingException e) {
      throw new UserException(source + ": not valid UTF-8 text", e);
    } catch (IOException e) {
      throw new UserException("cannot read " + source + ": " + e.getMessage(), e);
    }
  }

  /** Skips a byte order mark and whitespace, counting the line breaks; returns the first other character or -1. */
  private static int skipBlank(PushbackReader r, long[] lines) throws IOException {
    int c;
    boolean start = true;
    while ((c = r.read()) >= 0) {
      if (start && c == '\uFEFF') {
        start = false;
        continue;
      }
      start = false;
      if (c == '\n') {
        lines[0]++;
      } else if (!Character.isWhitespace(c)) {
        return c;
      }
    }
    return -1;
  }

  private void jsonLines(BufferedReader r, String source, long skippedLines) throws IOException {
    String line;
    long lineNo = skippedLines;
    while ((line = r.readLine()) != null) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      RowSink.Origin origin = new RowSink.Origin(source, lineNo);
      try {
        sink.add(decoder.decodeText(line), origin);
      } catch (JsonRowDecoder.RowException e) {
        throw new UserException(origin + ": " + e.getMessage(), e);
      }
    }
  }

  /** A file holding one JSON array of row objects. */
  private void jsonArray(Reader r, String source, long skippedLines) throws IOException {
    try (JsonParser p = JsonRowDecoder.FACTORY.createParser(r)) {
      long line = skippedLines + 1;
      try {
        p.nextToken(); // START_ARRAY
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
          line = skippedLines + p.currentTokenLocation().getLineNr();
          if (t == null) {
            throw new JsonRowDecoder.RowException("", "unexpected end of the input inside the array");
          }
          sink.add(decoder.decodeRow(p), new RowSink.Origin(source, line));
        }
        if (p.nextToken() != null) {
          line = skippedLines + p.currentTokenLocation().getLineNr();
          throw new JsonRowDecoder.RowException("", "unexpected content after the JSON array");
        }
      } catch (JsonProcessingException e) {
        long at = e.getLocation() == null ? line : skippedLines + e.getLocation().getLineNr();
        throw new UserException(new RowSink.Origin(source, at) + ": " + JsonRowDecoder.malformed(e).getMessage(), e);
      } catch (JsonRowDecoder.RowException e) {
        throw new UserException(new RowSink.Origin(source, line) + ": " + e.getMessage(), e);
      }
    }
  }

  private void csv(Reader r, String source) throws IOException {
    try (CsvParser p = CSV.createParser(r)) {
      List<Field> columns = null;
      List<String> values = new ArrayList<>();
      long line = 1;
      try {
        JsonToken t;
        while ((t = p.nextToken()) != null) {
          switch (t) {
            case START_ARRAY:
              values.clear();
              break;
            case VALUE_STRING:
            case VALUE_NULL:
              if (values.isEmpty()) {
                // the row's line: where its first field starts (START_ARRAY's location is the previous row's)
                line = p.currentTokenLocation().getLineNr();
              }
              values.add(t == JsonToken.VALUE_NULL ? null : p.getText());
              break;
            case END_ARRAY:
              if (columns == null) {
                columns = header(values, source, line);
              } else {
                sink.add(csvRow(columns, values, source, line), new RowSink.Origin(source, line));
              }
              break;
            default:
              throw new UserException(new RowSink.Origin(source, line) + ": unexpected CSV content (" + t + ")");
          }
        }
      } catch (JsonProcessingException e) {
        long at = e.getLocation() == null ? line : e.getLocation().getLineNr();
        throw new UserException(new RowSink.Origin(source, at) + ": malformed CSV: "
            + e.getOriginalMessage().replaceAll("\\s+", " "), e);
      }
      if (columns == null) {
        throw new UserException(source + ": empty CSV file; the first line must be a header of column names");
      }
    }
  }

  private List<Field> header(List<String> names, String source, long line) {
    List<Field> columns = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    RowSink.Origin origin = new RowSink.Origin(source, line);
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i) == null ? "" : names.get(i).strip();
      if (i == 0 && name.startsWith("\uFEFF")) {
        name = name.substring(1);
      }
      if (name.isEmpty()) {
        throw new UserException(origin + ": empty column name in the CSV header (field " + (i + 1) + ")");
      }
      int index = schema.indexOf(name);
      if (index < 0) {
        throw new UserException(origin + ": unknown column '" + name + "' in the CSV header; the table has columns "
            + schema.fieldNames());
      }
      if (!seen.add(name)) {
        throw new UserException(origin + ": column '" + name + "' appears twice in the CSV header");
      }
      Field f = schema.fields().get(index);
      if (!(f.type() instanceof PrimitiveType || f.type() instanceof DecimalType)) {
        throw new UserException(origin + ": column '" + name + "' has type " + f.type().toText()
            + "; CSV input supports only primitive and decimal columns (use JSON Lines for nested values)");
      }
      columns.add(f);
    }
    for (Field f : schema.fields()) {
      if (!f.nullable() && !seen.contains(f.name())) {
        throw new UserException(origin + ": the CSV header lacks the not-null column '" + f.name() + "'");
      }
    }
    return columns;
  }

  private Map<String, Object> csvRow(List<Field> columns, List<String> values, String source, long line) {
    RowSink.Origin origin = new RowSink.Origin(source, line);
    if (values.size() != columns.size()) {
      throw new UserException(origin + ": expected " + columns.size() + " fields as in the header, found " + values.size());
    }
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      Field f = columns.get(i);
      String text = values.get(i);
      if (text == null) {
        if (!f.nullable()) {
          throw new UserException(origin + ": field '" + f.name() + "': empty value (null) in a not-null column");
        }
        row.put(f.name(), null);
        continue;
      }
      DataType type = f.type();
      try {
        row.put(f.name(), Values.parse(type, text));
      } catch (Values.ValueException e) {
        throw new UserException(origin + ": field '" + f.name() + "': " + e.getMessage(), e);
      }
    }
    return row;
  }
}
