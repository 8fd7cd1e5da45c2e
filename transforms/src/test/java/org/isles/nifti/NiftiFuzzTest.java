package org.isles.nifti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.isles.testing.PythonOracle;
import org.isles.volume.Grid;
import org.isles.volume.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10's fuzz test: {@value #MUTATIONS} seeded mutations of real (Debian's nibabel and dipy
 * test data), nibabel-written and Java-written images, as plain files and gzip streams: bit flips,
 * header fields overwritten with boundary values, random bytes, truncations, inserted and deleted
 * bytes, corrupt, cut and extended gzip streams. Every read must end in a NiftiException naming the
 * file on one line or in a correct read: the voxels an independent decoder in this test finds at
 * vox_offset, scaled, on a grid with positive finite voxel sizes. Reads run with a limit of
 * {@value #MAX_VOXELS} voxels and each may allocate at most {@value #ALLOCATION_BOUND} bytes
 * (HotSpot's per-thread allocation counter); a read that takes more than {@value #HANG_SECONDS} s
 * fails as a hang.
 */
class NiftiFuzzTest {
  private static final int MUTATIONS = 12_000;
  private static final long MAX_VOXELS = 1 << 20;
  /** 8 MiB of doubles for the largest accepted image, plus the reader's buffers. */
  private static final long ALLOCATION_BOUND = 12L << 20;
  /** A hang guard, not a timing check: reads take milliseconds, the slowest seen 1.2 s on an overloaded machine. */
  private static final long HANG_SECONDS = 30;
  /** Shipped files up to this size (uncompressed) are seeds; larger ones make the run slow. */
  private static final int MAX_SEED_BYTES = 80 << 10;

  /** Header fields worth aiming at: offset and width, NIfTI-1 then NIfTI-2 (sizeof_hdr, magic, dims, codes, geometry, scaling). */
  private static final int[][] NIFTI1_FIELDS = fields(
      0, 4, 344, 4, 40, 2, 42, 2, 44, 2, 46, 2, 48, 2, 56, 2, 68, 2, 70, 2, 72, 2, 76, 4, 80, 4, 84, 4, 88, 4,
      108, 4, 112, 4, 116, 4, 123, 1, 252, 2, 254, 2, 256, 4, 260, 4, 264, 4, 268, 4, 280, 4, 284, 4, 300, 4, 320, 4);
  private static final int[][] NIFTI2_FIELDS = fields(
      0, 4, 4, 8, 12, 2, 14, 2, 16, 8, 24, 8, 32, 8, 40, 8, 48, 8, 104, 8, 112, 8, 120, 8, 128, 8, 168, 8,
      176, 8, 184, 8, 344, 4, 348, 4, 352, 8, 360, 8, 376, 8, 400, 8, 408, 8, 440, 8, 480, 8, 500, 4, 504, 4);

  @TempDir Path dir;

  private record Seed(String name, byte[] plain) {}

  private static int[][] fields(int... pairs) {
    int[][] fields = new int[pairs.length / 2][];
    for (int n = 0; n < fields.length; n++) {
      fields[n] = new int[] {pairs[2 * n], pairs[2 * n + 1]};
    }
    return fields;
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void everyMutationIsACorrectReadOrANiftiException() throws IOException {
    List<Seed> seeds = seeds();
    Random random = new Random(20221);
    Path plainFile = dir.resolve("mutant.nii");
    Path gzipFile = dir.resolve("mutant.nii.gz");
    int reads = 0;
    int refused = 0;
    long slowestNanos = 0;
    long readNanos = 0;
    long began = System.nanoTime();
    long cpuBegan = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    long mostAllocated = 0;
    for (int m = 0; m < MUTATIONS; m++) {
      Seed seed = seeds.get(random.nextInt(seeds.size()));
      Mutant mutant = mutate(seed, random);
      Path file = mutant.gzip ? gzipFile : plainFile;
      // a fresh file each time: rewriting one in place makes ext4 flush it at every close
      Files.deleteIfExists(file);
      Files.write(file, mutant.bytes);
      String what = "mutation " + m + " (" + mutant.description + ") of " + seed.name;

      long start = System.nanoTime();
      long before = HostileNiftiFiles.allocatedBytes();
      NiftiImage image = null;
      try {
        Nifti.readHeader(file);
        image = m % 4 == 0 ? null : Nifti.read(file, MAX_VOXELS);
        if (m % 4 == 0) {
          Nifti.readVolume(file, MAX_VOXELS);
        }
        reads++;
      } catch (NiftiException e) {
        refused++;
        assertTrue(e.getMessage().contains(file.toString()), what + ": " + e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), what + ": " + e.getMessage());
      } catch (Throwable e) {
        fail(what + " threw " + e, e);
      }
      long allocated = HostileNiftiFiles.allocatedBytes() - before;
      long nanos = System.nanoTime() - start;
      slowestNanos = Math.max(slowestNanos, nanos);
      readNanos += nanos;
      mostAllocated = Math.max(mostAllocated, allocated);
      assertTrue(allocated < ALLOCATION_BOUND, what + " allocated " + allocated + " bytes");
      assertTrue(nanos < TimeUnit.SECONDS.toNanos(HANG_SECONDS), what + " took " + nanos / 1e9 + " s");
      if (image != null) {
        assertReadCorrectly(image, expectedStream(mutant), what);
      }
    }
    double cpu = (java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuBegan) / 1e9;
    System.out.printf("NiftiFuzzTest: %d mutations in %.1f s (%.1f s of CPU), %d read, %d refused; reads took %.1f s in all, the slowest"
        + " %.1f ms; most allocated by one read %.1f MiB%n", MUTATIONS, (System.nanoTime() - began) / 1e9, cpu, reads, refused,
        readNanos / 1e9, slowestNanos / 1e6, mostAllocated / (double) (1 << 20));
    assertTrue(reads > MUTATIONS / 20 && refused > MUTATIONS / 20, reads + " read, " + refused + " refused");
  }

  private record Mutant(byte[] bytes, boolean gzip, String description) {}

  private static Mutant mutate(Seed seed, Random random) throws IOException {
    byte[] plain = seed.plain.clone();
    int header = ByteBuffer.wrap(plain).order(ByteOrder.LITTLE_ENDIAN).getInt(0) == 540
        || ByteBuffer.wrap(plain).order(ByteOrder.BIG_ENDIAN).getInt(0) == 540 ? 540 : 348;
    boolean gzip = random.nextBoolean();
    String description;
    switch (random.nextInt(8)) {
      case 0 -> {
        int bits = 1 + random.nextInt(4);
        for (int n = 0; n < bits; n++) {
          plain[random.nextInt(header + 4)] ^= (byte) (1 << random.nextInt(8));
        }
        description = bits + " header bit flips";
      }
      case 1, 2 -> {
        int[][] fields = header == 540 ? NIFTI2_FIELDS : NIFTI1_FIELDS;
        int[] field = fields[random.nextInt(fields.length)];
        byte[] value = boundaryValue(field[1], plain, random);
        System.arraycopy(value, 0, plain, field[0], field[1]);
        description = "field at " + field[0] + " set to " + Arrays.toString(value);
      }
      case 3 -> {
        int bytes = 1 + random.nextInt(8);
        for (int n = 0; n < bytes; n++) {
          plain[random.nextInt(plain.length)] = (byte) random.nextInt(256);
        }
        description = bytes + " random bytes";
      }
      case 4 -> {
        int length = random.nextInt(plain.length);
        plain = Arrays.copyOf(plain, length);
        description = "truncated to " + length;
      }
      case 5 -> {
        int at = random.nextInt(plain.length);
        int count = 1 + random.nextInt(16);
        byte[] changed = new byte[random.nextBoolean() ? plain.length + count : Math.max(0, plain.length - count)];
        System.arraycopy(plain, 0, changed, 0, Math.min(at, changed.length));
        if (changed.length > plain.length) {
          for (int n = at; n < at + count; n++) {
            changed[n] = (byte) random.nextInt(256);
          }
          System.arraycopy(plain, at, changed, at + count, plain.length - at);
        } else if (at < changed.length) {
          System.arraycopy(plain, at + count, changed, at, changed.length - at);
        }
        description = (changed.length > plain.length ? count + " bytes inserted at " : count + " bytes deleted at ") + at;
        plain = changed;
      }
      case 6 -> {
        byte[] longer = Arrays.copyOf(plain, plain.length + 1 + random.nextInt(1 << 16));
        description = (longer.length - plain.length) + " trailing zero bytes";
        plain = longer;
      }
      default -> {
        byte[] compressed = gzip(plain);
        gzip = true;
        return switch (random.nextInt(4)) {
          case 0 -> {
            int flips = 1 + random.nextInt(3);
            for (int n = 0; n < flips; n++) {
              compressed[random.nextInt(compressed.length)] ^= (byte) (1 << random.nextInt(8));
            }
            yield new Mutant(compressed, true, flips + " gzip bit flips");
          }
          case 1 -> {
            int length = 2 + random.nextInt(compressed.length - 2);
            yield new Mutant(Arrays.copyOf(compressed, length), true, "gzip cut to " + length + " of " + compressed.length);
          }
          case 2 -> {
            byte[] garbage = new byte[1 + random.nextInt(64)];
            random.nextBytes(garbage);
            byte[] joined = Arrays.copyOf(compressed, compressed.length + garbage.length);
            System.arraycopy(garbage, 0, joined, compressed.length, garbage.length);
            yield new Mutant(joined, true, garbage.length + " garbage bytes after the gzip member");
          }
          default -> {
            byte[] joined = Arrays.copyOf(compressed, compressed.length * 2);
            System.arraycopy(compressed, 0, joined, compressed.length, compressed.length);
            yield new Mutant(joined, true, "two gzip members");
          }
        };
      }
    }
    return new Mutant(gzip ? gzip(plain) : plain, gzip, description + (gzip ? ", gzipped" : ""));
  }

  /** A value that breaks checks: zeros, ones, signs, extremes, NaN and infinities, sizes near the header's. */
  private static byte[] boundaryValue(int width, byte[] plain, Random random) {
    ByteBuffer b = ByteBuffer.allocate(width).order(
        ByteBuffer.wrap(plain).order(ByteOrder.LITTLE_ENDIAN).getInt(0) == 348
            || ByteBuffer.wrap(plain).order(ByteOrder.LITTLE_ENDIAN).getInt(0) == 540
            ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    boolean asFloat = width >= 4 && random.nextBoolean();
    double[] floats = {0, -0.0, 1, -1, 0.5, 351.5, 352, 544, 1e-30, 1e30, Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, Float.MAX_VALUE, 1 << 24, 1L << 40};
    long[] integers = {0, 1, -1, 2, 3, 7, 8, 255, 348, 352, 540, 544, Short.MAX_VALUE, Short.MIN_VALUE, 65535,
        Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, 1 << 20, 3000, 16, 64, 1024};
    if (asFloat) {
      double value = floats[random.nextInt(floats.length)];
      if (width == 4) {
        b.putFloat((float) value);
      } else {
        b.putDouble(value);
      }
    } else {
      long value = integers[random.nextInt(integers.length)];
      switch (width) {
        case 1 -> b.put((byte) value);
        case 2 -> b.putShort((short) value);
        case 4 -> b.putInt((int) value);
        default -> b.putLong(value);
      }
    }
    return b.array();
  }

  /** The bytes a correct gunzip yields (plain files as they are), up to what any accepted image needs. */
  private static byte[] expectedStream(Mutant mutant) throws IOException {
    if (!mutant.gzip) {
      return mutant.bytes;
    }
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(mutant.bytes))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      int n;
      long cap = NiftiHeader.MAX_VOX_OFFSET + MAX_VOXELS * 8;
      while (out.size() < cap && (n = in.read(buffer)) > 0) {
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      // the read succeeded on the declared prefix; a later error does not matter: take what inflates
      return partialGunzip(mutant.bytes);
    }
  }

  private static byte[] partialGunzip(byte[] gz) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    // byte by byte: a buffered read that meets the error would drop the bytes inflated before it
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      int b;
      while ((b = in.read()) >= 0) {
        out.write(b);
      }
    } catch (IOException e) {
      // everything before the error is in out
    }
    return out.toByteArray();
  }

  /**
   * The independent decoder: header fields at their documented offsets, voxels from vox_offset
   * (352 or 544 when 0), scaled when scl_slope is finite and nonzero.
   */
  private static void assertReadCorrectly(NiftiImage image, byte[] stream, String what) {
    ByteBuffer b = ByteBuffer.wrap(stream).order(ByteOrder.LITTLE_ENDIAN);
    int size = b.getInt(0);
    if (size != 348 && size != 540) {
      b.order(ByteOrder.BIG_ENDIAN);
      size = b.getInt(0);
    }
    boolean two = size == 540;
    int ndim = (int) (two ? b.getLong(16) : b.getShort(40));
    long[] dims = new long[ndim];
    long count = 1;
    for (int n = 0; n < ndim; n++) {
      dims[n] = two ? b.getLong(24 + 8 * n) : b.getShort(42 + 2 * n);
      count *= dims[n];
    }
    assertEquals(Arrays.toString(dims), Arrays.toString(image.header().dims()), what);
    int code = b.getShort(two ? 12 : 70);
    double offset = two ? b.getLong(168) : b.getFloat(108);
    int at = (int) (offset == 0 ? size + 4 : offset);
    double slope = two ? b.getDouble(176) : b.getFloat(112);
    double inter = two ? b.getDouble(184) : b.getFloat(116);
    boolean scaled = slope != 0 && Double.isFinite(slope) && (slope != 1 || inter != 0);
    double[] data = image.data();
    assertEquals(count, data.length, what);
    for (int n = 0; n < count; n++) {
      double raw = switch (code) {
        case 2 -> b.get(at + n) & 0xFF;
        case 256 -> b.get(at + n);
        case 4 -> b.getShort(at + 2 * n);
        case 512 -> b.getShort(at + 2 * n) & 0xFFFF;
        case 8 -> b.getInt(at + 4 * n);
        case 768 -> b.getInt(at + 4 * n) & 0xFFFFFFFFL;
        case 1024 -> b.getLong(at + 8 * n);
        case 16 -> b.getFloat(at + 4 * n);
        case 64 -> b.getDouble(at + 8 * n);
        default -> throw new AssertionError(what + ": read datatype " + code);
      };
      double expected = scaled ? raw * slope + inter : raw;
      if (!(expected == data[n] || (Double.isNaN(expected) && Double.isNaN(data[n])))) {
        assertEquals(expected, data[n], what + ": voxel " + n);
      }
    }
    for (double spacing : image.grid().spacing()) {
      assertTrue(spacing > 0 && Double.isFinite(spacing), what + ": voxel size " + spacing);
    }
    for (double value : image.header().affine()) {
      assertTrue(Double.isFinite(value), what + ": affine " + Arrays.toString(image.header().affine()));
    }
  }

  private static byte[] gzip(byte[] plain) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(out) {
      {
        def.setLevel(Deflater.BEST_SPEED);
      }
    }) {
      gz.write(plain);
    }
    return out.toByteArray();
  }

  /** Java-written, nibabel-written (NIfTI-2, big-endian, scaled, 4-D, extensions) and shipped images. */
  private List<Seed> seeds() throws IOException {
    List<Seed> seeds = new ArrayList<>();
    Grid grid = Grid.axisAligned(6, 5, 4, 1.5, 2, 3);
    float[] values = new float[grid.size()];
    for (int n = 0; n < values.length; n++) {
      values[n] = (float) Math.sin(n) * 100;
    }
    for (NiftiDatatype type : List.of(NiftiDatatype.FLOAT32, NiftiDatatype.INT16, NiftiDatatype.FLOAT64)) {
      Path file = dir.resolve("java-" + type.displayName() + ".nii");
      Nifti.write(file, new Volume(grid, values), type);
      seeds.add(new Seed(file.getFileName().toString(), Files.readAllBytes(file)));
    }
    PythonOracle.run(String.join("\n",
        "import sys, os, numpy as np, nibabel as nib",
        "d = sys.argv[1]; rng = np.random.default_rng(4)",
        "aff = np.diag([2.0, -1.5, 3.0, 1]); aff[:3, 3] = [4, -5, 6]",
        "nib.Nifti2Image(rng.normal(0, 50, (5, 4, 3)).astype('<f4'), aff).to_filename(os.path.join(d, 'nib2.nii'))",
        "h = nib.Nifti1Header(endianness='>'); img = nib.Nifti1Image(rng.normal(0, 50, (4, 3, 5)).astype('>f8'), aff, h)",
        "img.to_filename(os.path.join(d, 'nib1-big.nii'))",
        "h = nib.Nifti2Header(endianness='>'); img = nib.Nifti2Image(rng.integers(-99, 99, (3, 4, 2, 3)).astype('>i2'), aff, h)",
        "img.header.set_slope_inter(0.5, -2); img.to_filename(os.path.join(d, 'nib2-big-4d.nii'))",
        "img = nib.Nifti1Image(rng.integers(0, 200, (4, 4, 4)).astype('u1'), aff); img.header.set_qform(aff, 1)",
        "img.header.set_sform(None, 0)",
        "img.header.extensions.append(nib.nifti1.Nifti1Extension('comment', b'fuzz seed ' * 7))",
        "img.to_filename(os.path.join(d, 'nib1-qform-ext.nii'))",
        "img = nib.Nifti1Image(rng.integers(0, 9, (6, 5)).astype('<u2'), aff); img.header.set_qform(None, 0)",
        "img.header.set_sform(None, 0); img.to_filename(os.path.join(d, 'nib1-2d-nocodes.nii'))"),
        dir.toString());
    for (String name : List.of("nib2.nii", "nib1-big.nii", "nib2-big-4d.nii", "nib1-qform-ext.nii", "nib1-2d-nocodes.nii")) {
      seeds.add(new Seed(name, Files.readAllBytes(dir.resolve(name))));
    }
    for (String pkg : List.of("python3-nibabel", "python3-dipy")) {
      Process dpkg = new ProcessBuilder("dpkg", "-L", pkg).redirectErrorStream(true).start();
      for (String file : new String(dpkg.getInputStream().readAllBytes()).lines().toList()) {
        if (file.matches(".*\\.(nii|nii\\.gz)$") && Files.size(Path.of(file)) < MAX_SEED_BYTES) {
          byte[] bytes = Files.readAllBytes(Path.of(file));
          if (file.endsWith(".gz")) {
            bytes = new GZIPInputStream(new ByteArrayInputStream(bytes)).readAllBytes();
          }
          if (bytes.length < MAX_SEED_BYTES) {
            seeds.add(new Seed(Path.of(file).getFileName().toString(), bytes));
          }
        }
      }
    }
    assertFalse(seeds.size() < 12, "seeds: " + seeds.size());
    return seeds;
  }
}
