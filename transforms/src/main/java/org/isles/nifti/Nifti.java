package org.isles.nifti;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.isles.io.AtomicFiles;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.isles.volume.Volume;

/**
 * Reads and writes single-file NIfTI images (.nii, .nii.gz). Reading accepts NIfTI-1 and NIfTI-2
 * in either byte order; gzip is recognised by content, not by name. Writing produces little-endian
 * NIfTI-1, gzipped when the name ends in .gz, replacing the target atomically.
 */
public final class Nifti {
  private static final int GZIP_MAGIC_1 = 0x1f;
  private static final int GZIP_MAGIC_2 = 0x8b;
  private static final int IO_BUFFER = 1 << 16;

  private Nifti() {}

  /** The header alone; only the first bytes of the file are read (and decompressed). */
  public static NiftiHeader readHeader(Path file) {
    try (InputStream in = open(file)) {
      return NiftiHeader.parse(in.readNBytes(Nifti2Header.SIZE), file.toString());
    } catch (IOException e) {
      throw failure(file, e);
    }
  }

  /** The whole image, every volume, scaled. CIFTI-2 files are refused: they are not volumes. */
  public static NiftiImage read(Path file) {
    byte[] bytes;
    try (InputStream in = open(file)) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw failure(file, e);
    }
    NiftiHeader header = NiftiHeader.parse(bytes, file.toString());
    if (header.isCifti()) {
      throw new NiftiException(file + " is a CIFTI-2 file (intent code " + header.intentCode()
          + "), not a volume image");
    }
    return new NiftiImage(header, voxels(header, bytes));
  }

  /**
   * The image as one 3-D volume. A file holding several volumes (dims 4..7 not all 1) is refused
   * rather than silently cut to its first volume; use {@link #read} and pick one.
   */
  public static Volume readVolume(Path file) {
    NiftiHeader header = readHeader(file);
    if (header.volumeCount() != 1) {
      throw new NiftiException(file + " holds " + header.volumeCount() + " volumes (dims "
          + Arrays.toString(header.dims()) + "), expected a single 3-D volume");
    }
    return read(file).firstVolume();
  }

  /**
   * Writes {@code volume} as {@code type}. Float types are stored unscaled. Integer types are
   * stored unscaled when every value already is an integer in the type's range (masks, labels);
   * otherwise the finite value range is mapped linearly onto the type's full range with
   * scl_slope/scl_inter, losing at most half a step of precision.
   */
  public static void write(Path file, Volume volume, NiftiDatatype type) {
    double[] scaling = fittingScaling(volume.data(), type);
    write(file, volume, type, scaling[0], scaling[1]);
  }

  /**
   * Writes {@code volume} as {@code type}, storing {@code (value - inter) / slope} with the header's
   * float32 slope and intercept; integer types round half to even, clip to their range and store
   * NaN as 0.
   */
  public static void write(Path file, Volume volume, NiftiDatatype type, double slope, double inter) {
    if (slope == 0 || !Double.isFinite(slope) || !Double.isFinite(inter)) {
      throw new NiftiException("cannot write " + file + ": scl_slope " + slope + " / scl_inter " + inter
          + " must be finite with a nonzero slope");
    }
    Nifti1Header header = Nifti1Header.forGrid(volume.grid(), type, slope, inter, file.toString());
    ByteBuffer image = ByteBuffer.allocate(
            Math.toIntExact(header.voxOffset() + (long) volume.data().length * type.bytes()))
        .order(ByteOrder.LITTLE_ENDIAN);
    image.put(header.toBytes());
    image.position((int) header.voxOffset());
    type.encode(volume.data(), header.sclSlope(), header.sclInter(), image);
    writeAtomically(file, image.array());
  }

  private static double[] fittingScaling(float[] values, NiftiDatatype type) {
    double[] unscaled = {1, 0};
    if (!type.isInteger()) {
      return unscaled;
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    boolean integral = true;
    for (float value : values) {
      if (Float.isFinite(value)) {
        min = Math.min(min, value);
        max = Math.max(max, value);
        integral &= value == Math.rint(value);
      }
    }
    if (min > max || (integral && min >= type.min() && max <= type.max())) {
      return unscaled;
    }
    if (min == max) {
      return new double[] {1, min};
    }
    double slope = (max - min) / (type.max() - type.min());
    return new double[] {slope, min - type.min() * slope};
  }

  private static double[] voxels(NiftiHeader header, byte[] bytes) {
    NiftiDatatype type = header.datatype();
    long count = header.voxelCount();
    long offset = header.voxOffset();
    long needed = count * type.bytes();
    if (count > Integer.MAX_VALUE - 8) {
      throw new NiftiException(header.source() + " has " + count + " voxels, more than one array can hold");
    }
    if (bytes.length - offset < needed) {
      throw new NiftiException("truncated file " + header.source() + ": " + count + " " + type.displayName()
          + " voxels need " + needed + " bytes from offset " + offset + ", found " + Math.max(0, bytes.length - offset));
    }
    boolean scaled = header.isScaled() && (header.sclSlope() != 1 || header.sclInter() != 0);
    if (scaled && !Double.isFinite(header.sclInter())) {
      throw new NiftiException("invalid scl_inter " + header.sclInter() + " with scl_slope " + header.sclSlope()
          + " in " + header.source());
    }
    ByteBuffer raw = ByteBuffer.wrap(bytes, (int) offset, (int) needed).slice().order(header.byteOrder());
    double[] data = new double[(int) count];
    type.decode(raw, data, (int) count, scaled, header.sclSlope(), header.sclInter());
    return data;
  }

  /** The file's bytes, gunzipped if they start with the gzip magic. */
  private static InputStream open(Path file) throws IOException {
    InputStream in = Files.newInputStream(file);
    try {
      in = new BufferedInputStream(in, IO_BUFFER);
      in.mark(2);
      int first = in.read();
      int second = in.read();
      in.reset();
      return first == GZIP_MAGIC_1 && second == GZIP_MAGIC_2 ? new GZIPInputStream(in, IO_BUFFER) : in;
    } catch (IOException e) {
      in.close();
      throw e;
    }
  }

  private static void writeAtomically(Path file, byte[] image) {
    String name = file.getFileName().toString();
    boolean gzip = name.endsWith(".gz");
    if (!name.endsWith(".nii") && !name.endsWith(".nii.gz")) {
      throw new NiftiException("cannot write " + file + ": the name must end in .nii or .nii.gz");
    }
    try {
      AtomicFiles.write(
          file,
          out -> {
            try (OutputStream stream = gzip ? new FastGzipOutputStream(out) : new BufferedOutputStream(out, IO_BUFFER)) {
              stream.write(image);
            }
          });
    } catch (UncheckedIOException e) {
      throw new NiftiException(e.getMessage(), e);
    }
  }

  private static NiftiException failure(Path file, IOException e) {
    if (e instanceof NoSuchFileException) {
      return new NiftiException("no such file " + file, e);
    }
    if (e instanceof ZipException || e instanceof EOFException) {
      return new NiftiException("corrupt gzip in " + file + ": " + e.getMessage(), e);
    }
    return new NiftiException("cannot read " + file + ": " + e, e);
  }

  /** nibabel writes .nii.gz at compression level 1: much faster, files barely larger. */
  private static final class FastGzipOutputStream extends GZIPOutputStream {
    FastGzipOutputStream(OutputStream out) throws IOException {
      super(out, IO_BUFFER);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }
}
