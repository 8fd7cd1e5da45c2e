package org.isles.augment;

import org.isles.sampling.PatchSize;

/**
 * Makes the labelled lesions of a patch subtler: each voxel near a lesion moves towards what the
 * tissue around it looks like, so that the lesion's deviation from its surroundings is scaled by
 * a factor (1 keeps the patch, 0 would erase the lesion). Real infarcts differ in contrast from
 * scanner to scanner and hour to hour; the synthetic default profile's are all clear-cut. The
 * label is untouched, and nothing new is drawn, so no lesion-like structure appears where there is
 * none.
 *
 * <p>For one channel {@code I}, with {@code L} the label, {@code D} the label dilated by one voxel
 * (26-neighbourhood), {@code B} the channel's nonzero (brain) voxels and {@code G_s} the Gaussian
 * of {@link GaussianBlur} with sigma {@code s} voxels:
 *
 * <ul>
 *   <li>tissue weights {@code w = B (1 - D)}, and {@code mu} the mean of {@code I} where {@code w = 1};
 *   <li>the tissue around, by normalised convolution, drawn to {@code mu} where no tissue is near:
 *       {@code T = (G_3(w I) + lambda mu) / (G_3(w) + lambda)} with {@code lambda =} {@link #SUPPORT};
 *   <li>the lesion's reach, its partial-volume rim included: {@code r = B min(1, 2 G_1(L))};
 *   <li>the result {@code I' = I - (1 - factor) r (I - T)}.
 * </ul>
 *
 * Background voxels (zero) stay zero. A patch without lesion voxels, or with no tissue voxel
 * outside its lesions, is left as it is.
 */
final class LesionContrast {
  /** Sigma, in voxels, of the tissue estimate around a lesion. */
  static final double TISSUE_SIGMA = 3.0;
  /** Sigma, in voxels, of the lesion's reach beyond its label. */
  static final double RIM_SIGMA = 1.0;
  /** Weight of the patch's mean tissue value where no tissue voxel is near. */
  static final double SUPPORT = 0.05;

  private LesionContrast() {}

  /** The lesions' reach {@code min(1, 2 G_1(L))}, shared by the channels; null when the label is empty. */
  static float[] reach(float[] label, PatchSize size) {
    boolean any = false;
    for (float value : label) {
      any |= value > 0;
    }
    if (!any) {
      return null;
    }
    float[] reach = label.clone();
    GaussianBlur.blur(reach, 0, size, RIM_SIGMA);
    for (int n = 0; n < reach.length; n++) {
      reach[n] = Math.min(1f, 2 * reach[n]);
    }
    return reach;
  }

  /** Scales the lesions' contrast of {@code image[from .. from + size.voxels()]} by {@code factor}, in place. */
  static void apply(float[] image, int from, PatchSize size, float[] label, float[] reach, double factor) {
    int voxels = size.voxels();
    float[] dilated = dilate(label, size);
    float[] weights = new float[voxels];
    float[] weighted = new float[voxels];
    double sum = 0;
    int count = 0;
    for (int n = 0; n < voxels; n++) {
      float value = image[from + n];
      if (value != 0 && dilated[n] == 0) {
        weights[n] = 1;
        weighted[n] = value;
        sum += value;
        count++;
      }
    }
    if (count == 0) {
      return;
    }
    double mean = sum / count;
    GaussianBlur.blur(weights, 0, size, TISSUE_SIGMA);
    GaussianBlur.blur(weighted, 0, size, TISSUE_SIGMA);
    double keep = 1 - factor;
    for (int n = 0; n < voxels; n++) {
      float value = image[from + n];
      if (value == 0 || reach[n] == 0) {
        continue;
      }
      double tissue = (weighted[n] + SUPPORT * mean) / (weights[n] + SUPPORT);
      image[from + n] = (float) (value - keep * reach[n] * (value - tissue));
    }
  }

  /** The label grown by one voxel into its 26-neighbourhood, as binary_dilation with a full 3x3x3 structure. */
  private static float[] dilate(float[] label, PatchSize size) {
    float[] out = new float[label.length];
    int nx = size.nx();
    int ny = size.ny();
    int nz = size.nz();
    for (int z = 0; z < nz; z++) {
      for (int y = 0; y < ny; y++) {
        for (int x = 0; x < nx; x++) {
          if (label[x + nx * (y + ny * z)] <= 0) {
            continue;
          }
          for (int k = Math.max(0, z - 1); k <= Math.min(nz - 1, z + 1); k++) {
            for (int j = Math.max(0, y - 1); j <= Math.min(ny - 1, y + 1); j++) {
              for (int i = Math.max(0, x - 1); i <= Math.min(nx - 1, x + 1); i++) {
                out[i + nx * (j + ny * k)] = 1;
              }
            }
          }
        }
      }
    }
    return out;
  }
}
