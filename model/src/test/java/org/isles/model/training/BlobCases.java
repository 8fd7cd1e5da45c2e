package org.isles.model.training;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.isles.sampling.TrainingCase;
import org.isles.volume.Grid;
import org.isles.volume.Volume;

/**
 * Small synthetic cases like preprocessed ISLES data: two z-scored channels of Gaussian noise in
 * which lesions are ellipsoids bright on DWI and dark on ADC, and their mask.
 */
public final class BlobCases {
  private static final double NOISE = 0.6;

  private BlobCases() {}

  public static List<TrainingCase> cases(int count, int size, long seed) {
    List<TrainingCase> cases = new ArrayList<>();
    for (int c = 0; c < count; c++) {
      cases.add(blobCase(String.format("blob%03d", c), size, new SplittableRandom(seed * 1000 + c)));
    }
    return cases;
  }

  private static TrainingCase blobCase(String id, int size, SplittableRandom random) {
    Grid grid = Grid.axisAligned(size, size, size, 2, 2, 2);
    int voxels = size * size * size;
    float[] dwi = new float[voxels];
    float[] adc = new float[voxels];
    float[] mask = new float[voxels];
    int blobs = 1 + random.nextInt(2);
    for (int b = 0; b < blobs; b++) {
      double[] centre = {random.nextDouble(8, size - 8), random.nextDouble(8, size - 8), random.nextDouble(8, size - 8)};
      double[] radius = {random.nextDouble(2.5, 6), random.nextDouble(2.5, 6), random.nextDouble(2.5, 6)};
      for (int k = 0; k < size; k++) {
        for (int j = 0; j < size; j++) {
          for (int i = 0; i < size; i++) {
            double dx = (i - centre[0]) / radius[0];
            double dy = (j - centre[1]) / radius[1];
            double dz = (k - centre[2]) / radius[2];
            if (dx * dx + dy * dy + dz * dz <= 1) {
              mask[grid.index(i, j, k)] = 1;
            }
          }
        }
      }
    }
    for (int n = 0; n < voxels; n++) {
      dwi[n] = (float) (random.nextGaussian() * NOISE + (mask[n] > 0 ? 1.8 : 0));
      adc[n] = (float) (random.nextGaussian() * NOISE - (mask[n] > 0 ? 1.2 : 0));
    }
    return new TrainingCase(id, List.of(new Volume(grid, dwi), new Volume(grid, adc)), new Volume(grid, mask));
  }
}
