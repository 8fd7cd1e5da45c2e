package org.isles.nifti;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.isles.volume.Grid;

/** A NIfTI-1 header: 348 bytes, 16-bit dims and float32 geometry. */
public final class Nifti1Header extends NiftiHeader {
  static final int SIZE = 348;

  private static final int DIM = 40;
  private static final int INTENT_CODE = 68;
  private static final int DATATYPE = 70;
  private static final int BITPIX = 72;
  private static final int PIXDIM = 76;
  private static final int VOX_OFFSET = 108;
  private static final int SCL_SLOPE = 112;
  private static final int SCL_INTER = 116;
  private static final int XYZT_UNITS = 123;
  private static final int DESCRIP = 148;
  private static final int QFORM_CODE = 252;
  private static final int SFORM_CODE = 254;
  private static final int QUATERN_B = 256;
  private static final int QOFFSET_X = 268;
  private static final int SROW_X = 280;
  private static final int MAGIC = 344;
  private static final int UNITS_MM = 2;
  /** NIFTI_XFORM_SCANNER_ANAT: what nibabel writes for an image's own affine. */
  private static final int XFORM_SCANNER = 1;

  Nifti1Header(ByteBuffer bytes, String source) {
    super(bytes, source);
  }

  /**
   * The little-endian single-file header nibabel would write for {@code grid} stored as {@code
   * type} with the given scaling: qform and sform both from the grid's affine (code 1), pixdim
   * from its column lengths, units mm.
   */
  public static Nifti1Header forGrid(Grid grid, NiftiDatatype type, double slope, double inter, String source) {
    ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0, SIZE);
    int[] shape = grid.shape();
    for (int size : shape) {
      if (size > Short.MAX_VALUE) {
        throw new NiftiException("cannot write " + source + ": dimension " + size + " exceeds NIfTI-1's limit of "
            + Short.MAX_VALUE);
      }
    }
    short[] dim = {3, (short) shape[0], (short) shape[1], (short) shape[2], 1, 1, 1, 1};
    for (int n = 0; n < dim.length; n++) {
      b.putShort(DIM + 2 * n, dim[n]);
    }
    b.putShort(DATATYPE, (short) type.code());
    b.putShort(BITPIX, (short) type.bitpix());
    double[] affine = grid.affine();
    Qform qform = Qform.fromAffine(affine);
    float[] pixdim = {(float) qform.qfac(), (float) qform.zooms()[0], (float) qform.zooms()[1],
        (float) qform.zooms()[2], 1, 1, 1, 1};
    for (int n = 0; n < pixdim.length; n++) {
      b.putFloat(PIXDIM + 4 * n, pixdim[n]);
    }
    b.putFloat(VOX_OFFSET, SIZE + 4);
    b.putFloat(SCL_SLOPE, (float) slope);
    b.putFloat(SCL_INTER, (float) inter);
    b.put(XYZT_UNITS, (byte) UNITS_MM);
    b.putShort(QFORM_CODE, (short) XFORM_SCANNER);
    b.putShort(SFORM_CODE, (short) XFORM_SCANNER);
    double[] quaternion = {qform.b(), qform.c(), qform.d()};
    for (int n = 0; n < 3; n++) {
      b.putFloat(QUATERN_B + 4 * n, (float) quaternion[n]);
      b.putFloat(QOFFSET_X + 4 * n, (float) qform.offset()[n]);
    }
    for (int n = 0; n < 12; n++) {
      b.putFloat(SROW_X + 4 * n, (float) affine[n]);
    }
    b.put(MAGIC, "n+1".getBytes(StandardCharsets.US_ASCII));
    return new Nifti1Header(b, source);
  }

  @Override
  public int version() {
    return 1;
  }

  @Override
  public int headerSize() {
    return SIZE;
  }

  @Override
  String singleFileMagic() {
    return "n+1";
  }

  @Override
  String pairMagic() {
    return "ni1";
  }

  @Override
  String magic() {
    return string(MAGIC, 4);
  }

  @Override
  long rawDim(int n) {
    return bytes().getShort(DIM + 2 * n);
  }

  @Override
  double rawPixdim(int n) {
    return bytes().getFloat(PIXDIM + 4 * n);
  }

  @Override
  long rawVoxOffset() {
    return (long) bytes().getFloat(VOX_OFFSET);
  }

  @Override
  public int datatypeCode() {
    return bytes().getShort(DATATYPE);
  }

  @Override
  public int bitpix() {
    return bytes().getShort(BITPIX);
  }

  @Override
  public double sclSlope() {
    return bytes().getFloat(SCL_SLOPE);
  }

  @Override
  public double sclInter() {
    return bytes().getFloat(SCL_INTER);
  }

  @Override
  int rawQformCode() {
    return bytes().getShort(QFORM_CODE);
  }

  @Override
  int rawSformCode() {
    return bytes().getShort(SFORM_CODE);
  }

  @Override
  public double quaternB() {
    return bytes().getFloat(QUATERN_B);
  }

  @Override
  public double quaternC() {
    return bytes().getFloat(QUATERN_B + 4);
  }

  @Override
  public double quaternD() {
    return bytes().getFloat(QUATERN_B + 8);
  }

  @Override
  public double[] qoffset() {
    return new double[] {bytes().getFloat(QOFFSET_X), bytes().getFloat(QOFFSET_X + 4), bytes().getFloat(QOFFSET_X + 8)};
  }

  @Override
  public double[][] srow() {
    double[][] srow = new double[3][4];
    for (int n = 0; n < 12; n++) {
      srow[n / 4][n % 4] = bytes().getFloat(SROW_X + 4 * n);
    }
    return srow;
  }

  @Override
  public int xyztUnits() {
    return bytes().get(XYZT_UNITS) & 0xFF;
  }

  @Override
  public int intentCode() {
    return bytes().getShort(INTENT_CODE);
  }

  @Override
  public String descrip() {
    return string(DESCRIP, 80);
  }
}
