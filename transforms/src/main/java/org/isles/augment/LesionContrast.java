package org.isles.augment;

import org.isles.sampling.PatchSize;

/**
 * Fades a patch's labelled lesions toward the tissue around them, as a milder infarct looks: each
 * voxel's deviation from its surrounding tissue is scaled by {@code 1 - (1 - factor) w}. The
 * weight {@code w = min(1, 2 g)}, {@code g} the label smoothed by a Gaussian of {@link #RIM_SIGMA}
 * voxels, is 1 on the whole lesion, its boundary included, and falls to 0 over the
 * partial-volume rim outside it, so the fade leaves no ring. The surrounding tissue is the signal
 * averaged by normalised convolution over the voxels weighted by {@code 1 - w} (a Gaussian of
 * {@link #TISSUE_SIGMA} voxels). Far from a lesion {@code w} is 0 and nothing changes; the label
 * never changes. A factor of 1 leaves the patch as it is, 0 replaces a lesion by its surroundings.
 */
final class LesionContrast {
  /** Sigma in voxels of the label's smoothing: the fade spreads over the partial-volume rim. */
  static final double RIM_SIGMA = 1.0;
  /** Sigma in voxels of the average that stands for the tissue a lesion replaced. */
  static final double TISSUE_SIGMA = 3.0;

  private LesionContrast() {}

  /** Fades the lesions of {@code label} in {@code image[from .. from + size.voxels()]} in place. */
  static void apply(float[] image, int from, float[] label, PatchSize size, double factor) {
    if (!hasLesion(label)) {
      return;
    }
    int voxels = size.voxels();
    float[] lesionWeight = label.clone();
    GaussianBlur.blur(lesionWeight, 0, size, RIM_SIGMA);
    float[] tissueWeight = new float[voxels];
    float[] weightedSignal = new float[voxels];
    double tissueSum = 0;
    double tissueCount = 0;
    for (int n = 0; n < voxels; n++) {
      lesionWeight[n] = Math.min(1f, 2 * lesionWeight[n]);
      tissueWeight[n] = 1f - lesionWeight[n];
      weightedSignal[n] = tissueWeight[n] * image[from + n];
      tissueSum += weightedSignal[n];
      tissueCount += tissueWeight[n];
    }
    GaussianBlur.blur(tissueWeight, 0, size, TISSUE_SIGMA);
    GaussianBlur.blur(weightedSignal, 0, size, TISSUE_SIGMA);
    // Where no tissue is within reach of the kernel (the core of a lesion larger than it), the
    // patch's tissue mean stands in.
    float patchTissue = tissueCount > 0 ? (float) (tissueSum / tissueCount) : 0f;
    float fade = (float) (1 - factor);
    for (int n = 0; n < voxels; n++) {
      if (lesionWeight[n] <= 0) {
        continue;
      }
      float tissue = tissueWeight[n] > 1e-3f ? weightedSignal[n] / tissueWeight[n] : patchTissue;
      image[from + n] -= fade * lesionWeight[n] * (image[from + n] - tissue);
    }
  }

  private static boolean hasLesion(float[] label) {
    for (float value : label) {
      if (value > 0) {
        return true;
      }
    }
    return false;
  }
}
