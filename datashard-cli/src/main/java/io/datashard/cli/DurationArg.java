package io.datashard.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations given on the command line: {@code 7d}, {@code 36h}, {@code 90m}, {@code 30s}, {@code 0} or ISO-8601 ({@code PT1H}). */
final class DurationArg {
  private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(d|h|m|s|ms)?");

  private DurationArg() {}

  static Duration parse(String option, String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = SIMPLE.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? (n == 0 ? "s" : "") : m.group(2);
      switch (unit) {
        case "d": return Duration.ofDays(n);
        case "h": return Duration.ofHours(n);
        case "m": return Duration.ofMinutes(n);
        case "s": return Duration.ofSeconds(n);
        case "ms": return Duration.ofMillis(n);
        default: break;
      }
    }
    try {
      return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      throw new UserException(option + " must be a duration such as 7d, 36h, 90m, 30s or PT1H, got '" + text + "'");
    }
  }
}
