package org.isles.augment;

/**
 * Probabilities and ranges of the on-the-fly augmentations (SPEC section 4). Each augmentation is
 * applied to a sample independently with its own probability; flips are decided per axis. All are
 * mild on purpose: nothing may create lesion-like structures.
 *
 * @param flipProbability chance of mirroring each spatial axis
 * @param rotationProbability chance of rotating about the patch centre
 * @param maxRotationDegrees each of the three rotation angles is uniform in +-this
 * @param scaleProbability chance of zooming about the patch centre
 * @param minScale smallest zoom factor (&lt; 1 shows more context, &gt; 1 magnifies)
 * @param maxScale largest zoom factor
 * @param multiplyProbability chance of multiplying intensities, per channel
 * @param minMultiplier smallest intensity factor
 * @param maxMultiplier largest intensity factor
 * @param shiftProbability chance of adding a constant, per channel
 * @param maxShift the constant is uniform in +-this (z-score units)
 * @param gammaProbability chance of a gamma change on min-max rescaled intensities, per channel
 * @param minGamma smallest gamma; gamma is log-uniform between the bounds
 * @param maxGamma largest gamma
 * @param noiseProbability chance of adding Gaussian noise, per channel
 * @param maxNoiseSigma the noise's standard deviation is uniform in [0, this]
 * @param blurProbability chance of a Gaussian blur, per channel
 * @param minBlurSigma smallest blur sigma in voxels
 * @param maxBlurSigma largest blur sigma in voxels
 */
public record AugmentationConfig(
    double flipProbability,
    double rotationProbability,
    double maxRotationDegrees,
    double scaleProbability,
    double minScale,
    double maxScale,
    double multiplyProbability,
    double minMultiplier,
    double maxMultiplier,
    double shiftProbability,
    double maxShift,
    double gammaProbability,
    double minGamma,
    double maxGamma,
    double noiseProbability,
    double maxNoiseSigma,
    double blurProbability,
    double minBlurSigma,
    double maxBlurSigma) {

  public AugmentationConfig {
    requireProbability("flip", flipProbability);
    requireProbability("rotation", rotationProbability);
    requireProbability("scale", scaleProbability);
    requireProbability("multiply", multiplyProbability);
    requireProbability("shift", shiftProbability);
    requireProbability("gamma", gammaProbability);
    requireProbability("noise", noiseProbability);
    requireProbability("blur", blurProbability);
    requireRange("rotation degrees", 0, maxRotationDegrees);
    requireRange("scale", minScale, maxScale);
    requireRange("multiplier", minMultiplier, maxMultiplier);
    requireRange("shift", 0, maxShift);
    requireRange("gamma", minGamma, maxGamma);
    requireRange("noise sigma", 0, maxNoiseSigma);
    requireRange("blur sigma", minBlurSigma, maxBlurSigma);
    if (minScale <= 0 || minGamma <= 0 || minBlurSigma <= 0) {
      throw new IllegalArgumentException("scale, gamma and blur sigma must be positive");
    }
  }

  /** The recipe's mild augmentation. */
  public static AugmentationConfig defaults() {
    return new AugmentationConfig(
        0.5,
        0.2, 15,
        0.2, 0.9, 1.1,
        0.3, 0.9, 1.1,
        0.3, 0.1,
        0.3, 0.8, 1.25,
        0.2, 0.1,
        0.2, 0.5, 1.0);
  }

  /** The default ranges with every probability 0: patches pass through unchanged. */
  public static AugmentationConfig none() {
    AugmentationConfig d = defaults();
    return new AugmentationConfig(
        0,
        0, d.maxRotationDegrees,
        0, d.minScale, d.maxScale,
        0, d.minMultiplier, d.maxMultiplier,
        0, d.maxShift,
        0, d.minGamma, d.maxGamma,
        0, d.maxNoiseSigma,
        0, d.minBlurSigma, d.maxBlurSigma);
  }

  private static void requireProbability(String name, double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException(name + " probability must be in [0, 1], got " + p);
    }
  }

  private static void requireRange(String name, double low, double high) {
    if (!(low >= 0 && low <= high) || Double.isInfinite(high)) {
      throw new IllegalArgumentException(name + " range must satisfy 0 <= low <= high, got [" + low + ", " + high + "]");
    }
  }
}
