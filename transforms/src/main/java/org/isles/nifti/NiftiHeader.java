package org.isles.nifti;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.isles.volume.Grid;

/**
 * An immutable NIfTI header, NIfTI-1 or NIfTI-2. {@link #parse} detects the version and the byte
 * order from {@code sizeof_hdr} (348 or 540, read both ways) and accepts only single-file images
 * (magic {@code n+1} / {@code n+2}). Values are reported as nibabel reports them after loading,
 * including the repairs nibabel makes on load (see {@link #pixdim()}).
 */
public abstract sealed class NiftiHeader permits Nifti1Header, Nifti2Header {
  /** CIFTI-2 intent codes (3000-3099) mark a NIfTI-2 container around surface/grayordinate data. */
  private static final int CIFTI_FIRST_INTENT = 3000;

  private static final int CIFTI_LAST_INTENT = 3099;

  /** NIFTI_XFORM_TEMPLATE_OTHER, the highest code nibabel accepts. */
  private static final int MAX_XFORM_CODE = 5;

  private final ByteBuffer bytes;
  private final String source;

  NiftiHeader(ByteBuffer bytes, String source) {
    this.bytes = bytes.asReadOnlyBuffer().order(bytes.order());
    this.source = source;
  }

  /**
   * Reads the header at the start of {@code bytes}, which may extend past it.
   *
   * @param source names the file in error messages
   */
  public static NiftiHeader parse(byte[] bytes, String source) {
    if (bytes.length < 4) {
      throw new NiftiException("truncated file " + source + ": " + bytes.length + " bytes, too short for a NIfTI header");
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    int little = buffer.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
    int big = buffer.order(ByteOrder.BIG_ENDIAN).getInt(0);
    ByteOrder order = little == Nifti1Header.SIZE || little == Nifti2Header.SIZE
        ? ByteOrder.LITTLE_ENDIAN
        : ByteOrder.BIG_ENDIAN;
    int size = order == ByteOrder.LITTLE_ENDIAN ? little : big;
    if (size != Nifti1Header.SIZE && size != Nifti2Header.SIZE) {
      throw new NiftiException("not a NIfTI file: " + source + " starts with sizeof_hdr " + little
          + " (expected 348 or 540)");
    }
    if (bytes.length < size) {
      throw new NiftiException("truncated file " + source + ": " + bytes.length + " bytes, header needs " + size);
    }
    // A copy, so that a header does not keep a whole file's bytes alive.
    ByteBuffer header = ByteBuffer.wrap(Arrays.copyOf(bytes, size)).order(order);
    NiftiHeader parsed = size == Nifti1Header.SIZE ? new Nifti1Header(header, source) : new Nifti2Header(header, source);
    parsed.checkMagic();
    parsed.checkDims();
    return parsed;
  }

  private void checkMagic() {
    String magic = magic();
    if (magic.equals(singleFileMagic())) {
      return;
    }
    if (magic.equals(pairMagic())) {
      throw new NiftiException(source + " is a NIfTI-" + version() + " header of a .hdr/.img pair (magic '"
          + magic + "'); only single-file .nii/.nii.gz images are supported");
    }
    throw new NiftiException("wrong magic '" + printable(magic) + "' in " + source + " (expected '"
        + singleFileMagic() + "' for NIfTI-" + version() + ")");
  }

  private void checkDims() {
    int ndim = (int) rawDim(0);
    if (ndim < 1 || ndim > 7) {
      throw new NiftiException("invalid dim[0] " + ndim + " in " + source + " (expected 1 to 7)");
    }
    long count = 1;
    for (int n = 1; n <= ndim; n++) {
      if (rawDim(n) < 1) {
        throw new NiftiException("invalid dim[" + n + "] " + rawDim(n) + " in " + source);
      }
      try {
        count = Math.multiplyExact(count, rawDim(n));
      } catch (ArithmeticException e) {
        throw new NiftiException("impossible image size " + Arrays.toString(dims()) + " in " + source, e);
      }
    }
  }

  private static String printable(String magic) {
    return magic.replaceAll("[^\\x20-\\x7e]", "?");
  }

  /** 1 or 2. */
  public abstract int version();

  /** The size of this header in the file: 348 or 540. */
  public abstract int headerSize();

  /** The lowest data offset a single file can have: header plus the 4-byte extension flag. */
  public int minimumVoxOffset() {
    return headerSize() + 4;
  }

  abstract String singleFileMagic();

  abstract String pairMagic();

  abstract String magic();

  abstract long rawDim(int n);

  abstract double rawPixdim(int n);

  abstract long rawVoxOffset();

  /** The file this header came from, for messages. */
  public String source() {
    return source;
  }

  public ByteOrder byteOrder() {
    return bytes.order();
  }

  /** The number of dimensions, dim[0]. */
  public int ndim() {
    return (int) rawDim(0);
  }

  /** dim[1..ndim], the image shape (trailing 1s included, as nibabel reports it). */
  public long[] dims() {
    long[] dims = new long[ndim()];
    for (int n = 0; n < dims.length; n++) {
      dims[n] = rawDim(n + 1);
    }
    return dims;
  }

  /** dim[n] for n in 0..7. */
  public long dim(int n) {
    return rawDim(n);
  }

  /** The number of voxels, the product of dim[1..ndim]. */
  public long voxelCount() {
    long count = 1;
    for (long d : dims()) {
      count = Math.multiplyExact(count, d);
    }
    return count;
  }

  /** The number of 3-D volumes: the product of dim[4..ndim], 1 for images of up to 3 dimensions. */
  public long volumeCount() {
    long count = 1;
    for (int n = 4; n <= ndim(); n++) {
      count *= rawDim(n);
    }
    return count;
  }

  public abstract int datatypeCode();

  /** The voxel type; throws for the types this codec does not read. */
  public NiftiDatatype datatype() {
    return NiftiDatatype.fromCode(datatypeCode(), source);
  }

  public abstract int bitpix();

  /**
   * pixdim[0..7] with nibabel's load-time repairs: qfac (pixdim[0]) other than -1 or 1 becomes 1,
   * zero spatial sizes (pixdim[1..3]) become 1 and negative ones their absolute value.
   */
  public double[] pixdim() {
    double[] pixdim = new double[8];
    for (int n = 0; n < 8; n++) {
      pixdim[n] = rawPixdim(n);
    }
    if (pixdim[0] != -1 && pixdim[0] != 1) {
      pixdim[0] = 1;
    }
    for (int n = 1; n <= 3; n++) {
      pixdim[n] = pixdim[n] == 0 ? 1 : Math.abs(pixdim[n]);
    }
    return pixdim;
  }

  /**
   * Where the voxels start; nibabel's repair applies: a single file's offset below the header
   * plus extension flag is raised to that minimum.
   */
  public long voxOffset() {
    return Math.max(rawVoxOffset(), minimumVoxOffset());
  }

  public abstract double sclSlope();

  public abstract double sclInter();

  /** nibabel's rule: scaling applies only when scl_slope is finite and nonzero. */
  public boolean isScaled() {
    double slope = sclSlope();
    return slope != 0 && Double.isFinite(slope);
  }

  abstract int rawQformCode();

  abstract int rawSformCode();

  /** qform_code; codes nibabel does not know (outside 0..5) read as 0, as nibabel repairs them. */
  public int qformCode() {
    return knownXformCode(rawQformCode());
  }

  /** sform_code, repaired like {@link #qformCode()}. */
  public int sformCode() {
    return knownXformCode(rawSformCode());
  }

  private static int knownXformCode(int code) {
    return code >= 0 && code <= MAX_XFORM_CODE ? code : 0;
  }

  public abstract double quaternB();

  public abstract double quaternC();

  public abstract double quaternD();

  /** qoffset_x, qoffset_y, qoffset_z. */
  public abstract double[] qoffset();

  /** srow_x, srow_y, srow_z as rows 0..2 of four values. */
  public abstract double[][] srow();

  public abstract int xyztUnits();

  public abstract int intentCode();

  /** The description, up to its first NUL as C reads it (nibabel keeps text after an inner NUL). */
  public abstract String descrip();

  /** True for CIFTI-2 files, which nibabel reads as Cifti2Image rather than a volume. */
  public boolean isCifti() {
    return intentCode() >= CIFTI_FIRST_INTENT && intentCode() <= CIFTI_LAST_INTENT;
  }

  /** The 3-D grid of one volume: dims 1..3 (1 where the image has fewer) and the affine. */
  public Grid grid() {
    long[] dims = dims();
    int[] shape = new int[3];
    for (int n = 0; n < 3; n++) {
      shape[n] = n < dims.length ? Math.toIntExact(dims[n]) : 1;
    }
    return new Grid(shape[0], shape[1], shape[2], affine());
  }

  /**
   * The voxel-to-world affine (4x4 row-major) with nibabel's {@code get_best_affine} precedence:
   * the sform if sform_code > 0, else the qform if qform_code > 0, else the base affine.
   */
  public double[] affine() {
    if (sformCode() > 0) {
      return sformAffine();
    }
    if (qformCode() > 0) {
      return qformAffine();
    }
    return baseAffine();
  }

  public double[] sformAffine() {
    double[][] srow = srow();
    double[] affine = new double[16];
    for (int r = 0; r < 3; r++) {
      System.arraycopy(srow[r], 0, affine, 4 * r, 4);
    }
    affine[15] = 1;
    return affine;
  }

  public double[] qformAffine() {
    double[] pixdim = pixdim();
    return new Qform(quaternB(), quaternC(), quaternD(), pixdim[0],
        new double[] {pixdim[1], pixdim[2], pixdim[3]}, qoffset()).affine(source);
  }

  /**
   * nibabel's {@code get_base_affine} for headers without codes: voxel sizes on the diagonal with
   * x flipped (radiological convention) and the world origin at the centre of the image.
   */
  public double[] baseAffine() {
    double[] pixdim = pixdim();
    double[] affine = new double[16];
    for (int n = 0; n < 3; n++) {
      boolean present = n < ndim();
      double size = present ? rawDim(n + 1) : 1;
      double zoom = present ? pixdim[n + 1] : 1;
      if (n == 0) {
        zoom = -zoom;
      }
      affine[5 * n] = zoom;
      affine[4 * n + 3] = -(size - 1) / 2 * zoom;
    }
    affine[15] = 1;
    return affine;
  }

  /** The header bytes as stored, in the file's byte order. */
  public byte[] toBytes() {
    byte[] copy = new byte[bytes.capacity()];
    bytes.duplicate().position(0).get(copy);
    return copy;
  }

  ByteBuffer bytes() {
    return bytes;
  }

  String string(int offset, int length) {
    byte[] raw = new byte[length];
    bytes.duplicate().position(offset).get(raw);
    int end = 0;
    while (end < length && raw[end] != 0) {
      end++;
    }
    return new String(raw, 0, end, StandardCharsets.ISO_8859_1);
  }

  @Override
  public String toString() {
    return "NIfTI-" + version() + " header of " + source;
  }
}
