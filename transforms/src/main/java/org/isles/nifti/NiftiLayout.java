package org.isles.nifti;

import static org.isles.nifti.NiftiLayout.Type.FLOAT32;
import static org.isles.nifti.NiftiLayout.Type.FLOAT64;
import static org.isles.nifti.NiftiLayout.Type.INT16;
import static org.isles.nifti.NiftiLayout.Type.INT32;
import static org.isles.nifti.NiftiLayout.Type.INT64;
import static org.isles.nifti.NiftiLayout.Type.TEXT;
import static org.isles.nifti.NiftiLayout.Type.UINT8;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Where NIfTI-1 and NIfTI-2 keep the header fields this codec uses: the same fields at other
 * offsets and widths (NIfTI-2 widens dims to int64, geometry to float64 and codes to int32).
 */
enum NiftiLayout {
  NIFTI1(1, 348, "n+1", "ni1"),
  NIFTI2(2, 540, "n+2", "ni2");

  /** Header fields with their place in each version: offset, type, element count. */
  enum Field {
    //           NIfTI-1                NIfTI-2
    DIM(         40, INT16, 8,          16, INT64, 8),
    INTENT_CODE( 68, INT16, 1,          504, INT32, 1),
    DATATYPE(    70, INT16, 1,          12, INT16, 1),
    BITPIX(      72, INT16, 1,          14, INT16, 1),
    PIXDIM(      76, FLOAT32, 8,        104, FLOAT64, 8),
    VOX_OFFSET(  108, FLOAT32, 1,       168, INT64, 1),
    SCL_SLOPE(   112, FLOAT32, 1,       176, FLOAT64, 1),
    SCL_INTER(   116, FLOAT32, 1,       184, FLOAT64, 1),
    XYZT_UNITS(  123, UINT8, 1,         500, INT32, 1),
    DESCRIP(     148, TEXT, 80,         240, TEXT, 80),
    QFORM_CODE(  252, INT16, 1,         344, INT32, 1),
    SFORM_CODE(  254, INT16, 1,         348, INT32, 1),
    /** quatern_b, quatern_c, quatern_d. */
    QUATERN(     256, FLOAT32, 3,       352, FLOAT64, 3),
    /** qoffset_x, qoffset_y, qoffset_z. */
    QOFFSET(     268, FLOAT32, 3,       376, FLOAT64, 3),
    /** srow_x, srow_y, srow_z, four values each. */
    SROW(        280, FLOAT32, 12,      400, FLOAT64, 12),
    MAGIC(       344, TEXT, 4,          4, TEXT, 8);

    private final Slot[] slots;

    Field(int offset1, Type type1, int count1, int offset2, Type type2, int count2) {
      slots = new Slot[] {new Slot(offset1, type1, count1), new Slot(offset2, type2, count2)};
    }
  }

  /** How a field is stored. */
  enum Type {
    UINT8(1), INT16(2), INT32(4), INT64(8), FLOAT32(4), FLOAT64(8), TEXT(1);

    final int width;

    Type(int width) {
      this.width = width;
    }
  }

  private record Slot(int offset, Type type, int count) {
    int position(int index) {
      if (index < 0 || index >= count) {
        throw new IndexOutOfBoundsException("element " + index + " of a field with " + count);
      }
      return offset + index * type.width;
    }
  }

  private final int version;
  private final int size;
  private final String singleFileMagic;
  private final String pairMagic;

  NiftiLayout(int version, int size, String singleFileMagic, String pairMagic) {
    this.version = version;
    this.size = size;
    this.singleFileMagic = singleFileMagic;
    this.pairMagic = pairMagic;
  }

  /** The layout whose sizeof_hdr is {@code size}, or null. */
  private static NiftiLayout ofSize(int size) {
    for (NiftiLayout layout : values()) {
      if (layout.size == size) {
        return layout;
      }
    }
    return null;
  }

  /** The layout whose sizeof_hdr opens {@code bytes} (at least 4) in either byte order, or null. */
  static NiftiLayout detect(byte[] bytes) {
    return ofSize(sizeofHdr(bytes, byteOrder(bytes)));
  }

  /** The byte order in which {@code bytes} open with a known sizeof_hdr; big-endian when neither does. */
  static ByteOrder byteOrder(byte[] bytes) {
    return ofSize(sizeofHdr(bytes, ByteOrder.LITTLE_ENDIAN)) != null ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
  }

  /** The first four bytes as an int in {@code order}. */
  static int sizeofHdr(byte[] bytes, ByteOrder order) {
    return ByteBuffer.wrap(bytes, 0, 4).order(order).getInt();
  }

  int version() {
    return version;
  }

  /** sizeof_hdr: 348 or 540. */
  int size() {
    return size;
  }

  /** The lowest data offset of a single file: the header plus its 4-byte extension flag. */
  int minimumVoxOffset() {
    return size + 4;
  }

  String singleFileMagic() {
    return singleFileMagic;
  }

  String pairMagic() {
    return pairMagic;
  }

  private Slot slot(Field field) {
    return field.slots[ordinal()];
  }

  /** Element {@code index} of an integer field; float fields are refused. */
  long integer(ByteBuffer b, Field field, int index) {
    Slot slot = slot(field);
    int at = slot.position(index);
    return switch (slot.type) {
      case UINT8 -> b.get(at) & 0xFF;
      case INT16 -> b.getShort(at);
      case INT32 -> b.getInt(at);
      case INT64 -> b.getLong(at);
      default -> throw new IllegalArgumentException(field + " is not an integer field in NIfTI-" + version);
    };
  }

  /** Element {@code index} of a numeric field, integer or float, as a double. */
  double number(ByteBuffer b, Field field, int index) {
    Slot slot = slot(field);
    int at = slot.position(index);
    return switch (slot.type) {
      case FLOAT32 -> b.getFloat(at);
      case FLOAT64 -> b.getDouble(at);
      default -> integer(b, field, index);
    };
  }

  /** Every element of a numeric field. */
  double[] numbers(ByteBuffer b, Field field) {
    double[] values = new double[slot(field).count];
    for (int n = 0; n < values.length; n++) {
      values[n] = number(b, field, n);
    }
    return values;
  }

  /** A text field up to its first NUL, as C reads it. */
  String text(ByteBuffer b, Field field) {
    Slot slot = slot(field);
    int end = 0;
    while (end < slot.count && b.get(slot.offset + end) != 0) {
      end++;
    }
    byte[] raw = new byte[end];
    b.get(slot.offset, raw);
    return new String(raw, StandardCharsets.ISO_8859_1);
  }

  /** Stores {@code value} as element {@code index} of a numeric field, in the field's type. */
  void put(ByteBuffer b, Field field, int index, double value) {
    Slot slot = slot(field);
    int at = slot.position(index);
    switch (slot.type) {
      case UINT8 -> b.put(at, (byte) value);
      case INT16 -> b.putShort(at, (short) value);
      case INT32 -> b.putInt(at, (int) value);
      case INT64 -> b.putLong(at, (long) value);
      case FLOAT32 -> b.putFloat(at, (float) value);
      case FLOAT64 -> b.putDouble(at, value);
      case TEXT -> throw new IllegalArgumentException(field + " is a text field");
    }
  }

  void putText(ByteBuffer b, Field field, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
    Slot slot = slot(field);
    if (bytes.length > slot.count) {
      throw new IllegalArgumentException(field + " holds " + slot.count + " characters, not '" + text + "'");
    }
    b.put(slot.offset, bytes);
  }
}
