package org.isles.nifti;

import java.nio.ByteBuffer;

/** A NIfTI-2 header: 540 bytes, 64-bit dims and float64 geometry. Read-only here. */
public final class Nifti2Header extends NiftiHeader {
  static final int SIZE = 540;

  private static final int MAGIC = 4;
  private static final int DATATYPE = 12;
  private static final int BITPIX = 14;
  private static final int DIM = 16;
  private static final int PIXDIM = 104;
  private static final int VOX_OFFSET = 168;
  private static final int SCL_SLOPE = 176;
  private static final int SCL_INTER = 184;
  private static final int DESCRIP = 240;
  private static final int QFORM_CODE = 344;
  private static final int SFORM_CODE = 348;
  private static final int QUATERN_B = 352;
  private static final int QOFFSET_X = 376;
  private static final int SROW_X = 400;
  private static final int XYZT_UNITS = 500;
  private static final int INTENT_CODE = 504;

  Nifti2Header(ByteBuffer bytes, String source) {
    super(bytes, source);
  }

  @Override
  public int version() {
    return 2;
  }

  @Override
  public int headerSize() {
    return SIZE;
  }

  @Override
  String singleFileMagic() {
    return "n+2";
  }

  @Override
  String pairMagic() {
    return "ni2";
  }

  @Override
  String magic() {
    return string(MAGIC, 8);
  }

  @Override
  long rawDim(int n) {
    return bytes().getLong(DIM + 8 * n);
  }

  @Override
  double rawPixdim(int n) {
    return bytes().getDouble(PIXDIM + 8 * n);
  }

  @Override
  long rawVoxOffset() {
    return bytes().getLong(VOX_OFFSET);
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
    return bytes().getDouble(SCL_SLOPE);
  }

  @Override
  public double sclInter() {
    return bytes().getDouble(SCL_INTER);
  }

  @Override
  int rawQformCode() {
    return bytes().getInt(QFORM_CODE);
  }

  @Override
  int rawSformCode() {
    return bytes().getInt(SFORM_CODE);
  }

  @Override
  public double quaternB() {
    return bytes().getDouble(QUATERN_B);
  }

  @Override
  public double quaternC() {
    return bytes().getDouble(QUATERN_B + 8);
  }

  @Override
  public double quaternD() {
    return bytes().getDouble(QUATERN_B + 16);
  }

  @Override
  public double[] qoffset() {
    return new double[] {bytes().getDouble(QOFFSET_X), bytes().getDouble(QOFFSET_X + 8), bytes().getDouble(QOFFSET_X + 16)};
  }

  @Override
  public double[][] srow() {
    double[][] srow = new double[3][4];
    for (int n = 0; n < 12; n++) {
      srow[n / 4][n % 4] = bytes().getDouble(SROW_X + 8 * n);
    }
    return srow;
  }

  @Override
  public int xyztUnits() {
    return bytes().getInt(XYZT_UNITS);
  }

  @Override
  public int intentCode() {
    return bytes().getInt(INTENT_CODE);
  }

  @Override
  public String descrip() {
    return string(DESCRIP, 80);
  }
}
