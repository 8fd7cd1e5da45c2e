package org.isles.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.isles.volume.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile inputs of issue 10: every one ends in a correct read of the declared bytes or a
 * one-line NiftiException naming the file, with the heap allocations of the read measured
 * (HotSpot's per-thread counter) and never a hang.
 */
class NiftiBoundedReadTest {
  private static final long GIB = 1L << 30;
  /** What reading a 1 MiB uint8 image may allocate: its doubles (8 MiB) plus buffers. */
  private static final long ONE_MIB_IMAGE_BUDGET = 12L << 20;
  /** Anything the header check refuses must cost next to nothing. */
  private static final long REFUSAL_BUDGET = 1L << 20;

  @TempDir Path dir;

  private static NiftiException assertRefused(Path file, String problem, Executable read) {
    long before = HostileNiftiFiles.allocatedBytes();
    NiftiException e = assertThrows(NiftiException.class, read);
    long allocated = HostileNiftiFiles.allocatedBytes() - before;
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    assertTrue(allocated < REFUSAL_BUDGET, "refusal allocated " + allocated + " bytes");
    return e;
  }

  private static void assertPattern(double[] data) {
    for (int n = 0; n < data.length; n++) {
      if (data[n] != n % 251) {
        assertEquals(n % 251, data[n], 0.0, "voxel " + n);
      }
    }
  }

  /** 352 + 1 MiB of image, then 4 GiB of zeros, in a 4 MB .nii.gz: the image is read, the zeros are not. */
  @Test
  void gzipBombIsReadUpToItsDeclaredImageAndNoFurther() throws IOException {
    Path file = HostileNiftiFiles.gzipBomb(dir.resolve("bomb.nii.gz"), 256, 256, 16, 4 * GIB);
    assertTrue(Files.size(file) < 8_000_000, Files.size(file) + " bytes");

    long before = HostileNiftiFiles.allocatedBytes();
    NiftiImage image = Nifti.read(file);
    long allocated = HostileNiftiFiles.allocatedBytes() - before;

    assertArrayEquals(new long[] {256, 256, 16}, image.header().dims());
    assertPattern(image.data());
    assertTrue(allocated < ONE_MIB_IMAGE_BUDGET, "read allocated " + allocated + " bytes");

    before = HostileNiftiFiles.allocatedBytes();
    Volume volume = Nifti.readVolume(file);
    allocated = HostileNiftiFiles.allocatedBytes() - before;
    assertEquals(250, volume.data()[250], 0.0);
    assertTrue(allocated < ONE_MIB_IMAGE_BUDGET / 2, "readVolume allocated " + allocated + " bytes");
  }

  @Test
  void gzipBombDeclaringMoreThanTheLimitIsRefusedBeforeAllocating() throws IOException {
    byte[] header = Arrays.copyOf(HostileNiftiFiles.plainImage(2, 2, 2), 352);
    ByteBuffer b = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort(42, (short) 2048).putShort(44, (short) 2048).putShort(46, (short) 64);
    Path file = dir.resolve("huge.nii.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(header);
      out.write(new byte[1 << 20]);
    }
    NiftiException e = assertRefused(file, "declares 268435456 voxels (2048x2048x64 uint8, 0.3 GiB)",
        () -> Nifti.read(file));
    assertTrue(e.getMessage().contains("limit of " + Nifti.MAX_VOXELS + " voxels"), e.getMessage());
  }

  @Test
  void smallGzipDeclaringMoreThanItCanInflateToIsRefusedBeforeAllocating() throws IOException {
    // 64 MiB of float32 declared, 4 KiB of gzip: deflate cannot expand beyond 1032:1
    byte[] header = Arrays.copyOf(HostileNiftiFiles.plainImage(2, 2, 2), 352);
    ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).putShort(42, (short) 256).putShort(44, (short) 256)
        .putShort(46, (short) 256).putShort(70, (short) 16).putShort(72, (short) 32);
    Path file = dir.resolve("liar.nii.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(header);
    }
    assertRefused(file, "truncated file", () -> Nifti.read(file));
  }

  @Test
  void sparseFileDeclaringAHugeImageIsRefusedBySize() throws IOException {
    byte[] header = Arrays.copyOf(HostileNiftiFiles.plainImage(2, 2, 2), 352);
    ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).putShort(42, (short) 1024).putShort(44, (short) 1024)
        .putShort(46, (short) 1024).putShort(70, (short) 16).putShort(72, (short) 32);
    Path file = HostileNiftiFiles.sparse(dir.resolve("sparse.nii"), header, 4 * GIB + 352);
    assertRefused(file, "declares 1073741824 voxels (1024x1024x1024 float32, 4.0 GiB)", () -> Nifti.read(file));
    assertRefused(file, "declares 1073741824 voxels", () -> Nifti.readVolume(file));
    assertEquals(1024, Nifti.readHeader(file).grid().nz(), "the header alone stays readable");
  }

  @Test
  void sparseFileWithASmallImageIsReadWithoutTouchingTheRest() throws IOException {
    Path file = HostileNiftiFiles.sparse(dir.resolve("sparse-small.nii"), HostileNiftiFiles.plainImage(256, 256, 16),
        4 * GIB);
    long before = HostileNiftiFiles.allocatedBytes();
    NiftiImage image = Nifti.read(file);
    long allocated = HostileNiftiFiles.allocatedBytes() - before;
    assertPattern(image.data());
    assertTrue(allocated < ONE_MIB_IMAGE_BUDGET, "read allocated " + allocated + " bytes");
  }

  @Test
  void plainFileShorterThanDeclaredSaysHowShort() throws IOException {
    byte[] whole = HostileNiftiFiles.plainImage(8, 8, 8);
    Path file = dir.resolve("short.nii");
    Files.write(file, Arrays.copyOf(whole, 400));
    assertRefused(file, "truncated file " + file + ": 400 of 864 bytes", () -> Nifti.read(file));
  }

  @Test
  void gzipStreamEndingEarlySaysHowShort() throws IOException {
    byte[] whole = HostileNiftiFiles.plainImage(8, 8, 8);
    Path file = dir.resolve("short.nii.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(whole, 0, 400);
    }
    assertRefused(file, "truncated file " + file + ": 400 of 864 bytes", () -> Nifti.read(file));
  }

  @Test
  void devZeroIsNotARegularFile() {
    Path zero = Path.of("/dev/zero");
    assertRefused(zero, "not a regular file", () -> Nifti.read(zero));
    assertRefused(zero, "not a regular file", () -> Nifti.readHeader(zero));
  }

  @Test
  void linkNamedLikeAnImageToADeviceIsRefused() throws IOException {
    Path link = Files.createSymbolicLink(dir.resolve("x.nii"), Path.of("/dev/zero"));
    assertRefused(link, "not a regular file", () -> Nifti.readVolume(link));
  }

  @Test
  void fifoIsRefusedWithoutWaitingForAWriter() throws Exception {
    Path fifo = dir.resolve("x.nii");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    // a hang guard, not a timing check: opening a FIFO blocks until someone writes to it
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      assertRefused(fifo, "not a regular file", () -> Nifti.read(fifo));
      assertRefused(fifo, "not a regular file", () -> Nifti.readHeader(fifo));
    });
  }

  @Test
  void directoryIsRefused() throws IOException {
    Path folder = Files.createDirectory(dir.resolve("folder.nii.gz"));
    assertRefused(folder, "is a directory", () -> Nifti.read(folder));
  }
}
