package io.datashard.internal.table;

import io.datashard.internal.log.Action.CommitInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Builds the {@code commitInfo} of DataShard's commits. */
public final class CommitInfos {
  static final String ENGINE = "DataShard/" + version();

  private CommitInfos() {}

  /**
   * @param operation Delta's operation name ({@code WRITE}, {@code CREATE TABLE} ...)
   * @param parameters operation parameters (JSON-text values, as Delta writes them)
   * @param blindAppend whether the commit only adds files without reading the table
   * @param readVersion the version the transaction read, or -1 for a new table
   */
  public static CommitInfo create(String operation, Map<String, Object> parameters, boolean blindAppend, long timestamp,
      long readVersion) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("timestamp", timestamp);
    f.put("operation", operation);
    f.put("operationParameters", parameters);
    if (readVersion >= 0) {
      f.put("readVersion", readVersion);
    }
    f.put("isolationLevel", "WriteSerializable");
    f.put("isBlindAppend", blindAppend);
    f.put("engineInfo", ENGINE);
    // The unique commit token: lets a writer whose outcome is unknown find its commit in the log.
    f.put("txnId", UUID.randomUUID().toString());
    return new CommitInfo(f);
  }

  private static String version() {
    String v = CommitInfos.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
