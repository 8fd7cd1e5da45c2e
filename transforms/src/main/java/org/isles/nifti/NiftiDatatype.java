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
   * Reads {@code count} voxels from {@code raw} (positioned at the first, in the file's byte
   * order) into {@code out[0..count)}, unscaled.
   */
  void decode(ByteBuffer raw, double[] out, int count) {
    switch (this) {
      case UINT8 -> {
        for (int n = 0; n < count; n++) {
          out[n] = raw.get() & 0xFF;
        }
      }
      case INT8 -> {
        for (int n = 0; n < count; n++) {
          out[n] = raw.get();
        }
      }
      case INT16 -> {
        for (int n = 0; n < count; n++) {
          out[n] = raw.getShort();
        }
      }
      case UINT16 -> {
        for (int n = 0; n < count; n++) {
          out[n] = raw.getShort() & 0xFFFF;
        }
      }
      case INT32 -> {
        for (int n = 0; n < count; n++) {
          out[n] = raw.getInt();
        }
      }
      case UINT32 -> {
        for (int n = 0; n < count; n++) {
          out[n] = raw.getInt() & 0xFFFFFFFFL;
        }
      }
      case INT64 -> {
        for (int n = 0; n < count; n++) {
          out[n] = raw.getLong();
        }
      }
      case FLOAT32 -> {
        for (int n = 0; n < count; n++) {
          out[n] = raw.getFloat();
        }
      }
      case FLOAT64 -> {
        for (int n = 0; n < count; n++) {
          out[n] = raw.getDouble();
        }
      }
    }
  }

  /**
   * Writes {@code values[from..to)} into {@code raw} (in its byte order) as this type, storing
   * {@code (value - inter) / slope}; integer types round half to even and clip to their range
   * (infinities become its ends) and store NaN as the value that reads back as 0, nibabel's
   * nan2zero. Whether an integer type may receive NaN or infinities is the caller's decision.
   */
  void encode(float[] values, int from, int to, double slope, double inter, ByteBuffer raw) {
    boolean identity = slope == 1 && inter == 0;
    double zero = Math.rint(Math.max(min, Math.min(max, -inter / slope)));
    for (int n = from; n < to; n++) {
      float value = values[n];
      double stored = identity ? value : (value - inter) / slope;
      switch (this) {
        case FLOAT32 -> raw.putFloat((float) stored);
        case FLOAT64 -> raw.putDouble(stored);
        default -> {
          long rounded = (long) (Double.isNaN(stored) ? zero : Math.rint(Math.max(min, Math.min(max, stored))));
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
