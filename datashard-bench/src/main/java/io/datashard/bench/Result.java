package io.datashard.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a child task reports: one line {@code RESULT key=value ...} on stdout (values without
 * spaces). Timings are seconds as decimals; counts and checksums are integers.
 */
record Result(Map<String, String> values) {
  static final String PREFIX = "RESULT ";

  Result {
    values = Map.copyOf(values);
  }

  static Result of(Object... keyValues) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      m.put(String.valueOf(keyValues[i]), String.valueOf(keyValues[i + 1]));
    }
    return new Result(m);
  }

  /** Parses the text after {@link #PREFIX}. */
  static Result parse(String line) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String part : line.strip().split("\\s+")) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("malformed result entry '" + part + "' in: " + line);
      }
      m.put(part.substring(0, eq), part.substring(eq + 1));
    }
    return new Result(m);
  }

  String format() {
    StringBuilder sb = new StringBuilder(PREFIX);
    values.forEach((k, v) -> sb.append(k).append('=').append(v.replace(' ', '_')).append(' '));
    return sb.toString().strip();
  }

  double dbl(String key) {
    return Double.parseDouble(require(key));
  }

  long lng(String key) {
    return Long.parseLong(require(key));
  }

  private String require(String key) {
    String v = values.get(key);
    if (v == null) {
      throw new IllegalStateException("child result lacks '" + key + "': " + values);
    }
    return v;
  }
}
