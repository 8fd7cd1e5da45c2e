package org.isles.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.isles.testing.PythonOracle;
import org.isles.volume.Grid;
import org.isles.volume.Volume;
import org.isles.stats.Percentile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PercentileZScoreTest {
  /** numpy's definition, in float64: clip to the percentiles of the brain, z-score the clipped brain. */
  private static final String NUMPY = String.join("\n",
      "import sys, numpy as np",
      "image = np.fromfile(sys.argv[1], dtype='<f4').astype(np.float64)",
      "brain = np.fromfile(sys.argv[2], dtype='<f4') != 0",
      "low, high = np.percentile(image[brain], [0.5, 99.5])",
      "clipped = np.clip(image[brain], low, high)",
      "mean, std = clipped.mean(), clipped.std()",
      "out = np.zeros_like(image)",
      "out[brain] = (clipped - mean) / std",
      "out.astype('<f4').tofile(sys.argv[3])",
      "print(repr(low), repr(high), repr(mean), repr(std))");

  private static final Grid GRID = Grid.axisAligned(30, 28, 20, 1, 1, 1);

  @TempDir Path dir;

  /** An ellipsoidal brain of skewed intensities with a few bright outliers for the clip to catch. */
  private static Volume[] imageAndBrain(long seed) {
    Random random = new Random(seed);
    float[] image = new float[GRID.size()];
    float[] brain = new float[GRID.size()];
    for (int k = 0; k < GRID.nz(); k++) {
      for (int j = 0; j < GRID.ny(); j++) {
        for (int i = 0; i < GRID.nx(); i++) {
          double r = Math.pow((i - 15) / 13.0, 2) + Math.pow((j - 14) / 12.0, 2) + Math.pow((k - 10) / 9.0, 2);
          if (r <= 1) {
            int n = GRID.index(i, j, k);
            brain[n] = 1;
            image[n] = (float) (Math.exp(random.nextGaussian() * 0.5) * 300 + (random.nextInt(1000) == 0 ? 5000 : 0));
          }
        }
      }
    }
    return new Volume[] {new Volume(GRID, image), new Volume(GRID, brain)};
  }

  @Test
  void matchesNumpyPercentilesClipAndZScore() throws IOException {
    Volume[] imageAndBrain = imageAndBrain(21);
    Volume image = imageAndBrain[0];
    Volume brain = imageAndBrain[1];
    Path imageFile = dir.resolve("image.f32");
    Path brainFile = dir.resolve("brain.f32");
    Path outFile = dir.resolve("out.f32");
    PythonOracle.writeFloats(imageFile, image.data());
    PythonOracle.writeFloats(brainFile, brain.data());
    String[] stats = PythonOracle.run(NUMPY, imageFile.toString(), brainFile.toString(), outFile.toString())
        .trim().split(" ");
    float[] expected = PythonOracle.readFloats(outFile);

    PercentileZScore.Normalized normalized = PercentileZScore.DEFAULT.apply(image, brain);

    PercentileZScore.Stats actual = normalized.stats();
    assertRelative(Double.parseDouble(stats[0]), actual.low());
    assertRelative(Double.parseDouble(stats[1]), actual.high());
    assertRelative(Double.parseDouble(stats[2]), actual.mean());
    assertRelative(Double.parseDouble(stats[3]), actual.std());
    assertTrue(actual.high() < 5000, "the outliers are clipped");
    float[] data = normalized.volume().data();
    for (int n = 0; n < data.length; n++) {
      assertEquals(expected[n], data[n], 1e-5, "voxel " + n);
      if (brain.data()[n] == 0) {
        assertEquals(0f, data[n]);
      }
    }
  }

  @Test
  void percentileInterpolatesLinearlyBetweenOrderStatistics() {
    double[] sorted = {1, 2, 4, 8, 16};
    // position p / 100 * 4: 0.5 % -> 0.02 between 1 and 2; 99.5 % -> 3.98 between 8 and 16; 50 % -> 4
    assertEquals(1.02, Percentile.ofSorted(sorted, 0, 5, 0.005), 1e-12);
    assertEquals(15.84, Percentile.ofSorted(sorted, 0, 5, 0.995), 1e-12);
    assertEquals(4, Percentile.ofSorted(sorted, 0, 5, 0.5), 0);
    assertEquals(16, Percentile.ofSorted(sorted, 0, 5, 1.0), 0);
  }

  @Test
  void rejectsAnEmptyBrainAConstantImageAndNonFiniteVoxels() {
    Volume[] imageAndBrain = imageAndBrain(22);
    Volume image = imageAndBrain[0];
    Volume brain = imageAndBrain[1];

    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
        () -> PercentileZScore.DEFAULT.apply(image, Volume.zeros(GRID)));
    assertTrue(empty.getMessage().contains("empty"), empty.getMessage());

    float[] constant = new float[GRID.size()];
    Arrays.fill(constant, 7f);
    IllegalArgumentException flat = assertThrows(IllegalArgumentException.class,
        () -> PercentileZScore.DEFAULT.apply(new Volume(GRID, constant), brain));
    assertTrue(flat.getMessage().contains("standard deviation is 0"), flat.getMessage());

    float[] withNan = image.data().clone();
    withNan[GRID.index(3, 4, 5)] = Float.NaN;
    withNan[GRID.index(6, 4, 5)] = Float.POSITIVE_INFINITY;
    IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
        () -> PercentileZScore.DEFAULT.apply(new Volume(GRID, withNan), brain));
    assertTrue(nan.getMessage().contains("2 NaN or infinite voxels (first at voxel (3, 4, 5)"), nan.getMessage());
  }

  private static void assertRelative(double expected, double actual) {
    assertEquals(expected, actual, 1e-5 * Math.abs(expected));
  }
}
