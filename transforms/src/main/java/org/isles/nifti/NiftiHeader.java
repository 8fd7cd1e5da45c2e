package org.isles.nifti;

import static org.isles.nifti.NiftiLayout.Field.BITPIX;
import static org.isles.nifti.NiftiLayout.Field.DATATYPE;
import static org.isles.nifti.NiftiLayout.Field.DESCRIP;
import static org.isles.nifti.NiftiLayout.Field.DIM;
import static org.isles.nifti.NiftiLayout.Field.INTENT_CODE;
import static org.isles.nifti.NiftiLayout.Field.MAGIC;
import static org.isles.nifti.NiftiLayout.Field.PIXDIM;
import static org.isles.nifti.NiftiLayout.Field.QFORM_CODE;
import static org.isles.nifti.NiftiLayout.Field.QOFFSET;
import static org.isles.nifti.NiftiLayout.Field.QUATERN;
import static org.isles.nifti.NiftiLayout.Field.SCL_INTER;
import static org.isles.nifti.NiftiLayout.Field.SCL_SLOPE;
import static org.isles.nifti.NiftiLayout.Field.SFORM_CODE;
import static org.isles.nifti.NiftiLayout.Field.SROW;
import static org.isles.nifti.NiftiLayout.Field.VOX_OFFSET;
import static org.isles.nifti.NiftiLayout.Field.XYZT_UNITS;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.isles.volume.Grid;

/**
 * An immutable NIfTI-1 or NIfTI-2 header, decoded once through {@link NiftiLayout} and checked
 * before any voxel is read. {@link #parse} detects the version and byte order from
 * {@code sizeof_hdr} (348 or 540, read both ways), accepts only single-file images and refuses,
 * with the reason, what nibabel refuses and more (see the package documentation for the rules).
 * Values are reported as nibabel reports them after loading, with its load-time repairs made here
 * and nowhere else: qfac, non-positive pixdim, unknown xform codes, an unset vox_offset.
 */
public final class NiftiHeader {
  /** CIFTI-2 intent codes (3000-3099) mark a NIfTI-2 container around surface/grayordinate data. */
  private static final int CIFTI_FIRST_INTENT = 3000;

  private static final int CIFTI_LAST_INTENT = 3099;

  /** NIFTI_XFORM_TEMPLATE_OTHER, the highest code nibabel accepts. */
  private static final int MAX_XFORM_CODE = 5;

  /**
   * The most header and extension bytes before the voxels (vox_offset) this reader accepts: real
   * extensions (DICOM headers, CIFTI XML) are kilobytes to a few megabytes.
   */
  static final long MAX_VOX_OFFSET = 1L << 28;

  /** xyzt_units the writer stores: millimetres. */
  private static final int UNITS_MM = 2;

  /** NIFTI_XFORM_SCANNER_ANAT: what nibabel writes for an image's own affine. */
  private static final int XFORM_SCANNER = 1;

  private final NiftiLayout layout;
  private final ByteOrder byteOrder;
  private final String source;
  /** The header as stored (sizeof_hdr bytes), for writing. */
  private final byte[] stored;
  private final long[] dims;
  private final NiftiDatatype datatype;
  private final int bitpix;
  private final double[] pixdim;
  private final long voxOffset;
  private final double sclSlope;
  private final double sclInter;
  private final int xyztUnits;
  private final int intentCode;
  private final String descrip;
  private final int qformCode;
  private final int sformCode;
  private final double[] quatern;
  private final double[] qoffset;
  private final double[] srow;
  private final double[] affine;

  private NiftiHeader(NiftiLayout layout, ByteBuffer b, String source) {
    this.layout = layout;
    this.byteOrder = b.order();
    this.source = source;
    this.stored = Arrays.copyOf(b.array(), layout.size());
    checkMagic(layout.text(b, MAGIC));
    this.intentCode = (int) layout.integer(b, INTENT_CODE, 0);
    if (intentCode >= CIFTI_FIRST_INTENT && intentCode <= CIFTI_LAST_INTENT) {
      throw new NiftiException(source + " is a CIFTI-2 file (intent code " + intentCode + "), not a volume image");
    }
    this.dims = checkedDims(layout, b);
    this.datatype = NiftiDatatype.fromCode((int) layout.integer(b, DATATYPE, 0), source);
    this.bitpix = (int) layout.integer(b, BITPIX, 0);
    if (bitpix != datatype.bitpix()) {
      throw new NiftiException("bitpix " + bitpix + " disagrees with datatype " + datatype.code() + " ("
          + datatype.displayName() + " has " + datatype.bitpix() + " bits) in " + source);
    }
    this.voxOffset = checkedVoxOffset(layout.number(b, VOX_OFFSET, 0));
    this.sclSlope = layout.number(b, SCL_SLOPE, 0);
    this.sclInter = layout.number(b, SCL_INTER, 0);
    if (isScaled() && !Double.isFinite(sclInter)) {
      throw new NiftiException("invalid scl_inter " + sclInter + " with scl_slope " + sclSlope + " in " + source);
    }
    this.pixdim = repairedPixdim(layout.numbers(b, PIXDIM));
    this.xyztUnits = (int) layout.integer(b, XYZT_UNITS, 0);
    this.descrip = layout.text(b, DESCRIP);
    this.qformCode = knownXformCode(layout.integer(b, QFORM_CODE, 0));
    this.sformCode = knownXformCode(layout.integer(b, SFORM_CODE, 0));
    this.quatern = layout.numbers(b, QUATERN);
    this.qoffset = layout.numbers(b, QOFFSET);
    this.srow = layout.numbers(b, SROW);
    this.affine = checkedAffine(b);
  }

  /**
   * Reads and checks the header at the start of {@code bytes}, which may extend past it.
   *
   * @param source names the file in error messages
   */
  public static NiftiHeader parse(byte[] bytes, String source) {
    if (bytes.length < 4) {
      throw new NiftiException("truncated file " + source + ": " + bytes.length + " bytes, too short for a NIfTI header");
    }
    NiftiLayout layout = NiftiLayout.detect(bytes);
    if (layout == null) {
      throw new NiftiException("not a NIfTI file: " + source + " starts with sizeof_hdr "
          + NiftiLayout.sizeofHdr(bytes, ByteOrder.LITTLE_ENDIAN) + " (expected 348 or 540)");
    }
    if (bytes.length < layout.size()) {
      throw new NiftiException("truncated file " + source + ": " + bytes.length + " bytes, header needs " + layout.size());
    }
    return new NiftiHeader(layout, ByteBuffer.wrap(bytes).order(NiftiLayout.byteOrder(bytes)), source);
  }

  /**
   * The little-endian single-file NIfTI-1 header nibabel would write for {@code grid} stored as
   * {@code type} with the given scaling: qform and sform both from the grid's affine (code 1,
   * scanner), pixdim from its column lengths, units mm.
   */
  static NiftiHeader forGrid(Grid grid, NiftiDatatype type, double slope, double inter, String source) {
    NiftiLayout layout = NiftiLayout.NIFTI1;
    ByteBuffer b = ByteBuffer.allocate(layout.size()).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0, layout.size());
    int[] shape = grid.shape();
    for (int size : shape) {
      if (size > Short.MAX_VALUE) {
        throw new NiftiException("cannot write " + source + ": dimension " + size + " exceeds NIfTI-1's limit of "
            + Short.MAX_VALUE);
      }
    }
    int[] dim = {3, shape[0], shape[1], shape[2], 1, 1, 1, 1};
    double[] gridAffine = grid.affine();
    Qform qform = Qform.fromAffine(gridAffine);
    double[] pixdim = {qform.qfac(), qform.zooms()[0], qform.zooms()[1], qform.zooms()[2], 1, 1, 1, 1};
    for (int n = 0; n < 8; n++) {
      layout.put(b, DIM, n, dim[n]);
      layout.put(b, PIXDIM, n, pixdim[n]);
    }
    layout.put(b, DATATYPE, 0, type.code());
    layout.put(b, BITPIX, 0, type.bitpix());
    layout.put(b, VOX_OFFSET, 0, layout.minimumVoxOffset());
    layout.put(b, SCL_SLOPE, 0, slope);
    layout.put(b, SCL_INTER, 0, inter);
    layout.put(b, XYZT_UNITS, 0, UNITS_MM);
    layout.put(b, QFORM_CODE, 0, XFORM_SCANNER);
    layout.put(b, SFORM_CODE, 0, XFORM_SCANNER);
    double[] quaternion = {qform.b(), qform.c(), qform.d()};
    for (int n = 0; n < 3; n++) {
      layout.put(b, QUATERN, n, quaternion[n]);
      layout.put(b, QOFFSET, n, qform.offset()[n]);
    }
    for (int n = 0; n < 12; n++) {
      layout.put(b, SROW, n, gridAffine[n]);
    }
    layout.putText(b, MAGIC, layout.singleFileMagic());
    return new NiftiHeader(layout, b, source);
  }

  private void checkMagic(String magic) {
    if (magic.equals(layout.singleFileMagic())) {
      return;
    }
    if (magic.equals(layout.pairMagic())) {
      throw new NiftiException(source + " is a NIfTI-" + version() + " header of a .hdr/.img pair (magic '"
          + magic + "'); only single-file .nii/.nii.gz images are supported");
    }
    throw new NiftiException("wrong magic '" + magic.replaceAll("[^\\x20-\\x7e]", "?") + "' in " + source
        + " (expected '" + layout.singleFileMagic() + "' for NIfTI-" + version() + ")");
  }

  /** dim[1..ndim]; dim[0] must be 1..7, each used dim at least 1, their product a long. */
  private long[] checkedDims(NiftiLayout layout, ByteBuffer b) {
    long ndim = layout.integer(b, DIM, 0);
    if (ndim < 1 || ndim > 7) {
      throw new NiftiException("invalid dim[0] " + ndim + " in " + source + " (expected 1 to 7)");
    }
    long[] shape = new long[(int) ndim];
    for (int n = 0; n < shape.length; n++) {
      shape[n] = layout.integer(b, DIM, n + 1);
      if (shape[n] < 1) {
        throw new NiftiException("invalid dim[" + (n + 1) + "] " + shape[n] + " in " + source);
      }
    }
    long count = 1;
    for (long d : shape) {
      try {
        count = Math.multiplyExact(count, d);
      } catch (ArithmeticException e) {
        throw new NiftiException("impossible image size " + Arrays.toString(shape) + " in " + source, e);
      }
    }
    return shape;
  }

  /**
   * Where the voxels start. 0 means unset and reads as the minimum (the data right after the
   * header), as nibabel's offset check lets 0 pass; any other value must be a whole number of
   * bytes at or beyond the minimum.
   */
  private long checkedVoxOffset(double raw) {
    int minimum = layout.minimumVoxOffset();
    String problem;
    if (raw == 0) {
      return minimum;
    } else if (!Double.isFinite(raw)) {
      problem = "is not a number of bytes";
    } else if (raw < 0) {
      problem = "is negative";
    } else if (raw != Math.rint(raw)) {
      problem = "is not a whole number of bytes";
    } else if (raw < minimum) {
      problem = "lies inside the header (a single NIfTI-" + version() + " file's data starts at " + minimum
          + " or later)";
    } else if (raw > MAX_VOX_OFFSET) {
      problem = "exceeds this reader's limit of " + MAX_VOX_OFFSET + " bytes of header and extensions";
    } else {
      return (long) raw;
    }
    String value = raw == Math.rint(raw) && Math.abs(raw) < 1e18 ? Long.toString((long) raw) : Double.toString(raw);
    throw new NiftiException("invalid vox_offset " + value + " in " + source + ": it " + problem);
  }

  /**
   * nibabel's load-time repairs: qfac (pixdim[0]) other than -1 or 1 becomes 1, zero spatial
   * sizes (pixdim[1..3]) become 1 and negative ones their absolute value. Whether the result may
   * define geometry is checked in {@link #checkedAffine}.
   */
  private static double[] repairedPixdim(double[] pixdim) {
    if (pixdim[0] != -1 && pixdim[0] != 1) {
      pixdim[0] = 1;
    }
    for (int n = 1; n <= 3; n++) {
      pixdim[n] = pixdim[n] == 0 ? 1 : Math.abs(pixdim[n]);
    }
    return pixdim;
  }

  /** Codes nibabel does not know (outside 0..5) read as 0, as nibabel repairs them. */
  private static int knownXformCode(long code) {
    return code >= 0 && code <= MAX_XFORM_CODE ? (int) code : 0;
  }

  /**
   * The affine nibabel's {@code get_best_affine} picks (sform if sform_code > 0, else qform if
   * qform_code > 0, else the base affine), refused when it would not define a voxel size: a set
   * xform with non-finite values, a qform or base affine resting on a zero or non-finite pixdim
   * (nibabel would take a zero as 1 mm), or any affine that is singular or whose voxel sizes (as
   * {@link Grid#spacing} computes them) are not positive and finite.
   */
  private double[] checkedAffine(ByteBuffer b) {
    if (sformCode > 0 && !allFinite(srow)) {
      throw new NiftiException("non-finite sform " + Arrays.toString(srow) + " in " + source);
    }
    if (qformCode > 0 && !(allFinite(quatern) && allFinite(qoffset))) {
      throw new NiftiException("non-finite qform (quatern " + Arrays.toString(quatern) + ", qoffset "
          + Arrays.toString(qoffset) + ") in " + source);
    }
    String from = sformCode > 0 ? "sform" : qformCode > 0 ? "qform" : "base affine";
    if (sformCode == 0) {
      double[] raw = layout.numbers(b, PIXDIM);
      for (int n = 1; n <= Math.min(3, ndim()); n++) {
        if (raw[n] == 0 || !Double.isFinite(raw[n])) {
          throw new NiftiException("undefined geometry in " + source + ": voxel size pixdim[" + n + "] is " + raw[n]
              + (qformCode > 0 ? " under the qform" : " and neither sform nor qform is set"));
        }
      }
    }
    double[] chosen = sformCode > 0 ? sformAffine() : qformCode > 0 ? qformAffine() : baseAffine();
    double[] spacing = new Grid(1, 1, 1, chosen).spacing();
    double det = chosen[0] * (chosen[5] * chosen[10] - chosen[6] * chosen[9])
        - chosen[1] * (chosen[4] * chosen[10] - chosen[6] * chosen[8])
        + chosen[2] * (chosen[4] * chosen[9] - chosen[5] * chosen[8]);
    boolean sizes = Arrays.stream(spacing).allMatch(size -> size > 0 && Double.isFinite(size));
    if (!sizes || det == 0 || !Double.isFinite(det)) {
      throw new NiftiException("undefined geometry in " + source + ": the " + from + " "
          + Arrays.toString(Arrays.copyOf(chosen, 12)) + " is singular (voxel sizes " + Arrays.toString(spacing) + ")");
    }
    return chosen;
  }

  private static boolean allFinite(double[] values) {
    for (double value : values) {
      if (!Double.isFinite(value)) {
        return false;
      }
    }
    return true;
  }

  /** 1 or 2. */
  public int version() {
    return layout.version();
  }

  /** The file this header came from, for messages. */
  public String source() {
    return source;
  }

  public ByteOrder byteOrder() {
    return byteOrder;
  }

  /** The number of dimensions, dim[0]. */
  public int ndim() {
    return dims.length;
  }

  /** dim[1..ndim], the image shape (trailing 1s included, as nibabel reports it). */
  public long[] dims() {
    return dims.clone();
  }

  /** The number of voxels, the product of dim[1..ndim]. */
  public long voxelCount() {
    long count = 1;
    for (long d : dims) {
      count *= d;
    }
    return count;
  }

  /** The number of 3-D volumes: the product of dim[4..ndim], 1 for images of up to 3 dimensions. */
  public long volumeCount() {
    long count = 1;
    for (int n = 3; n < dims.length; n++) {
      count *= dims[n];
    }
    return count;
  }

  /** The voxel type; only types this codec reads pass {@link #parse}. */
  public NiftiDatatype datatype() {
    return datatype;
  }

  /** Bits per voxel; {@link #parse} refuses a bitpix that disagrees with the datatype. */
  public int bitpix() {
    return bitpix;
  }

  /**
   * pixdim[0..7] with nibabel's load-time repairs: qfac (pixdim[0]) other than -1 or 1 becomes 1,
   * zero spatial sizes (pixdim[1..3]) become 1 and negative ones their absolute value. A zero or
   * non-finite spatial size that would define the geometry is refused by {@link #parse}.
   */
  public double[] pixdim() {
    return pixdim.clone();
  }

  /** Where the voxels start: vox_offset, or right after the header when it is 0 (unset). */
  public long voxOffset() {
    return voxOffset;
  }

  /** The stored scl_slope. */
  public double sclSlope() {
    return sclSlope;
  }

  /** The stored scl_inter. */
  public double sclInter() {
    return sclInter;
  }

  /** nibabel's rule: scaling applies only when scl_slope is finite and nonzero. */
  public boolean isScaled() {
    return sclSlope != 0 && Double.isFinite(sclSlope);
  }

  /** qform_code; codes nibabel does not know (outside 0..5) read as 0, as nibabel repairs them. */
  public int qformCode() {
    return qformCode;
  }

  /** sform_code, repaired like {@link #qformCode()}. */
  public int sformCode() {
    return sformCode;
  }

  public int xyztUnits() {
    return xyztUnits;
  }

  public int intentCode() {
    return intentCode;
  }

  /** The description, up to its first NUL as C reads it (nibabel keeps text after an inner NUL). */
  public String descrip() {
    return descrip;
  }

  /**
   * The 3-D grid of one volume: dims 1..3 (1 where the image has fewer) and {@link #affine()}.
   * Sizes beyond an int (possible in NIfTI-2) are refused.
   */
  public Grid grid() {
    int[] shape = new int[3];
    for (int n = 0; n < 3; n++) {
      long size = n < dims.length ? dims[n] : 1;
      if (size > Integer.MAX_VALUE) {
        throw new NiftiException("dim[" + (n + 1) + "] " + size + " of " + source + " is too large for a voxel grid");
      }
      shape[n] = (int) size;
    }
    return new Grid(shape[0], shape[1], shape[2], affine);
  }

  /**
   * The voxel-to-world affine (4x4 row-major) with nibabel's {@code get_best_affine} precedence:
   * the sform if sform_code > 0, else the qform if qform_code > 0, else the base affine. Always
   * finite and non-singular.
   */
  public double[] affine() {
    return affine.clone();
  }

  /** The sform rows as a 4x4 affine, whatever sform_code says. */
  public double[] sformAffine() {
    double[] sform = new double[16];
    System.arraycopy(srow, 0, sform, 0, 12);
    sform[15] = 1;
    return sform;
  }

  /** The qform as a 4x4 affine (nibabel's {@code get_qform}), whatever qform_code says. */
  public double[] qformAffine() {
    return new Qform(quatern[0], quatern[1], quatern[2], pixdim[0],
        new double[] {pixdim[1], pixdim[2], pixdim[3]}, qoffset).affine(source);
  }

  /**
   * nibabel's {@code get_base_affine} for headers without codes: voxel sizes on the diagonal with
   * x flipped (radiological convention) and the world origin at the centre of the image.
   */
  private double[] baseAffine() {
    double[] base = new double[16];
    for (int n = 0; n < 3; n++) {
      boolean present = n < dims.length;
      double size = present ? dims[n] : 1;
      double zoom = present ? pixdim[n + 1] : 1;
      if (n == 0) {
        zoom = -zoom;
      }
      base[5 * n] = zoom;
      base[4 * n + 3] = -(size - 1) / 2 * zoom;
    }
    base[15] = 1;
    return base;
  }

  /** The header bytes as stored (sizeof_hdr of them), in the file's byte order. */
  byte[] toBytes() {
    return stored.clone();
  }

  @Override
  public String toString() {
    return "NIfTI-" + version() + " header of " + source;
  }
}
