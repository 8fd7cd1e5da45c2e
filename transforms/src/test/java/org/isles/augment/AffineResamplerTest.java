package org.isles.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.isles.sampling.PatchSize;
import org.isles.sampling.PatchWindow;
import org.isles.sampling.SyntheticCases;
import org.isles.sampling.TrainingCase;
import org.isles.sampling.TrainingSample;
import org.isles.testing.PythonOracle;
import org.isles.volume.Grid;
import org.isles.volume.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AffineResamplerTest {
  // scipy indexes the (nz, ny, nx) array as (z, y, x): the matrix and offset are reversed to match.
  private static final String SCIPY_AFFINE = String.join("\n",
      "import sys, numpy as np, scipy.ndimage as ndi",
      "nx, ny, nz, ox, oy, oz = (int(v) for v in sys.argv[3:9])",
      "a = np.fromfile(sys.argv[1], dtype='<f4').reshape(nz, ny, nx)",
      "m = np.fromfile(sys.argv[2], dtype='<f8')",
      "matrix = m[:9].reshape(3, 3)[::-1, ::-1]",
      "offset = m[9:12][::-1]",
      "for order in (0, 1):",
      "    out = ndi.affine_transform(a, matrix, offset=offset, output_shape=(oz, oy, ox), order=order,",
      "                               mode='grid-constant', cval=0.0)",
      "    out.astype('<f4').tofile(sys.argv[9] + str(order))");

  @TempDir Path dir;

  @Test
  void trilinearAndNearestMatchScipyAffineTransform() throws Exception {
    Grid grid = Grid.axisAligned(9, 8, 7, 1, 1, 1);
    SplittableRandom random = new SplittableRandom(17);
    float[] data = new float[grid.size()];
    for (int n = 0; n < data.length; n++) {
      data[n] = random.nextInt(4) == 0 ? 0f : (float) random.nextDouble(-2, 2);
    }
    double[] matrix = new SpatialTransform(0.3, -0.2, 0.25, 1.08).matrix();
    double[] offset = {1.3, -0.7, 0.9};
    PatchSize size = new PatchSize(10, 7, 8);

    Path input = dir.resolve("in.f32");
    Path transform = dir.resolve("transform.f64");
    PythonOracle.writeFloats(input, data);
    double[] packed = new double[12];
    System.arraycopy(matrix, 0, packed, 0, 9);
    System.arraycopy(offset, 0, packed, 9, 3);
    PythonOracle.writeDoubles(transform, packed);
    PythonOracle.run(SCIPY_AFFINE, input.toString(), transform.toString(), "9", "8", "7", "10", "7", "8",
        dir.resolve("out").toString());

    Volume source = new Volume(grid, data);
    float[] trilinear = new float[size.voxels() + 5];
    AffineResampler.trilinear(source, matrix, offset, size, trilinear, 5);
    float[] expectedTrilinear = PythonOracle.readFloats(dir.resolve("out1"));
    for (int n = 0; n < size.voxels(); n++) {
      assertEquals(expectedTrilinear[n], trilinear[n + 5], 1e-5, "trilinear voxel " + n);
    }

    float[] nearest = new float[size.voxels()];
    AffineResampler.nearestBinary(source, matrix, offset, size, nearest);
    float[] expectedNearest = PythonOracle.readFloats(dir.resolve("out0"));
    for (int n = 0; n < size.voxels(); n++) {
      assertEquals(expectedNearest[n] != 0f ? 1f : 0f, nearest[n], "nearest voxel " + n);
    }
  }

  @Test
  void zeroAngleUnitScaleIsTheIdentity() {
    TrainingCase randomCase = SyntheticCases.randomLabel("identity", 9, 8, 7, 2);
    PatchWindow window = new PatchWindow(-2, 1, 3, new PatchSize(6, 6, 6), PatchWindow.RANDOM);
    TrainingSample resampled = AffineResampler.resample(randomCase, window, SpatialTransform.identity());
    TrainingSample cropped = randomCase.crop(window);
    assertArrayEquals(cropped.image(), resampled.image());
    assertArrayEquals(cropped.label(), resampled.label());
  }

  @Test
  void quarterTurnAboutZEqualsArrayRotation() {
    TrainingCase randomCase = SyntheticCases.randomLabel("rot-z", 7, 7, 5, 4);
    TrainingSample rotated = AffineResampler.resample(randomCase, wholeVolume(randomCase),
        new SpatialTransform(0, 0, Math.PI / 2, 1));
    // Output (x, y, z) reads source (6 - y, x, z): the source turned a quarter clockwise in x-y.
    assertRotated(randomCase, rotated, (x, y, z) -> new int[] {6 - y, x, z});
  }

  @Test
  void quarterTurnAboutXEqualsArrayRotation() {
    TrainingCase randomCase = SyntheticCases.randomLabel("rot-x", 4, 5, 5, 6);
    TrainingSample rotated = AffineResampler.resample(randomCase, wholeVolume(randomCase),
        new SpatialTransform(Math.PI / 2, 0, 0, 1));
    assertRotated(randomCase, rotated, (x, y, z) -> new int[] {x, 4 - z, y});
  }

  private interface SourceOf {
    int[] voxel(int x, int y, int z);
  }

  private static void assertRotated(TrainingCase source, TrainingSample rotated, SourceOf sourceOf) {
    PatchSize size = rotated.size();
    for (int z = 0; z < size.nz(); z++) {
      for (int y = 0; y < size.ny(); y++) {
        for (int x = 0; x < size.nx(); x++) {
          int[] s = sourceOf.voxel(x, y, z);
          int n = x + size.nx() * (y + size.ny() * z);
          for (int c = 0; c < source.channelCount(); c++) {
            assertEquals(source.channels().get(c).get(s[0], s[1], s[2]), rotated.image()[rotated.channelStart(c) + n], 1e-5);
          }
          assertEquals(source.label().get(s[0], s[1], s[2]), rotated.label()[n]);
        }
      }
    }
  }

  private static PatchWindow wholeVolume(TrainingCase trainingCase) {
    Grid grid = trainingCase.grid();
    return new PatchWindow(0, 0, 0, new PatchSize(grid.nx(), grid.ny(), grid.nz()), PatchWindow.RANDOM);
  }
}
