package org.isles.synth;

import org.isles.nifti.NiftiDatatype;

/**
 * How a synthetic image is stored on disk: a NIfTI datatype and the scl_slope / scl_inter that
 * map stored integers to values. Slopes are powers of two and intercepts multiples of the slope,
 * so quantized values, and the background's exact 0, survive the float32 header fields.
 */
public record ImageEncoding(NiftiDatatype datatype, double slope, double inter) {
  public static final ImageEncoding FLOAT32 = new ImageEncoding(NiftiDatatype.FLOAT32, 1, 0);
  public static final ImageEncoding INT16 = new ImageEncoding(NiftiDatatype.INT16, 1, 0);
  /** int16 with a fractional slope and an intercept, as some scanners' exports carry. */
  public static final ImageEncoding INT16_SCALED = new ImageEncoding(NiftiDatatype.INT16, 0.5, -16);
  public static final ImageEncoding UINT8 = new ImageEncoding(NiftiDatatype.UINT8, 1, 0);

  /** The value a reader gets back after {@code value} is written in this encoding. */
  public float quantize(double value) {
    if (!datatype.isInteger()) {
      return (float) value;
    }
    double stored = Math.rint((value - inter) / slope);
    return (float) (Math.min(datatype.max(), Math.max(datatype.min(), stored)) * slope + inter);
  }
}
