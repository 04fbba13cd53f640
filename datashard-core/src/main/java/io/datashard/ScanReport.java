package io.datashard;

import java.time.Duration;

/**
 * What a scan did, from {@link Scan#explain()}: how much of the table its predicate let it skip and
 * what it read.
 *
 * @param version the snapshot version read
 * @param filesTotal data files in the snapshot (in the transaction's view, for a transaction's scan)
 * @param filesSkipped files not opened because partition values or file statistics excluded them
 * @param rowGroupsTotal Parquet row groups in the files opened
 * @param rowGroupsSkipped row groups not read because column statistics, dictionaries or bloom
 *     filters excluded them
 * @param bytesRead bytes read from data files, footers included
 * @param rowsReturned rows the scan returned
 * @param duration how long the scan took
 */
public record ScanReport(long version, long filesTotal, long filesSkipped, long rowGroupsTotal,
    long rowGroupsSkipped, long bytesRead, long rowsReturned, Duration duration) {

  /**
   * The report as one line of JSON with the counters first: {@code {"filesTotal":..,"filesSkipped":..,
   * "rowGroupsTotal":..,"rowGroupsSkipped":..,"bytesRead":..,"rowsReturned":..,"version":..,"durationMs":..}}.
   */
  public String toJson() {
    return "{\"filesTotal\":" + filesTotal + ",\"filesSkipped\":" + filesSkipped + ",\"rowGroupsTotal\":"
        + rowGroupsTotal + ",\"rowGroupsSkipped\":" + rowGroupsSkipped + ",\"bytesRead\":" + bytesRead
        + ",\"rowsReturned\":" + rowsReturned + ",\"version\":" + version + ",\"durationMs\":"
        + duration.toMillis() + "}";
  }
}
