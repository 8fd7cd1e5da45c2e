package org.isles.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.isles.volume.Grid;
import org.isles.volume.Volume;
import org.junit.jupiter.api.Test;

class PatchSamplerTest {

  @Test
  void foregroundPicksFollowTheRatioAndContainTheirLesionVoxel() {
    TrainingCase twoLesions = withTwoSmallLesions();
    PatchSampler sampler = new PatchSampler(new PatchSize(16, 12, 10), 0.7);
    SplittableRandom random = new SplittableRandom(7);
    int samples = 2000;
    int foregroundPicks = 0;
    int withLesion = 0;
    Grid grid = twoLesions.grid();
    for (int s = 0; s < samples; s++) {
      PatchWindow window = sampler.pick(twoLesions, random);
      TrainingSample sample = twoLesions.crop(window);
      if (window.isForeground()) {
        foregroundPicks++;
        int voxel = window.lesionVoxel();
        int i = voxel % grid.nx();
        int j = (voxel / grid.nx()) % grid.ny();
        int k = voxel / (grid.nx() * grid.ny());
        assertTrue(window.contains(i, j, k), "window " + window + " misses its lesion voxel");
        int inPatch = (i - window.startX()) + 16 * ((j - window.startY()) + 12 * (k - window.startZ()));
        assertEquals(1f, sample.label()[inPatch]);
      }
      if (containsLesion(sample)) {
        withLesion++;
      }
      for (int axis = 0; axis < 3; axis++) {
        assertTrue(window.start(axis) >= 0 && window.start(axis) + window.size().along(axis) <= grid.shape()[axis],
            "window " + window + " leaves a volume that is larger than the patch");
      }
    }
    // 2000 Bernoulli(0.7) draws: the standard deviation of the fraction is 0.01.
    assertEquals(0.7, foregroundPicks / (double) samples, 0.04);
    assertTrue(withLesion / (double) samples >= 0.68, "only " + withLesion + " of " + samples + " patches hold lesion");
  }

  @Test
  void caseWithoutLesionGetsOnlyRandomPatches() {
    TrainingCase empty = SyntheticCases.noise("empty", 20, 20, 20, 1, 3);
    PatchSampler sampler = new PatchSampler(PatchSize.cube(8), 1.0);
    SplittableRandom random = new SplittableRandom(11);
    for (int s = 0; s < 200; s++) {
      assertFalse(sampler.pick(empty, random).isForeground());
    }
  }

  @Test
  void smallVolumeIsZeroPaddedInsideThePatch() {
    TrainingCase small = SyntheticCases.randomLabel("small", 5, 6, 7, 5);
    PatchSize size = new PatchSize(8, 6, 9);
    PatchSampler sampler = new PatchSampler(size, 0.5);
    SplittableRandom random = new SplittableRandom(13);
    Grid grid = small.grid();
    for (int s = 0; s < 50; s++) {
      PatchWindow window = sampler.pick(small, random);
      assertTrue(window.startX() >= -3 && window.startX() <= 0, "x start " + window.startX());
      assertEquals(0, window.startY());
      assertTrue(window.startZ() >= -2 && window.startZ() <= 0, "z start " + window.startZ());
      TrainingSample sample = small.crop(window);
      for (int z = 0; z < size.nz(); z++) {
        for (int y = 0; y < size.ny(); y++) {
          for (int x = 0; x < size.nx(); x++) {
            int i = x + window.startX();
            int j = y + window.startY();
            int k = z + window.startZ();
            boolean inside = i >= 0 && i < grid.nx() && j >= 0 && j < grid.ny() && k >= 0 && k < grid.nz();
            int n = x + size.nx() * (y + size.ny() * z);
            for (int c = 0; c < 2; c++) {
              float expected = inside ? small.channels().get(c).get(i, j, k) : 0f;
              assertEquals(expected, sample.image()[sample.channelStart(c) + n]);
            }
            assertEquals(inside ? small.label().get(i, j, k) : 0f, sample.label()[n]);
          }
        }
      }
    }
  }

  @Test
  void sampleShapesAreChannelsFirstZyx() {
    TrainingSample sample = TrainingSample.zeros("c", 2, new PatchSize(4, 5, 6));
    assertArrayEquals(new long[] {2, 6, 5, 4}, sample.imageShape());
    assertArrayEquals(new long[] {1, 6, 5, 4}, sample.labelShape());
  }

  private static TrainingCase withTwoSmallLesions() {
    TrainingCase base = SyntheticCases.noise("two-lesions", 48, 40, 36, 2, 1);
    Grid grid = base.grid();
    float[] label = new float[grid.size()];
    label[grid.index(2, 3, 4)] = 1f;
    for (int k = 20; k < 23; k++) {
      for (int j = 30; j < 33; j++) {
        for (int i = 40; i < 44; i++) {
          label[grid.index(i, j, k)] = 1f;
        }
      }
    }
    return new TrainingCase(base.id(), base.channels(), new Volume(grid, label));
  }

  private static boolean containsLesion(TrainingSample sample) {
    for (float v : sample.label()) {
      if (v != 0f) {
        return true;
      }
    }
    return false;
  }
}
