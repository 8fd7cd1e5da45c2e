package org.isles.sampling;

import java.util.random.RandomGenerator;
import org.isles.volume.Grid;

/**
 * Chooses where training patches lie (nnU-Net style oversampling of foreground): with probability
 * {@code foregroundRatio} a patch is centred on a uniformly chosen lesion voxel plus a random
 * offset of up to a quarter patch per axis, otherwise it lies uniformly at random. A case without
 * lesions only gets random patches.
 *
 * <p>A patch is kept inside the volume where the volume is large enough; along an axis where the
 * volume is smaller than the patch, the whole volume lies inside the patch and the rest is zero
 * padding (see {@link TrainingCase#crop}). Either way a foreground patch contains its lesion voxel.
 */
public final class PatchSampler {
  private final PatchSize size;
  private final double foregroundRatio;

  public PatchSampler(PatchSize size, double foregroundRatio) {
    if (!(foregroundRatio >= 0 && foregroundRatio <= 1)) {
      throw new IllegalArgumentException("foreground ratio must be in [0, 1], got " + foregroundRatio);
    }
    this.size = size;
    this.foregroundRatio = foregroundRatio;
  }

  public PatchSize size() {
    return size;
  }

  public double foregroundRatio() {
    return foregroundRatio;
  }

  public PatchWindow pick(TrainingCase trainingCase, RandomGenerator random) {
    Grid grid = trainingCase.grid();
    int[] extent = grid.shape();
    int[] start = new int[3];
    boolean foreground = trainingCase.lesionVoxelCount() > 0 && random.nextDouble() < foregroundRatio;
    int lesionVoxel = PatchWindow.RANDOM;
    if (foreground) {
      lesionVoxel = trainingCase.lesionVoxel(random.nextInt(trainingCase.lesionVoxelCount()));
      int[] voxel = {lesionVoxel % grid.nx(), (lesionVoxel / grid.nx()) % grid.ny(), lesionVoxel / (grid.nx() * grid.ny())};
      for (int axis = 0; axis < 3; axis++) {
        int edge = size.along(axis);
        int maxOffset = edge / 4;
        int offset = random.nextInt(-maxOffset, maxOffset + 1);
        start[axis] = clampStart(voxel[axis] + offset - edge / 2, extent[axis], edge);
      }
    } else {
      for (int axis = 0; axis < 3; axis++) {
        int slack = extent[axis] - size.along(axis);
        start[axis] = random.nextInt(Math.min(0, slack), Math.max(0, slack) + 1);
      }
    }
    return new PatchWindow(start[0], start[1], start[2], size, lesionVoxel);
  }

  /**
   * Moves a start so the patch stays inside the volume, or, when the volume is shorter than the
   * patch, so the volume stays inside the patch. A voxel inside the patch before stays inside.
   */
  private static int clampStart(int start, int extent, int edge) {
    int slack = extent - edge;
    return Math.max(Math.min(0, slack), Math.min(Math.max(0, slack), start));
  }
}
