package org.isles.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.isles.volume.Grid;
import org.isles.volume.Volume;
import org.junit.jupiter.api.Test;

class BrainMaskTest {
  private static final Grid GRID = Grid.axisAligned(4, 1, 1, 2, 2, 2);

  @Test
  void brainIsWhereAnyChannelIsNonzero() {
    Volume dwi = new Volume(GRID, new float[] {0, 3.5f, 0, 0});
    Volume adc = new Volume(GRID, new float[] {0, 0, -2, 0});
    assertArrayEquals(new float[] {0, 1, 1, 0}, BrainMask.nonzero(dwi, adc).data());
    assertArrayEquals(new float[] {0, 1, 0, 0}, BrainMask.nonzero(dwi).data());
  }

  @Test
  void maskOnTheTargetGridIsTheNearestNeighbourOfTheOriginal() {
    Volume dwi = new Volume(GRID, new float[] {0, 3.5f, 7, 0});
    Grid oneMm = new TargetSpacing.Fixed(new double[] {1, 2, 2}).gridFor(GRID);
    // 1 mm voxel i reads the 2 mm voxel nearest to source index 0.5 i - 0.25.
    assertArrayEquals(new float[] {0, 0, 1, 1, 1, 1, 0, 0}, BrainMask.onGrid(oneMm, dwi).data());
  }

  @Test
  void channelsOnDifferentGridsAreRejected() {
    Volume dwi = Volume.zeros(GRID);
    Volume shifted = Volume.zeros(new CropBox(new int[] {1, 0, 0}, new int[] {4, 1, 1}).crop(GRID));
    assertThrows(IllegalArgumentException.class, () -> BrainMask.nonzero(dwi, shifted));
  }
}
