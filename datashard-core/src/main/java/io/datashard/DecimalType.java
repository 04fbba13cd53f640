package io.datashard;

/**
 * A fixed-point decimal with {@code precision} total digits, {@code scale} of them after the point;
 * Java {@link java.math.BigDecimal} with exactly {@code scale}.
 *
 * @param precision total number of digits, 1 to 38
 * @param scale digits after the decimal point, 0 to {@code precision}
 */
public record DecimalType(int precision, int scale) implements DataType {
  /** The largest precision Delta supports. */
  public static final int MAX_PRECISION = 38;

  /** Validates the precision and scale. */
  public DecimalType {
    if (precision < 1 || precision > MAX_PRECISION) {
      throw new IllegalArgumentException("decimal precision must be 1.." + MAX_PRECISION + ", got " + precision);
    }
    if (scale < 0 || scale > precision) {
      throw new IllegalArgumentException("decimal scale must be 0.." + precision + ", got " + scale);
    }
  }

  @Override
  public String toText() {
    return "decimal(" + precision + "," + scale + ")";
  }

  @Override
  public boolean isOrderable() {
    return true;
  }
}
