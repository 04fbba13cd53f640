package io.datashard;

import java.util.List;

/**
 * The result of {@link Table#verify(boolean)}.
 *
 * @param version the latest version verified
 * @param deep whether every row was read
 * @param versionsChecked commits replayed
 * @param checkpointsChecked checkpoints compared with the replayed state
 * @param checksumsChecked version checksum files ({@code N.crc}) compared with the replayed state
 * @param filesChecked data files checked (existence, size, footer, row count)
 * @param rowsRead rows read (only with {@code deep})
 * @param errors problems that make the table wrong or unreadable, each naming version and file
 * @param warnings harmless findings (e.g. a checksum file torn by a crash)
 */
public record VerifyReport(long version, boolean deep, long versionsChecked, long checkpointsChecked,
    long checksumsChecked, long filesChecked, long rowsRead, List<String> errors, List<String> warnings) {

  /** Copies the lists. */
  public VerifyReport {
    errors = List.copyOf(errors);
    warnings = List.copyOf(warnings);
  }

  /** True when no error was found. */
  public boolean isClean() {
    return errors.isEmpty();
  }
}
