package io.datashard;

/**
 * A row does not fit the table schema: a missing required value, a value of the wrong type, an
 * unknown column, a decimal that does not fit. Thrown before anything is written.
 */
public class InvalidRowException extends DataShardException {
  private static final long serialVersionUID = 1L;
  private final long rowIndex;
  private final String fieldPath;
  private final String problem;

  /**
   * @param rowIndex 0-based index of the row in the write, or -1 if unknown
   * @param fieldPath dotted path of the offending field ({@code loc.lat}, {@code tags[3]}), or empty
   * @param problem what is wrong
   */
  public InvalidRowException(long rowIndex, String fieldPath, String problem) {
    super(describe(rowIndex, fieldPath, problem));
    this.rowIndex = rowIndex;
    this.fieldPath = fieldPath;
    this.problem = problem;
  }

  private static String describe(long rowIndex, String fieldPath, String problem) {
    StringBuilder sb = new StringBuilder();
    if (rowIndex >= 0) {
      sb.append("row ").append(rowIndex);
    }
    if (!fieldPath.isEmpty()) {
      sb.append(sb.length() > 0 ? ", " : "").append("field '").append(fieldPath).append('\'');
    }
    return sb.length() > 0 ? sb.append(": ").append(problem).toString() : problem;
  }

  /** 0-based index of the row within the write, or -1 if unknown. */
  public long rowIndex() {
    return rowIndex;
  }

  /** Dotted path of the offending field, or empty. */
  public String fieldPath() {
    return fieldPath;
  }

  /** What is wrong, without the row and field prefix of the message. */
  public String problem() {
    return problem;
  }
}
