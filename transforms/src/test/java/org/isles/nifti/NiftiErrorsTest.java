package org.isles.nifti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
import org.isles.testing.PythonOracle;
import org.isles.volume.Grid;
import org.isles.volume.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken and unsupported files fail with one NiftiException naming the file and the problem; the
 * one repair beyond nibabel's (an unset vox_offset) is checked here too.
 */
class NiftiErrorsTest {
  private static final int MAGIC = 344;
  private static final int DATATYPE = 70;
  private static final int BITPIX = 72;
  private static final int DIM = 40;
  private static final int VOX_OFFSET = 108;

  @TempDir Path dir;

  private Path validNii() {
    Grid grid = Grid.axisAligned(4, 3, 2, 1, 1, 1);
    float[] values = new float[grid.size()];
    Arrays.fill(values, 1.5f);
    Path file = dir.resolve("valid.nii");
    Nifti.write(file, new Volume(grid, values), NiftiDatatype.FLOAT32);
    return file;
  }

  private Path patched(String name, Consumer<ByteBuffer> patch) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(validNii())).order(ByteOrder.LITTLE_ENDIAN);
    patch.accept(bytes);
    Path file = dir.resolve(name);
    Files.write(file, bytes.array());
    return file;
  }

  private Path gzipped(Path plain) throws IOException {
    Path file = dir.resolve(plain.getFileName() + ".gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(Files.readAllBytes(plain));
    }
    return file;
  }

  private static void assertFails(Path file, String problem, Executable read) {
    NiftiException e = assertThrows(NiftiException.class, read);
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
  }

  @Test
  void wrongMagic() throws IOException {
    Path file = patched("magic.nii", b -> b.put(MAGIC, "xyz".getBytes(StandardCharsets.US_ASCII)));
    assertFails(file, "wrong magic 'xyz'", () -> Nifti.read(file));
    assertFails(file, "wrong magic 'xyz'", () -> Nifti.readHeader(file));
  }

  @Test
  void headerOfAPairIsNotASingleFile() throws IOException {
    Path file = patched("pair.nii", b -> b.put(MAGIC, "ni1".getBytes(StandardCharsets.US_ASCII)));
    assertFails(file, "header of a .hdr/.img pair", () -> Nifti.read(file));
  }

  @Test
  void notNifti() throws IOException {
    Path file = dir.resolve("text.nii");
    Files.writeString(file, "this is not an image, just a line of text long enough");
    assertFails(file, "not a NIfTI file", () -> Nifti.read(file));
  }

  @Test
  void truncatedData() throws IOException {
    byte[] whole = Files.readAllBytes(validNii());
    Path file = dir.resolve("short.nii");
    Files.write(file, Arrays.copyOf(whole, whole.length - 5));
    assertFails(file, "truncated file", () -> Nifti.read(file));
    assertFails(gzipped(file), "truncated file", () -> Nifti.read(gzipped(file)));
  }

  @Test
  void truncatedHeader() throws IOException {
    Path file = dir.resolve("short-header.nii");
    Files.write(file, Arrays.copyOf(Files.readAllBytes(validNii()), 200));
    assertFails(file, "truncated file", () -> Nifti.readHeader(file));
  }

  @Test
  void truncatedGzipStream() throws IOException {
    byte[] gz = Files.readAllBytes(gzipped(validNii()));
    Path file = dir.resolve("cut.nii.gz");
    Files.write(file, Arrays.copyOf(gz, gz.length - 12));
    assertFails(file, "corrupt gzip in", () -> Nifti.read(file));
  }

  @Test
  void corruptGzip() throws IOException {
    byte[] gz = Files.readAllBytes(gzipped(validNii()));
    for (int n = 20; n < gz.length - 8; n++) {
      gz[n] ^= (byte) 0x5a;
    }
    Path file = dir.resolve("corrupt.nii.gz");
    Files.write(file, gz);
    assertFails(file, "corrupt gzip in", () -> Nifti.read(file));
  }

  @Test
  void unsupportedDatatype() throws IOException {
    Path file = patched("complex.nii", b -> b.putShort(DATATYPE, (short) 32).putShort(BITPIX, (short) 64));
    assertFails(file, "unsupported datatype 32 in", () -> Nifti.read(file));
  }

  @Test
  void missingFile() {
    Path file = dir.resolve("absent.nii.gz");
    assertFails(file, "no such file", () -> Nifti.read(file));
  }

  @Test
  void readVolumeRefusesSeveralVolumes() throws IOException {
    Path file = dir.resolve("four.nii");
    PythonOracle.run("import sys, numpy as np, nibabel as nib\n"
        + "nib.save(nib.Nifti1Image(np.zeros((3, 4, 5, 2), 'f4'), np.eye(4)), sys.argv[1])", file.toString());
    assertFails(file, "holds 2 volumes", () -> Nifti.readVolume(file));
    assertEquals(2, Nifti.read(file).volumeCount());
  }

  @Test
  void writeNeedsANiftiName() {
    Path file = dir.resolve("out.img");
    Volume volume = Volume.zeros(Grid.axisAligned(2, 2, 2, 1, 1, 1));
    assertFails(file, "must end in .nii or .nii.gz", () -> Nifti.write(file, volume, NiftiDatatype.UINT8));
    assertFalse(Files.exists(file));
  }

  @Test
  void failedWriteLeavesNoFileBehind() throws IOException {
    // Missing directories are created, so make the parent a regular file to force a failure.
    Path notADirectory = Files.createFile(dir.resolve("plain-file"));
    Path file = notADirectory.resolve("out.nii.gz");
    Volume volume = Volume.zeros(Grid.axisAligned(2, 2, 2, 1, 1, 1));
    assertFails(file, "cannot write", () -> Nifti.write(file, volume, NiftiDatatype.FLOAT32));
    Nifti.write(dir.resolve("ok.nii.gz"), volume, NiftiDatatype.FLOAT32);
    try (var listing = Files.list(dir)) {
      assertEquals(List.of("ok.nii.gz", "plain-file"), listing.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void unsetVoxOffsetMeansDataRightAfterTheHeader() throws IOException {
    Path file = patched("offset0.nii", b -> b.putFloat(VOX_OFFSET, 0));
    NiftiImage image = Nifti.read(file);
    assertEquals(352, image.header().voxOffset());
    for (double value : image.data()) {
      assertEquals(1.5, value, 0.0);
    }
  }

  @Test
  void absurdDimensions() throws IOException {
    Path file = patched("huge.nii", b -> {
      b.putShort(DIM, (short) 7);
      for (int n = 1; n <= 7; n++) {
        b.putShort(DIM + 2 * n, Short.MAX_VALUE);
      }
    });
    assertFails(file, "impossible image size", () -> Nifti.readHeader(file));
  }
}
