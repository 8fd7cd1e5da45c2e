package org.isles.augment;

import java.util.random.RandomGenerator;
import org.isles.sampling.PatchWindow;
import org.isles.sampling.TrainingCase;
import org.isles.sampling.TrainingSample;

/**
 * Turns a patch window into an augmented training sample. Order: rotation and zoom as one affine
 * resampling from the case (trilinear image, nearest label), flips, then per channel what the
 * scanner does before what the display does: bias field, thick slices, blur, multiply, shift,
 * contrast, gamma and noise. Intensity changes touch the image only; the label changes
 * only with the geometry. All randomness comes from the generator passed in, so the same seed
 * gives the same sample.
 */
public final class PatchAugmenter {
  private final AugmentationConfig config;

  public PatchAugmenter(AugmentationConfig config) {
    this.config = config;
  }

  public AugmentationConfig config() {
    return config;
  }

  public TrainingSample augment(TrainingCase trainingCase, PatchWindow window, RandomGenerator random) {
    SpatialTransform transform = drawSpatialTransform(random);
    TrainingSample sample = transform.isIdentity()
        ? trainingCase.crop(window)
        : AffineResampler.resample(trainingCase, window, transform);
    for (int axis = 0; axis < 3; axis++) {
      if (happens(config.flipProbability(), random)) {
        Flips.flip(sample.image(), sample.channels(), sample.size(), axis);
        Flips.flip(sample.label(), 1, sample.size(), axis);
      }
    }
    for (int c = 0; c < sample.channels(); c++) {
      augmentIntensities(sample, c, random);
    }
    return sample;
  }

  /** The rotation and zoom for one sample; the identity when neither is drawn. */
  public SpatialTransform drawSpatialTransform(RandomGenerator random) {
    double[] angles = new double[3];
    if (happens(config.rotationProbability(), random)) {
      double max = Math.toRadians(config.maxRotationDegrees());
      for (int axis = 0; axis < 3; axis++) {
        angles[axis] = uniform(-max, max, random);
      }
    }
    double scale = happens(config.scaleProbability(), random)
        ? uniform(config.minScale(), config.maxScale(), random)
        : 1;
    return new SpatialTransform(angles[0], angles[1], angles[2], scale);
  }

  private void augmentIntensities(TrainingSample sample, int channel, RandomGenerator random) {
    float[] image = sample.image();
    int from = sample.channelStart(channel);
    int to = from + sample.size().voxels();
    if (happens(config.biasFieldProbability(), random)) {
      BiasField.apply(image, from, BiasField.draw(sample.size(), uniform(0, config.maxBiasAmplitude(), random), random));
    }
    if (happens(config.lowResolutionProbability(), random)) {
      int axis = random.nextInt(3);
      LowResolution.apply(image, from, sample.size(), axis, uniform(1, config.maxLowResolutionFactor(), random));
    }
    if (happens(config.blurProbability(), random)) {
      GaussianBlur.blur(image, from, sample.size(), uniform(config.minBlurSigma(), config.maxBlurSigma(), random));
    }
    if (happens(config.multiplyProbability(), random)) {
      float factor = (float) uniform(config.minMultiplier(), config.maxMultiplier(), random);
      for (int n = from; n < to; n++) {
        image[n] *= factor;
      }
    }
    if (happens(config.shiftProbability(), random)) {
      float shift = (float) uniform(-config.maxShift(), config.maxShift(), random);
      for (int n = from; n < to; n++) {
        image[n] += shift;
      }
    }
    if (happens(config.contrastProbability(), random)) {
      applyContrast(image, from, to, uniform(config.minContrast(), config.maxContrast(), random));
    }
    if (happens(config.gammaProbability(), random)) {
      double gamma = Math.exp(uniform(Math.log(config.minGamma()), Math.log(config.maxGamma()), random));
      applyGamma(image, from, to, gamma);
    }
    if (happens(config.noiseProbability(), random)) {
      double sigma = uniform(0, config.maxNoiseSigma(), random);
      for (int n = from; n < to; n++) {
        image[n] += (float) (sigma * random.nextGaussian());
      }
    }
  }

  /** nnU-Net's contrast augmentation: deviations from the mean scaled, then clipped to the old range. */
  private static void applyContrast(float[] image, int from, int to, double factor) {
    double sum = 0;
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (int n = from; n < to; n++) {
      sum += image[n];
      min = Math.min(min, image[n]);
      max = Math.max(max, image[n]);
    }
    double mean = sum / (to - from);
    for (int n = from; n < to; n++) {
      image[n] = (float) Math.min(max, Math.max(min, mean + factor * (image[n] - mean)));
    }
  }

  /** Gamma on intensities rescaled to [0, 1] by the channel's own range, then scaled back. */
  private static void applyGamma(float[] image, int from, int to, double gamma) {
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (int n = from; n < to; n++) {
      min = Math.min(min, image[n]);
      max = Math.max(max, image[n]);
    }
    double range = (double) max - min;
    if (range <= 0) {
      return;
    }
    for (int n = from; n < to; n++) {
      image[n] = (float) (min + range * Math.pow((image[n] - min) / range, gamma));
    }
  }

  private static boolean happens(double probability, RandomGenerator random) {
    return probability > 0 && random.nextDouble() < probability;
  }

  private static double uniform(double low, double high, RandomGenerator random) {
    return low == high ? low : random.nextDouble(low, high);
  }
}
