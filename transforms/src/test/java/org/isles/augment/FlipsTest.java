package org.isles.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.isles.sampling.PatchSize;
import org.junit.jupiter.api.Test;

class FlipsTest {
  private static final PatchSize SIZE = new PatchSize(3, 4, 5);
  private static final int CHANNELS = 2;

  @Test
  void flipReversesExactlyOneAxis() {
    float[] original = randomPatch();
    for (int axis = 0; axis < 3; axis++) {
      float[] flipped = original.clone();
      Flips.flip(flipped, CHANNELS, SIZE, axis);
      for (int c = 0; c < CHANNELS; c++) {
        for (int z = 0; z < SIZE.nz(); z++) {
          for (int y = 0; y < SIZE.ny(); y++) {
            for (int x = 0; x < SIZE.nx(); x++) {
              int[] mirrored = {x, y, z};
              mirrored[axis] = SIZE.along(axis) - 1 - mirrored[axis];
              assertEquals(original[index(c, mirrored[0], mirrored[1], mirrored[2])], flipped[index(c, x, y, z)]);
            }
          }
        }
      }
    }
  }

  @Test
  void flippingTwiceRestoresThePatch() {
    float[] original = randomPatch();
    for (int axis = 0; axis < 3; axis++) {
      float[] twice = original.clone();
      Flips.flip(twice, CHANNELS, SIZE, axis);
      Flips.flip(twice, CHANNELS, SIZE, axis);
      assertArrayEquals(original, twice);
    }
  }

  private static int index(int c, int x, int y, int z) {
    return x + SIZE.nx() * (y + SIZE.ny() * (z + SIZE.nz() * c));
  }

  private static float[] randomPatch() {
    SplittableRandom random = new SplittableRandom(5);
    float[] data = new float[CHANNELS * SIZE.voxels()];
    for (int n = 0; n < data.length; n++) {
      data[n] = (float) random.nextDouble();
    }
    return data;
  }
}
