package org.isles.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.isles.volume.Grid;
import org.isles.volume.Volume;

/** Small cases for sampling and augmentation tests. */
public final class SyntheticCases {
  private SyntheticCases() {}

  /** Random voxels in [-2, 2) per channel; no lesion. */
  public static TrainingCase noise(String id, int nx, int ny, int nz, int channels, long seed) {
    Grid grid = Grid.axisAligned(nx, ny, nz, 1, 1, 1);
    SplittableRandom random = new SplittableRandom(seed);
    List<Volume> images = new ArrayList<>();
    for (int c = 0; c < channels; c++) {
      float[] data = new float[grid.size()];
      for (int n = 0; n < data.length; n++) {
        data[n] = (float) random.nextDouble(-2, 2);
      }
      images.add(new Volume(grid, data));
    }
    return new TrainingCase(id, images, Volume.zeros(grid));
  }

  /**
   * A lesion cube [from, to) on every axis; channel 0 is 1 inside the cube and 0 outside (a marker
   * that must move with the label), channel 1 is random.
   */
  public static TrainingCase markedCube(String id, int edge, int from, int to, long seed) {
    TrainingCase base = noise(id, edge, edge, edge, 2, seed);
    Grid grid = base.grid();
    float[] marker = new float[grid.size()];
    float[] label = new float[grid.size()];
    for (int k = from; k < to; k++) {
      for (int j = from; j < to; j++) {
        for (int i = from; i < to; i++) {
          marker[grid.index(i, j, k)] = 1f;
          label[grid.index(i, j, k)] = 1f;
        }
      }
    }
    return new TrainingCase(id, List.of(new Volume(grid, marker), base.channels().get(1)), new Volume(grid, label));
  }

  /** Random images with a random binary label (about a third lesion). */
  public static TrainingCase randomLabel(String id, int nx, int ny, int nz, long seed) {
    TrainingCase base = noise(id, nx, ny, nz, 2, seed);
    SplittableRandom random = new SplittableRandom(seed + 1);
    float[] label = new float[base.grid().size()];
    for (int n = 0; n < label.length; n++) {
      label[n] = random.nextInt(3) == 0 ? 1f : 0f;
    }
    return new TrainingCase(id, base.channels(), new Volume(base.grid(), label));
  }
}
