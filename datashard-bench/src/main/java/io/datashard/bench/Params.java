package io.datashard.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code key=value} arguments of a workload or a child task, with typed getters. */
final class Params {
  private final Map<String, String> values;

  Params(Map<String, String> values) {
    this.values = new LinkedHashMap<>(values);
  }

  /** Parses {@code key=value} arguments; anything else is a usage error. */
  static Params parse(List<String> args) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("expected key=value, got '" + a + "'");
      }
      m.put(a.substring(0, eq), a.substring(eq + 1));
    }
    return new Params(m);
  }

  Params with(String key, Object value) {
    Params p = new Params(values);
    p.values.put(key, String.valueOf(value));
    return p;
  }

  /** Fills in defaults for the keys not given. */
  Params withDefaults(Map<String, String> defaults) {
    Params p = new Params(defaults);
    p.values.putAll(values);
    return p;
  }

  String str(String key) {
    String v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException("missing parameter " + key);
    }
    return v;
  }

  long lng(String key) {
    String v = str(key).replace("_", "").replace(",", "");
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("parameter " + key + " must be an integer, got '" + v + "'", e);
    }
  }

  int integer(String key) {
    return Math.toIntExact(lng(key));
  }

  /** A comma-separated list of integers, e.g. {@code versions=100,10000}. */
  List<Long> longs(String key) {
    List<Long> out = new ArrayList<>();
    for (String part : str(key).split(",")) {
      out.add(new Params(Map.of("v", part.strip())).lng("v"));
    }
    return out;
  }

  boolean has(String key) {
    return values.containsKey(key);
  }

  Map<String, String> asMap() {
    return Map.copyOf(values);
  }

  /** As {@code key=value} arguments for a child process. */
  List<String> toArgs() {
    List<String> out = new ArrayList<>();
    values.forEach((k, v) -> out.add(k + "=" + v));
    return out;
  }

  @Override
  public String toString() {
    return String.join(" ", toArgs());
  }
}
