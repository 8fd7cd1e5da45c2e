package org.isles.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.isles.sampling.PatchSize;
import org.junit.jupiter.api.Test;

class LowResolutionTest {
  @Test
  void factorTwoAveragesPairsAndInterpolatesBetweenTheirCentres() {
    // a ramp along x: pair means 0.5, 2.5, 4.5, 6.5 at their centres, clamped beyond the end ones
    float[] line = {0, 1, 2, 3, 4, 5, 6, 7};
    LowResolution.apply(line, 0, new PatchSize(8, 1, 1), 0, 2);
    assertArrayEquals(new float[] {0.5f, 1, 2, 3, 4, 5, 6, 6.5f}, line, 1e-6f);
  }

  @Test
  void factorOneIsTheIdentity() {
    float[] data = random(new PatchSize(5, 4, 3), 1);
    float[] copy = data.clone();
    LowResolution.apply(data, 0, new PatchSize(5, 4, 3), 2, 1.2);
    assertArrayEquals(copy, data);
  }

  /** Along y of a random patch, every line equals the one-dimensional reference; x and z are untouched. */
  @Test
  void onlyTheChosenAxisIsCoarsened() {
    PatchSize size = new PatchSize(3, 6, 4);
    int offset = 5;
    float[] data = new float[offset + size.voxels()];
    float[] patch = random(size, 2);
    System.arraycopy(patch, 0, data, offset, patch.length);
    LowResolution.apply(data, offset, size, 1, 3);
    for (int k = 0; k < size.nz(); k++) {
      for (int i = 0; i < size.nx(); i++) {
        float[] line = new float[size.ny()];
        for (int j = 0; j < size.ny(); j++) {
          line[j] = patch[i + size.nx() * (j + size.ny() * k)];
        }
        // blocks {0,1,2} and {3,4,5}, centres 1 and 4
        double first = (line[0] + line[1] + line[2]) / 3.0;
        double second = (line[3] + line[4] + line[5]) / 3.0;
        double[] expected = {first, first, first + (second - first) / 3, first + 2 * (second - first) / 3, second, second};
        for (int j = 0; j < size.ny(); j++) {
          assertEquals(expected[j], data[offset + i + size.nx() * (j + size.ny() * k)], 1e-5, "x " + i + " y " + j + " z " + k);
        }
      }
    }
  }

  private static float[] random(PatchSize size, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] data = new float[size.voxels()];
    for (int n = 0; n < data.length; n++) {
      data[n] = (float) random.nextDouble(-2, 2);
    }
    return data;
  }
}
