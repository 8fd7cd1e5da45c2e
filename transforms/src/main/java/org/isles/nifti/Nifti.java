package org.isles.nifti;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.isles.io.AtomicFiles;
import org.isles.volume.Volume;

/**
 * Reads and writes single-file NIfTI images (.nii, .nii.gz). Reading accepts NIfTI-1 and NIfTI-2
 * in either byte order from regular files only; gzip is recognised by content, not by name. A
 * read checks the header first, refuses images over {@link #MAX_VOXELS} before allocating, then
 * reads exactly the bytes the header declares and stops: trailing data, like nibabel, is ignored
 * and never decompressed. Writing produces little-endian NIfTI-1, gzipped when the name ends in
 * .gz, replacing the target atomically.
 */
public final class Nifti {
  /**
   * The most voxels one read accepts: 2^27, about a 512^3 image, 1 GiB as the doubles of
   * {@link #read} (a 0.7 mm whole-head MRI has 2^24). Larger declarations are refused before
   * anything is allocated.
   */
  public static final long MAX_VOXELS = 1L << 27;

  private static final int GZIP_MAGIC_1 = 0x1f;
  private static final int GZIP_MAGIC_2 = 0x8b;
  /**
   * Deflate cannot expand data by more than 1032:1 (a 258-byte match per two bits), so a gzip
   * file of S bytes inflates to at most this many times S: a bound on what a stream can hold
   * that is known before reading it.
   */
  private static final long DEFLATE_MAX_RATIO = 1032;
  private static final int IO_BUFFER = 1 << 16;

  private Nifti() {}

  /** The header alone; only its few hundred bytes are read (and decompressed). */
  public static NiftiHeader readHeader(Path file) {
    try (Reader reader = Reader.open(file)) {
      return reader.header();
    }
  }

  /** The whole image, every volume, scaled as nibabel's {@code get_fdata}. */
  public static NiftiImage read(Path file) {
    return read(file, MAX_VOXELS);
  }

  /** {@link #read} refusing images of more than {@code maxVoxels}. */
  static NiftiImage read(Path file, long maxVoxels) {
    try (Reader reader = Reader.open(file)) {
      NiftiHeader header = reader.header();
      int count = reader.checkSize(maxVoxels);
      double[] data = new double[count];
      reader.voxels((chunk, start, length) -> System.arraycopy(chunk, 0, data, start, length));
      return new NiftiImage(header, data);
    }
  }

  /**
   * The image as one 3-D volume, decoded straight to floats from one pass over the file. A file
   * holding several volumes (dims 4..7 not all 1) is refused before its voxels are read rather
   * than silently cut to its first volume; use {@link #read} and pick one.
   */
  public static Volume readVolume(Path file) {
    return readVolume(file, MAX_VOXELS);
  }

  /** {@link #readVolume} refusing images of more than {@code maxVoxels}. */
  static Volume readVolume(Path file, long maxVoxels) {
    try (Reader reader = Reader.open(file)) {
      NiftiHeader header = reader.header();
      if (header.volumeCount() != 1) {
        throw new NiftiException(file + " holds " + header.volumeCount() + " volumes (dims "
            + Arrays.toString(header.dims()) + "), expected a single 3-D volume");
      }
      float[] values = new float[reader.checkSize(maxVoxels)];
      reader.voxels((chunk, start, length) -> {
        for (int n = 0; n < length; n++) {
          values[start + n] = (float) chunk[n];
        }
      });
      return new Volume(header.grid(), values);
    }
  }

  /**
   * Writes {@code volume} as {@code type}, refusing NaN and infinities in an integer type. Float
   * types are stored unscaled. Integer types are stored unscaled when every value already is an
   * integer in the type's range (masks, labels); otherwise the finite value range is mapped
   * linearly onto the type's full range with scl_slope/scl_inter, losing at most half a step.
   */
  public static void write(Path file, Volume volume, NiftiDatatype type) {
    write(file, volume, type, NonFiniteValues.REFUSE);
  }

  /** {@link #write(Path, Volume, NiftiDatatype)} with the caller's choice for NaN and infinities. */
  public static void write(Path file, Volume volume, NiftiDatatype type, NonFiniteValues nonFinite) {
    double[] scaling = fittingScaling(volume.data(), type);
    write(file, volume, type, scaling[0], scaling[1], nonFinite);
  }

  /**
   * Writes {@code volume} as {@code type}, storing {@code (value - inter) / slope} with the header's
   * float32 slope and intercept; integer types round half to even and clip to their range, and
   * NaN or infinite values in an integer type are refused.
   */
  public static void write(Path file, Volume volume, NiftiDatatype type, double slope, double inter) {
    write(file, volume, type, slope, inter, NonFiniteValues.REFUSE);
  }

  private static void write(Path file, Volume volume, NiftiDatatype type, double slope, double inter,
      NonFiniteValues nonFinite) {
    if (slope == 0 || !Double.isFinite(slope) || !Double.isFinite(inter)) {
      throw new NiftiException("cannot write " + file + ": scl_slope " + slope + " / scl_inter " + inter
          + " must be finite with a nonzero slope");
    }
    String name = file.getFileName().toString();
    if (!name.endsWith(".nii") && !name.endsWith(".nii.gz")) {
      throw new NiftiException("cannot write " + file + ": the name must end in .nii or .nii.gz");
    }
    float[] values = volume.data();
    if (type.isInteger() && nonFinite == NonFiniteValues.REFUSE) {
      refuseNonFinite(file, values, type);
    }
    NiftiHeader header = NiftiHeader.forGrid(volume.grid(), type, slope, inter, file.toString());
    boolean gzip = name.endsWith(".gz");
    try {
      AtomicFiles.write(
          file,
          out -> {
            try (OutputStream stream = gzip ? new FastGzipOutputStream(out) : new BufferedOutputStream(out, IO_BUFFER)) {
              byte[] stored = header.toBytes();
              stream.write(stored);
              stream.write(new byte[(int) header.voxOffset() - stored.length]);
              ByteBuffer chunk = ByteBuffer.allocate(IO_BUFFER).order(ByteOrder.LITTLE_ENDIAN);
              int perChunk = IO_BUFFER / type.bytes();
              for (int from = 0; from < values.length; from += perChunk) {
                chunk.clear();
                // the header's float32 slope and intercept, so that values read back as stored
                type.encode(values, from, Math.min(values.length, from + perChunk), header.sclSlope(), header.sclInter(), chunk);
                stream.write(chunk.array(), 0, chunk.position());
              }
            }
          });
    } catch (UncheckedIOException e) {
      throw new NiftiException(e.getMessage(), e);
    }
  }

  private static void refuseNonFinite(Path file, float[] values, NiftiDatatype type) {
    long nan = 0;
    long infinite = 0;
    for (float value : values) {
      if (Float.isNaN(value)) {
        nan++;
      } else if (Float.isInfinite(value)) {
        infinite++;
      }
    }
    if (nan + infinite > 0) {
      throw new NiftiException("cannot write " + file + " as " + type.displayName() + ": " + nan + " NaN and "
          + infinite + " infinite voxels have no " + type.displayName() + " value (a lossy conversion, NaN to 0 and "
          + "infinities to the range ends, must be asked for)");
    }
  }

  private static double[] fittingScaling(float[] values, NiftiDatatype type) {
    double[] unscaled = {1, 0};
    if (!type.isInteger()) {
      return unscaled;
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    boolean integral = true;
    boolean nan = false;
    for (float value : values) {
      if (Float.isFinite(value)) {
        min = Math.min(min, value);
        max = Math.max(max, value);
        integral &= value == Math.rint(value);
      }
      nan |= Float.isNaN(value);
    }
    if (nan) {
      // a NaN is stored as the value that reads back as 0 (nibabel's nan2zero): 0 must be in range
      min = Math.min(min, 0);
      max = Math.max(max, 0);
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

  /** Receives decoded, scaled voxels {@code chunk[0..length)}, which are voxels {@code start..} of the image. */
  private interface VoxelSink {
    void accept(double[] chunk, int start, int length);
  }

  /**
   * One pass over one file: the header, then exactly the voxels it declares. The stream counts
   * what it has delivered, so every shortfall is reported as "N of M bytes".
   */
  private static final class Reader implements AutoCloseable {
    private final Path file;
    private final InputStream in;
    private final boolean gzip;
    private final long fileSize;
    private long position;
    private NiftiHeader header;

    private Reader(Path file, InputStream in, boolean gzip, long fileSize) {
      this.file = file;
      this.in = in;
      this.gzip = gzip;
      this.fileSize = fileSize;
    }

    /** Opens a regular file; a directory, device, FIFO or socket is refused before it is opened. */
    static Reader open(Path file) {
      BasicFileAttributes attributes;
      try {
        attributes = Files.readAttributes(file, BasicFileAttributes.class);
      } catch (NoSuchFileException e) {
        throw new NiftiException("no such file " + file, e);
      } catch (IOException e) {
        throw failure(file, e);
      }
      if (attributes.isDirectory()) {
        throw new NiftiException("cannot read " + file + ": it is a directory, not a NIfTI file");
      }
      if (!attributes.isRegularFile()) {
        throw new NiftiException("cannot read " + file + ": not a regular file (a device, FIFO or socket)");
      }
      InputStream in = null;
      try {
        in = new BufferedInputStream(Files.newInputStream(file), IO_BUFFER);
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        boolean gzip = first == GZIP_MAGIC_1 && second == GZIP_MAGIC_2;
        return new Reader(file, gzip ? new GZIPInputStream(in, IO_BUFFER) : in, gzip, attributes.size());
      } catch (IOException e) {
        closeQuietly(in);
        throw failure(file, e);
      }
    }

    /** Reads and checks the header: sizeof_hdr tells how many more bytes it needs. */
    NiftiHeader header() {
      if (header == null) {
        byte[] bytes = new byte[4];
        int got = read(bytes, 0, 4);
        NiftiLayout layout = got == 4 ? NiftiLayout.detect(bytes) : null;
        if (layout != null) {
          bytes = Arrays.copyOf(bytes, layout.size());
          got += read(bytes, 4, bytes.length - 4);
        }
        header = NiftiHeader.parse(Arrays.copyOf(bytes, got), file.toString());
      }
      return header;
    }

    /**
     * The image's voxel count, refused above {@code maxVoxels} or when the file cannot hold the
     * declared bytes (its size for a plain file, deflate's ratio limit for gzip): checked before
     * anything is allocated.
     */
    int checkSize(long maxVoxels) {
      long count = header.voxelCount();
      NiftiDatatype type = header.datatype();
      if (count > maxVoxels) {
        throw new NiftiException(file + " declares " + count + " voxels (" + shape() + " " + type.displayName() + ", "
            + gibibytes(count * type.bytes()) + "), more than this reader's limit of " + maxVoxels + " voxels");
      }
      long needed = needed();
      if (!gzip && fileSize < needed) {
        throw truncated(fileSize);
      }
      if (gzip && needed > DEFLATE_MAX_RATIO * fileSize + IO_BUFFER) {
        throw new NiftiException("truncated file " + file + ": it declares " + needed + " bytes (header, extensions and "
            + shape() + " " + type.displayName() + " voxels) but " + fileSize + " bytes of gzip cannot inflate to more than "
            + DEFLATE_MAX_RATIO * fileSize);
      }
      return Math.toIntExact(count);
    }

    /** Skips the extensions, then decodes and scales the voxels chunk by chunk into {@code sink}. */
    void voxels(VoxelSink sink) {
      skip(header.voxOffset() - position);
      NiftiDatatype type = header.datatype();
      boolean scaled = header.isScaled() && (header.sclSlope() != 1 || header.sclInter() != 0);
      double slope = header.sclSlope();
      double inter = header.sclInter();
      long count = header.voxelCount();
      int perChunk = IO_BUFFER / type.bytes();
      byte[] raw = new byte[perChunk * type.bytes()];
      ByteBuffer buffer = ByteBuffer.wrap(raw).order(header.byteOrder());
      double[] chunk = new double[perChunk];
      for (long start = 0; start < count; start += perChunk) {
        int length = (int) Math.min(perChunk, count - start);
        readFully(raw, length * type.bytes());
        buffer.clear();
        type.decode(buffer, chunk, length);
        if (scaled) {
          for (int n = 0; n < length; n++) {
            chunk[n] = chunk[n] * slope + inter;
          }
        }
        sink.accept(chunk, (int) start, length);
      }
      checkGzipEnd();
    }

    /**
     * When the gzip stream ends right after the voxels, reads its trailer so that a wrong CRC or
     * a cut-off trailer is reported; when more data follows, reads one byte of it and stops.
     */
    private void checkGzipEnd() {
      if (gzip) {
        try {
          in.read();
        } catch (IOException e) {
          throw streamFailure(e);
        }
      }
    }

    private long needed() {
      return header.voxOffset() + header.voxelCount() * header.datatype().bytes();
    }

    private String shape() {
      StringBuilder shape = new StringBuilder();
      for (long d : header.dims()) {
        shape.append(shape.length() == 0 ? "" : "x").append(d);
      }
      return shape.toString();
    }

    private void skip(long bytes) {
      byte[] scratch = new byte[(int) Math.min(IO_BUFFER, Math.max(0, bytes))];
      for (long left = bytes; left > 0; left -= scratch.length) {
        readFully(scratch, (int) Math.min(scratch.length, left));
      }
    }

    private void readFully(byte[] into, int length) {
      int got = read(into, 0, length);
      if (got < length) {
        throw truncated(position);
      }
    }

    /** Reads up to {@code length} bytes, fewer only at the end of the stream. */
    private int read(byte[] into, int offset, int length) {
      int total = 0;
      try {
        while (total < length) {
          int got = in.read(into, offset + total, length - total);
          if (got < 0) {
            break;
          }
          total += got;
          position += got;
        }
      } catch (IOException e) {
        throw streamFailure(e);
      }
      return total;
    }

    private NiftiException truncated(long have) {
      return new NiftiException("truncated file " + file + ": " + have + " of " + needed() + " bytes (header, "
          + "extensions and " + shape() + " " + header.datatype().displayName() + " voxels)");
    }

    private NiftiException streamFailure(IOException e) {
      if (header != null && isGzipError(e)) {
        return new NiftiException("corrupt gzip in " + file + ": " + e.getMessage() + " after " + position + " of "
            + needed() + " bytes", e);
      }
      return failure(file, e);
    }

    @Override
    public void close() {
      try {
        in.close();
      } catch (IOException e) {
        throw failure(file, e);
      }
    }
  }

  private static String gibibytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
  }

  private static void closeQuietly(InputStream in) {
    if (in != null) {
      try {
        in.close();
      } catch (IOException ignored) {
        // already failing; the first error is the one to report
      }
    }
  }

  /** What java.util.zip throws for a corrupt or cut-off stream. */
  private static boolean isGzipError(IOException e) {
    return e instanceof ZipException || e instanceof EOFException;
  }

  private static NiftiException failure(Path file, IOException e) {
    if (isGzipError(e)) {
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
