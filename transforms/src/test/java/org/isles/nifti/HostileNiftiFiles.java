package org.isles.nifti;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.isles.volume.Grid;
import org.isles.volume.Volume;

/**
 * Files an attacker or a broken export would hand the reader, built by streaming so that none is
 * ever held in memory: gzip bombs (a small image followed by gigabytes of zeros) and sparse files.
 * Public for the CLI tests.
 */
public final class HostileNiftiFiles {
  /** 1 MiB of zeros, compressed once and repeated: a deflate stream of zeros shrinks ~1000:1. */
  private static final int ZERO_CHUNK = 1 << 20;

  private HostileNiftiFiles() {}

  /**
   * A valid uint8 NIfTI-1 image of {@code nx*ny*nz} voxels holding {@code n % 251} at index n,
   * followed by {@code trailingZeros} zero bytes, as one gzip member with a correct CRC and size.
   */
  public static Path gzipBomb(Path file, int nx, int ny, int nz, long trailingZeros) throws IOException {
    byte[] image = plainImage(nx, ny, nz);
    CRC32 crc = new CRC32();
    crc.update(image);
    byte[] zeros = new byte[ZERO_CHUNK];
    byte[] compressedZeros = fullFlush(zeros);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff});
      out.write(fullFlush(image));
      long left = trailingZeros;
      while (left >= ZERO_CHUNK) {
        out.write(compressedZeros);
        crc.update(zeros);
        left -= ZERO_CHUNK;
      }
      byte[] tail = new byte[(int) left];
      crc.update(tail);
      Deflater last = new Deflater(Deflater.BEST_COMPRESSION, true);
      last.setInput(tail);
      last.finish();
      out.write(drain(last));
      long size = image.length + trailingZeros;
      out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue()).putInt((int) size)
          .array());
    }
    return file;
  }

  /** The .nii bytes of the image {@link #gzipBomb} wraps. */
  public static byte[] plainImage(int nx, int ny, int nz) throws IOException {
    float[] values = new float[nx * ny * nz];
    for (int n = 0; n < values.length; n++) {
      values[n] = n % 251;
    }
    Path scratch = Files.createTempFile("image", ".nii");
    try {
      Nifti.write(scratch, new Volume(Grid.axisAligned(nx, ny, nz, 1, 1, 1), values), NiftiDatatype.UINT8);
      return Files.readAllBytes(scratch);
    } finally {
      Files.delete(scratch);
    }
  }

  /** {@code header} (a .nii's first bytes) followed by holes up to {@code length} bytes: no disk is used. */
  public static Path sparse(Path file, byte[] header, long length) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.write(header);
      raf.setLength(length);
    }
    return file;
  }

  /** Bytes allocated on the heap by the current thread so far (HotSpot's per-thread counter). */
  public static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
  }

  /** Raw deflate of {@code data} ending in a full flush: byte-aligned, no history, so it can be concatenated. */
  private static byte[] fullFlush(byte[] data) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    deflater.setInput(data);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    byte[] buffer = new byte[1 << 16];
    int n;
    do {
      n = deflater.deflate(buffer, 0, buffer.length, Deflater.FULL_FLUSH);
      out.write(buffer, 0, n);
    } while (n == buffer.length || !deflater.needsInput());
    deflater.end();
    return out.toByteArray();
  }

  private static byte[] drain(Deflater deflater) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    byte[] buffer = new byte[1 << 16];
    while (!deflater.finished()) {
      out.write(buffer, 0, deflater.deflate(buffer));
    }
    deflater.end();
    return out.toByteArray();
  }
}
