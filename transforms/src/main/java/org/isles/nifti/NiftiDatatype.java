package org.isles.nifti;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The voxel types this codec reads and writes, with their NIfTI codes. Decoding turns raw voxels
 * into doubles, which hold every supported type exactly except int64 beyond 2^53.
 */
public enum NiftiDatatype {
  UINT8(2, 1, 0, 255),
  INT8(256, 1, Byte.MIN_VALUE, Byte.MAX_VALUE),
  INT16(4, 2, Short.MIN_VALUE, Short.MAX_VALUE),
  UINT16(512, 2, 0, 65535),
  INT32(8, 4, Integer.MIN_VALUE, Integer.MAX_VALUE),
  UINT32(768, 4, 0, 4294967295.0),
  INT64(1024, 8, Long.MIN_VALUE, Long.MAX_VALUE),
  FLOAT32(16, 4, -Float.MAX_VALUE, Float.MAX_VALUE),
  FLOAT64(64, 8, -Double.MAX_VALUE, Double.MAX_VALUE);

  private final int code;
  private final int bytes;
  private final double min;
  private final double max;

  NiftiDatatype(int code, int bytes, double min, double max) {
    this.code = code;
    this.bytes = bytes;
    this.min = min;
    this.max = max;
  }

  /** The type with NIfTI code {@code code}; {@code source} names the file for the error. */
  public static NiftiDatatype fromCode(int code, String source) {
    for (NiftiDatatype type : values()) {
      if (type.code == code) {
        return type;
      }
    }
    throw new NiftiException("unsupported datatype " + code + " in " + source);
  }

  /** The type named as nibabel/numpy spell it ("float32", "int16", ...), case-insensitive. */
  public static NiftiDatatype fromName(String name) {
    for (NiftiDatatype type : values()) {
      if (type.displayName().equalsIgnoreCase(name)) {
        return type;
      }
    }
    throw new IllegalArgumentException("unknown NIfTI datatype '" + name + "' (expected one of "
        + Arrays.stream(values()).map(NiftiDatatype::displayName).collect(Collectors.joining(", ")) + ")");
  }

  public int code() {
    return code;
  }

  public int bytes() {
    return bytes;
  }

  public int bitpix() {
    return 8 * bytes;
  }

  public boolean isInteger() {
    return this != FLOAT32 && this != FLOAT64;
  }

  /** Lowest and highest storable values. */
  public double min() {
    return min;
  }

  public double max() {
    return max;
  }

  /** The numpy name, e.g. "int16". */
  public String displayName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Reads {@code count} voxels from {@code raw} (positioned at the first voxel, in the file's byte
   * order) into {@code out[0..count)}, applying {@code value * slope + inter} when {@code scaled}.
   */
  void decode(ByteBuffer raw, double[] out, int count, boolean scaled, double slope, double inter) {
    switch (this) {
      case UINT8, INT8 -> {
        byte[] values = new byte[count];
        raw.get(values);
        boolean unsigned = this == UINT8;
        for (int n = 0; n < count; n++) {
          out[n] = unsigned ? values[n] & 0xFF : values[n];
        }
      }
      case INT16, UINT16 -> {
        short[] values = new short[count];
        raw.asShortBuffer().get(values);
        boolean unsigned = this == UINT16;
        for (int n = 0; n < count; n++) {
          out[n] = unsigned ? values[n] & 0xFFFF : values[n];
        }
      }
      case INT32, UINT32 -> {
        int[] values = new int[count];
        raw.asIntBuffer().get(values);
        boolean unsigned = this == UINT32;
        for (int n = 0; n < count; n++) {
          out[n] = unsigned ? values[n] & 0xFFFFFFFFL : values[n];
        }
      }
      case INT64 -> {
        long[] values = new long[count];
        raw.asLongBuffer().get(values);
        for (int n = 0; n < count; n++) {
          out[n] = values[n];
        }
      }
      case FLOAT32 -> {
        float[] values = new float[count];
        raw.asFloatBuffer().get(values);
        for (int n = 0; n < count; n++) {
          out[n] = values[n];
        }
      }
      case FLOAT64 -> raw.asDoubleBuffer().get(out, 0, count);
    }
    if (scaled) {
      for (int n = 0; n < count; n++) {
        out[n] = out[n] * slope + inter;
      }
    }
  }

  /**
   * Writes {@code values} into {@code raw} (in its byte order) as this type, storing {@code (value
   * - inter) / slope}; integer types round half to even and clip to their range, NaN becomes 0.
   */
  void encode(float[] values, double slope, double inter, ByteBuffer raw) {
    boolean identity = slope == 1 && inter == 0;
    if (identity && this == FLOAT32) {
      raw.asFloatBuffer().put(values);
      raw.position(raw.position() + values.length * bytes);
      return;
    }
    for (float value : values) {
      double stored = identity ? value : (value - inter) / slope;
      switch (this) {
        case FLOAT32 -> raw.putFloat((float) stored);
        case FLOAT64 -> raw.putDouble(stored);
        default -> {
          long rounded = Double.isNaN(stored) ? 0 : (long) Math.rint(Math.max(min, Math.min(max, stored)));
          switch (bytes) {
            case 1 -> raw.put((byte) rounded);
            case 2 -> raw.putShort((short) rounded);
            case 4 -> raw.putInt((int) rounded);
            default -> raw.putLong(rounded);
          }
        }
      }
    }
  }
}
