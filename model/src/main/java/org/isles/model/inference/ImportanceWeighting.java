package org.isles.model.inference;

/** How much each voxel of a window counts when overlapping windows are averaged. */
public enum ImportanceWeighting {
  /** Every voxel of a window counts the same. */
  CONSTANT,
  /**
   * Separable Gaussian centred on the window, sigma = patch / 8 per axis (as nnU-Net), maximum 1:
   * window borders, which see less context, count less.
   */
  GAUSSIAN;

  private static final double SIGMA_FRACTION = 1.0 / 8;

  /** Weights of a window of {@code patch} = {D, H, W}, W fastest. */
  public float[] weights(int[] patch) {
    float[] weights = new float[patch[0] * patch[1] * patch[2]];
    if (this == CONSTANT) {
      java.util.Arrays.fill(weights, 1f);
      return weights;
    }
    double[][] profiles = new double[3][];
    for (int axis = 0; axis < 3; axis++) {
      profiles[axis] = gaussianProfile(patch[axis]);
    }
    int i = 0;
    for (int z = 0; z < patch[0]; z++) {
      for (int y = 0; y < patch[1]; y++) {
        for (int x = 0; x < patch[2]; x++) {
          weights[i++] = (float) (profiles[0][z] * profiles[1][y] * profiles[2][x]);
        }
      }
    }
    return weights;
  }

  /** exp(-d^2 / 2 sigma^2) about the window centre, scaled so the largest sample is 1. */
  private static double[] gaussianProfile(int size) {
    double centre = (size - 1) / 2.0;
    double sigma = size * SIGMA_FRACTION;
    double peak = Math.exp(-Math.pow(Math.floor(centre) - centre, 2) / (2 * sigma * sigma));
    double[] profile = new double[size];
    for (int i = 0; i < size; i++) {
      profile[i] = Math.exp(-(i - centre) * (i - centre) / (2 * sigma * sigma)) / peak;
    }
    return profile;
  }
}
