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
  private static final int PIXDIM = 76;
  private static final int SCL_SLOPE = 112;
  private static final int SCL_INTER = 116;
  private static final int QFORM_CODE = 252;
  private static final int SFORM_CODE = 254;
  private static final int QUATERN_B = 256;
  private static final int SROW_X = 280;
  private static final int INTENT_CODE = 68;

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

  @Test
  void voxOffsetInsideTheHeader() throws IOException {
    Path file = patched("offset100.nii", b -> b.putFloat(VOX_OFFSET, 100));
    assertFails(file, "invalid vox_offset 100", () -> Nifti.readHeader(file));
    assertFails(file, "data starts at 352 or later", () -> Nifti.read(file));
    Path almost = patched("offset348.nii", b -> b.putFloat(VOX_OFFSET, 348));
    assertFails(almost, "invalid vox_offset 348", () -> Nifti.read(almost));
  }

  @Test
  void voxOffsetNaNNegativeOrFractional() throws IOException {
    Path nan = patched("offset-nan.nii", b -> b.putFloat(VOX_OFFSET, Float.NaN));
    assertFails(nan, "invalid vox_offset NaN", () -> Nifti.read(nan));
    Path negative = patched("offset-negative.nii", b -> b.putFloat(VOX_OFFSET, -352));
    assertFails(negative, "invalid vox_offset -352", () -> Nifti.read(negative));
    assertFails(negative, "is negative", () -> Nifti.read(negative));
    Path fractional = patched("offset-fraction.nii", b -> b.putFloat(VOX_OFFSET, 352.5f));
    assertFails(fractional, "invalid vox_offset 352.5", () -> Nifti.read(fractional));
    assertFails(fractional, "not a whole number of bytes", () -> Nifti.read(fractional));
  }

  @Test
  void voxOffsetBeyondTheExtensionLimit() throws IOException {
    Path file = patched("offset-far.nii", b -> b.putFloat(VOX_OFFSET, 1L << 40));
    assertFails(file, "invalid vox_offset 1099511627776", () -> Nifti.read(file));
  }

  @Test
  void nifti2VoxOffsetInsideItsHeader() throws IOException {
    Path file = dir.resolve("two.nii");
    PythonOracle.run("import sys, numpy as np, nibabel as nib\n"
        + "img = nib.Nifti2Image(np.zeros((3, 4, 5), 'f4'), np.eye(4)); img.to_filename(sys.argv[1])\n"
        + "b = bytearray(open(sys.argv[1], 'rb').read()); b[168:176] = (540).to_bytes(8, 'little')\n"
        + "open(sys.argv[1], 'wb').write(b)", file.toString());
    assertFails(file, "invalid vox_offset 540", () -> Nifti.read(file));
    assertFails(file, "single NIfTI-2 file's data starts at 544", () -> Nifti.read(file));
  }

  @Test
  void bitpixDisagreeingWithDatatype() throws IOException {
    Path file = patched("bitpix.nii", b -> b.putShort(BITPIX, (short) 8));
    assertFails(file, "bitpix 8 disagrees with datatype 16 (float32 has 32 bits)", () -> Nifti.readHeader(file));
  }

  @Test
  void dimsOutOfRange() throws IOException {
    Path zero = patched("dim0.nii", b -> b.putShort(DIM, (short) 0));
    assertFails(zero, "invalid dim[0] 0", () -> Nifti.readHeader(zero));
    Path eight = patched("dim8.nii", b -> b.putShort(DIM, (short) 8));
    assertFails(eight, "invalid dim[0] 8", () -> Nifti.readHeader(eight));
    Path empty = patched("dim2.nii", b -> b.putShort(DIM + 4, (short) 0));
    assertFails(empty, "invalid dim[2] 0", () -> Nifti.readHeader(empty));
    Path negative = patched("dim3.nii", b -> b.putShort(DIM + 6, (short) -2));
    assertFails(negative, "invalid dim[3] -2", () -> Nifti.readHeader(negative));
  }

  /** Codes cleared: the geometry rests on pixdim alone. */
  private Path withoutXforms(String name, Consumer<ByteBuffer> patch) throws IOException {
    return patched(name, b -> {
      b.putShort(QFORM_CODE, (short) 0).putShort(SFORM_CODE, (short) 0);
      patch.accept(b);
    });
  }

  @Test
  void zeroOrNonFiniteVoxelSizeWithoutXformsIsUndefinedGeometry() throws IOException {
    for (float bad : new float[] {0, Float.NaN, Float.POSITIVE_INFINITY}) {
      Path file = withoutXforms("pixdim-" + bad + ".nii", b -> b.putFloat(PIXDIM + 8, bad));
      assertFails(file, "undefined geometry in " + file + ": voxel size pixdim[2] is " + (double) bad
          + " and neither sform nor qform is set", () -> Nifti.readHeader(file));
    }
  }

  @Test
  void zeroVoxelSizeUnderTheQformIsUndefinedGeometry() throws IOException {
    Path file = patched("qform-pixdim0.nii", b -> b.putShort(SFORM_CODE, (short) 0).putFloat(PIXDIM + 4, 0));
    assertFails(file, "voxel size pixdim[1] is 0.0 under the qform", () -> Nifti.read(file));
  }

  /** nibabel's repairs stay: a negative size counts by its magnitude, a zero one under a valid sform reads as 1. */
  @Test
  void negativeVoxelSizeIsItsMagnitudeAndZeroUnderTheSformIsRepaired() throws IOException {
    Path negative = withoutXforms("pixdim-negative.nii", b -> b.putFloat(PIXDIM + 4, -2));
    NiftiHeader header = Nifti.readHeader(negative);
    assertEquals(2, header.pixdim()[1], 0.0);
    assertEquals(-2, header.affine()[0], 0.0, "the base affine flips x");
    assertEquals(3, header.affine()[3], 0.0, "centred: -(4 - 1) / 2 * -2");
    Path zero = patched("pixdim0-sform.nii", b -> b.putShort(QFORM_CODE, (short) 0).putFloat(PIXDIM + 4, 0));
    assertEquals(1, Nifti.readHeader(zero).pixdim()[1], 0.0);
    assertEquals(1, Nifti.readHeader(zero).affine()[0], 0.0);
  }

  @Test
  void nonFiniteOrSingularSformIsRefused() throws IOException {
    Path nan = patched("sform-nan.nii", b -> b.putFloat(SROW_X + 4, Float.NaN));
    assertFails(nan, "non-finite sform", () -> Nifti.readHeader(nan));
    Path singular = patched("sform-singular.nii", b -> b.putFloat(SROW_X + 16 + 4, 0));
    assertFails(singular, "undefined geometry in " + singular + ": the sform", () -> Nifti.readHeader(singular));
    assertFails(singular, "is singular", () -> Nifti.readHeader(singular));
  }

  @Test
  void nonFiniteQformIsRefused() throws IOException {
    Path file = patched("qform-inf.nii", b -> b.putFloat(QUATERN_B, Float.POSITIVE_INFINITY));
    assertFails(file, "non-finite qform", () -> Nifti.readHeader(file));
  }

  @Test
  void nonFiniteInterceptWithAValidSlope() throws IOException {
    Path file = patched("inter.nii", b -> b.putFloat(SCL_SLOPE, 2).putFloat(SCL_INTER, Float.NaN));
    assertFails(file, "invalid scl_inter NaN with scl_slope 2.0", () -> Nifti.readHeader(file));
  }

  @Test
  void ciftiIsRefusedFromItsHeader() throws IOException {
    Path file = patched("cifti.nii", b -> b.putShort(INTENT_CODE, (short) 3006));
    assertFails(file, "is a CIFTI-2 file (intent code 3006)", () -> Nifti.readHeader(file));
  }

  @Test
  void nonFiniteValuesInAnIntegerTypeAreRefusedUnlessAsked() throws IOException {
    Grid grid = Grid.axisAligned(3, 2, 2, 1, 1, 1);
    float[] values = new float[grid.size()];
    values[1] = Float.NaN;
    values[4] = Float.POSITIVE_INFINITY;
    values[5] = 7;
    Volume volume = new Volume(grid, values);
    for (NiftiDatatype type : List.of(NiftiDatatype.INT16, NiftiDatatype.UINT8)) {
      Path file = dir.resolve("lossy-" + type.displayName() + ".nii.gz");
      assertFails(file, "cannot write " + file + " as " + type.displayName() + ": 1 NaN and 1 infinite voxels",
          () -> Nifti.write(file, volume, type));
      assertFails(file, "a lossy conversion", () -> Nifti.write(file, volume, type, 1, 0));
      assertFalse(Files.exists(file));
    }
    Path floats = dir.resolve("float.nii");
    Nifti.write(floats, volume, NiftiDatatype.FLOAT32);
    assertTrue(Float.isNaN(Nifti.readVolume(floats).data()[1]), "float types keep NaN");
  }
}
