package io.datashard.internal.log;

import java.util.OptionalLong;

/** Names of files in {@code _delta_log/}. */
public final class LogFiles {
  public static final String LOG_DIR = "_delta_log";
  public static final String LAST_CHECKPOINT = LOG_DIR + "/_last_checkpoint";

  private LogFiles() {}

  /** The commit file of a version, e.g. {@code _delta_log/00000000000000000007.json}. */
  public static String commit(long version) {
    return LOG_DIR + "/" + padded(version) + ".json";
  }

  /** The version zero-padded to 20 digits (String.format is too slow for the commit path). */
  static String padded(long version) {
    String digits = Long.toString(version);
    return "00000000000000000000".substring(digits.length()) + digits;
  }

  /** The version of a commit file name ({@code 00000000000000000007.json}), if it is one. */
  public static OptionalLong commitVersion(String name) {
    if (name.length() != 25 || !name.endsWith(".json")) {
      return OptionalLong.empty();
    }
    for (int i = 0; i < 20; i++) {
      if (!Character.isDigit(name.charAt(i))) {
        return OptionalLong.empty();
      }
    }
    return OptionalLong.of(Long.parseLong(name.substring(0, 20)));
  }

  /** The version of a checkpoint file name ({@code N.checkpoint.parquet}, multi-part or v2), if it is one. */
  public static OptionalLong checkpointVersion(String name) {
    if (name.length() < 32 || name.charAt(20) != '.' || !name.startsWith("checkpoint", 21)) {
      return OptionalLong.empty();
    }
    for (int i = 0; i < 20; i++) {
      if (!Character.isDigit(name.charAt(i))) {
        return OptionalLong.empty();
      }
    }
    return OptionalLong.of(Long.parseLong(name.substring(0, 20)));
  }
}
