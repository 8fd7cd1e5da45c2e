package org.isles.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.isles.volume.Grid;
import org.isles.volume.Volume;
import org.junit.jupiter.api.Test;

class CropBoxTest {
  private static final Grid GRID = TestVolumes.rotated(12, 10, 8, 1, 1.5, 3, 15);

  private static Volume maskWith(int[]... voxels) {
    Volume mask = Volume.zeros(GRID);
    for (int[] v : voxels) {
      mask.data()[GRID.index(v[0], v[1], v[2])] = 1f;
    }
    return mask;
  }

  @Test
  void boxIsTheNonzeroBoundsPlusMarginClippedToTheGrid() {
    Volume mask = maskWith(new int[] {3, 2, 5}, new int[] {7, 6, 1}, new int[] {4, 9, 4});
    assertEquals(new CropBox(new int[] {3, 2, 1}, new int[] {8, 10, 6}), CropBox.aroundNonzero(mask, 0));
    assertEquals(new CropBox(new int[] {1, 0, 0}, new int[] {10, 10, 8}), CropBox.aroundNonzero(mask, 2));
  }

  @Test
  void croppedVoxelsKeepTheirValuesAndWorldPositions() {
    Volume image = TestVolumes.noise(GRID, 12);
    CropBox box = new CropBox(new int[] {2, 1, 3}, new int[] {9, 7, 8});
    Volume cropped = box.crop(image);
    assertArrayEquals(new int[] {7, 6, 5}, cropped.grid().shape());
    for (int k = 0; k < 5; k++) {
      for (int j = 0; j < 6; j++) {
        for (int i = 0; i < 7; i++) {
          assertEquals(image.get(i + 2, j + 1, k + 3), cropped.get(i, j, k));
          assertArrayEquals(GRID.toWorld(i + 2, j + 1, k + 3), cropped.grid().toWorld(i, j, k), 1e-9);
        }
      }
    }
  }

  @Test
  void cropEqualsNearestResamplingOntoTheCroppedGrid() {
    Volume image = TestVolumes.noise(GRID, 13);
    CropBox box = new CropBox(new int[] {1, 4, 2}, new int[] {11, 9, 7});
    Volume cropped = box.crop(image);
    assertArrayEquals(cropped.data(), Resampler.resample(image, cropped.grid(), Interpolation.NEAREST).data());
  }

  @Test
  void uncropRestoresTheBoxAndFillsTheRest() {
    Volume image = TestVolumes.noise(GRID, 14);
    CropBox box = new CropBox(new int[] {2, 1, 3}, new int[] {9, 7, 8});
    Volume restored = box.uncrop(box.crop(image), GRID, -1f);
    assertEquals(GRID, restored.grid());
    for (int k = 0; k < GRID.nz(); k++) {
      for (int j = 0; j < GRID.ny(); j++) {
        for (int i = 0; i < GRID.nx(); i++) {
          boolean inside = i >= 2 && i < 9 && j >= 1 && j < 7 && k >= 3;
          assertEquals(inside ? image.get(i, j, k) : -1f, restored.get(i, j, k));
        }
      }
    }
  }

  @Test
  void rejectsEmptyMasksAndMismatchedVolumes() {
    assertThrows(IllegalArgumentException.class, () -> CropBox.aroundNonzero(Volume.zeros(GRID), 3));
    CropBox box = new CropBox(new int[] {0, 0, 0}, new int[] {4, 4, 4});
    Volume wrongShape = Volume.zeros(new CropBox(new int[] {0, 0, 0}, new int[] {4, 4, 3}).crop(GRID));
    assertThrows(IllegalArgumentException.class, () -> box.uncrop(wrongShape, GRID, 0f));
    assertThrows(IllegalArgumentException.class, () -> new CropBox(new int[] {0, 0, 0}, new int[] {13, 4, 4}).crop(GRID));
  }
}
