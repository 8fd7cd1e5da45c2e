package org.isles.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.isles.sampling.PatchSize;
import org.junit.jupiter.api.Test;

class BiasFieldTest {
  private static final PatchSize SIZE = new PatchSize(12, 10, 9);

  @Test
  void fieldSpansExactlyTheStatedRange() {
    for (int seed = 0; seed < 10; seed++) {
      float[] field = BiasField.draw(SIZE, 0.3, new SplittableRandom(seed));
      double lowest = Double.MAX_VALUE;
      double highest = -Double.MAX_VALUE;
      for (float f : field) {
        lowest = Math.min(lowest, f);
        highest = Math.max(highest, f);
      }
      assertTrue(lowest >= 0.7 - 1e-6 && highest <= 1.3 + 1e-6, "field in [" + lowest + ", " + highest + "]");
      assertEquals(0.3, Math.max(1 - lowest, highest - 1), 1e-6, "max |field - 1| is the amplitude");
    }
  }

  /** A cubic polynomial has zero fourth differences along every axis: no voxel-scale structure. */
  @Test
  void fieldIsACubicPolynomialSoItIsSmooth() {
    float[] field = BiasField.draw(SIZE, 0.5, new SplittableRandom(7));
    int[] strides = {1, SIZE.nx(), SIZE.nx() * SIZE.ny()};
    double largest = 0;
    for (int axis = 0; axis < 3; axis++) {
      int s = strides[axis];
      for (int k = 0; k < SIZE.nz(); k++) {
        for (int j = 0; j < SIZE.ny(); j++) {
          for (int i = 0; i < SIZE.nx(); i++) {
            int[] at = {i, j, k};
            if (at[axis] + 4 >= SIZE.along(axis)) {
              continue;
            }
            int n = i + SIZE.nx() * (j + SIZE.ny() * k);
            double fourth = field[n] - 4 * field[n + s] + 6 * field[n + 2 * s] - 4 * field[n + 3 * s] + field[n + 4 * s];
            largest = Math.max(largest, Math.abs(fourth));
          }
        }
      }
    }
    assertTrue(largest < 1e-5, "largest fourth difference " + largest);
  }

  @Test
  void applyMultipliesTheSignalAboveTheChannelsMinimum() {
    float[] data = {9, -2, 0, 3, 1};
    float[] field = {0.5f, 1.5f, 1, 0.8f};
    BiasField.apply(data, 1, field);
    // the floor is -2, the lowest of data[1..5]
    assertArrayEquals(new float[] {9, -2, -2 + 1.5f * 2, 3, -2 + 0.8f * 3}, data, 1e-6f);
  }

  @Test
  void sameSeedSameField() {
    assertArrayEquals(BiasField.draw(SIZE, 0.2, new SplittableRandom(3)), BiasField.draw(SIZE, 0.2, new SplittableRandom(3)));
  }
}
