package org.isles.synth;

import java.util.SplittableRandom;

/**
 * A skull-stripped brain in world space (mm): an ellipsoid with a smooth irregular boundary,
 * cortical grey matter with gyri, sulcal CSF, lateral ventricles, deep grey nuclei and white
 * matter. Tissue boundaries are soft, so sampling on any grid gives partial-volume voxels.
 */
final class HeadPhantom {
  /** An adult brain's semi-axes in mm (left-right, posterior-anterior, inferior-superior). */
  private static final double[] ADULT_SEMI_AXES_MM = {68, 84, 60};

  /** Largest inward or outward shift of the brain surface, in units of the semi-axes. */
  private static final double SURFACE_NOISE = 0.05;

  private static final double[][] VENTRICLE_CENTERS = {{-0.12, 0.02, 0.12}, {0.12, 0.02, 0.12}};
  private static final double[] VENTRICLE_SEMI_AXES = {0.09, 0.32, 0.14};
  private static final double[][] DEEP_GREY_CENTERS = {{-0.28, 0.0, -0.02}, {0.28, 0.0, -0.02}};
  private static final double[] DEEP_GREY_SEMI_AXES = {0.13, 0.2, 0.14};

  private final double[] center;
  private final double[] semiAxes;
  private final SmoothNoise boundary;
  private final SmoothNoise sulci;
  private final SmoothNoise gyri;
  private final SmoothNoise ventricles;
  private final SmoothNoise texture;
  private final SmoothNoise bias;

  /**
   * @param center world position of the brain's centre (mm)
   * @param size head size relative to an adult's
   */
  HeadPhantom(SplittableRandom random, double[] center, double size) {
    this.center = center.clone();
    this.semiAxes = new double[3];
    for (int axis = 0; axis < 3; axis++) {
      semiAxes[axis] = ADULT_SEMI_AXES_MM[axis] * size * (0.92 + 0.1 * random.nextDouble());
    }
    double meanSemiAxis = (semiAxes[0] + semiAxes[1] + semiAxes[2]) / 3;
    this.boundary = new SmoothNoise(random.nextLong(), 0.35 * meanSemiAxis);
    this.sulci = new SmoothNoise(random.nextLong(), 0.08 * meanSemiAxis);
    this.gyri = new SmoothNoise(random.nextLong(), 0.1 * meanSemiAxis);
    this.ventricles = new SmoothNoise(random.nextLong(), 0.2 * meanSemiAxis);
    this.texture = new SmoothNoise(random.nextLong(), 2.5);
    this.bias = new SmoothNoise(random.nextLong(), 0.9 * meanSemiAxis);
  }

  /**
   * Fills {@code sample} with the tissue at world point (x, y, z); outside the brain every
   * fraction is 0 and {@code inBrain} is false.
   */
  void sample(double x, double y, double z, TissueSample sample) {
    double ux = (x - center[0]) / semiAxes[0];
    double uy = (y - center[1]) / semiAxes[1];
    double uz = (z - center[2]) / semiAxes[2];
    double radius = Math.sqrt(ux * ux + uy * uy + uz * uz);
    if (radius >= 1 + SURFACE_NOISE) {
      sample.clear();
      return;
    }
    double brainRadius = radius + SURFACE_NOISE * boundary.at(x, y, z);
    if (brainRadius >= 1) {
      sample.clear();
      return;
    }
    double sulcalCsf = ramp(brainRadius + 0.08 * sulci.at(x, y, z), 0.92, 0.97);
    double ventricleRadius =
        nearestEllipsoidRadius(ux, uy, uz, VENTRICLE_CENTERS, VENTRICLE_SEMI_AXES) + 0.15 * ventricles.at(x, y, z);
    double csf = Math.max(sulcalCsf, 1 - ramp(ventricleRadius, 0.85, 1.0));
    double cortex = ramp(brainRadius + 0.06 * gyri.at(x, y, z), 0.80, 0.84);
    double deepGrey = 1 - ramp(nearestEllipsoidRadius(ux, uy, uz, DEEP_GREY_CENTERS, DEEP_GREY_SEMI_AXES), 0.85, 1.0);
    double grey = Math.max(cortex, deepGrey) * (1 - csf);
    sample.inBrain = true;
    sample.csf = csf;
    sample.grey = grey;
    sample.white = Math.max(0, 1 - csf - grey);
    sample.texture = texture.at(x, y, z);
    sample.bias = bias.at(x, y, z);
  }

  /** A random world point deep in the parenchyma (away from the surface and the ventricles) to seed a lesion. */
  double[] parenchymaPoint(SplittableRandom random) {
    while (true) {
      double ux = 2 * random.nextDouble() - 1;
      double uy = 2 * random.nextDouble() - 1;
      double uz = 2 * random.nextDouble() - 1;
      if (ux * ux + uy * uy + uz * uz > 0.8 * 0.8) {
        continue;
      }
      double[] point = {center[0] + ux * semiAxes[0], center[1] + uy * semiAxes[1], center[2] + uz * semiAxes[2]};
      if (inParenchyma(point)) {
        return point;
      }
    }
  }

  /** Whether a world point is brain tissue with hardly any CSF. */
  boolean inParenchyma(double[] point) {
    TissueSample sample = new TissueSample();
    sample(point[0], point[1], point[2], sample);
    return sample.inBrain && sample.csf < 0.1;
  }

  private static double nearestEllipsoidRadius(double ux, double uy, double uz, double[][] centers, double[] semiAxes) {
    double nearest = Double.MAX_VALUE;
    for (double[] c : centers) {
      double dx = (ux - c[0]) / semiAxes[0];
      double dy = (uy - c[1]) / semiAxes[1];
      double dz = (uz - c[2]) / semiAxes[2];
      nearest = Math.min(nearest, Math.sqrt(dx * dx + dy * dy + dz * dz));
    }
    return nearest;
  }

  /** 0 below {@code low}, 1 above {@code high}, smooth in between. */
  static double ramp(double value, double low, double high) {
    double t = Math.min(1, Math.max(0, (value - low) / (high - low)));
    return t * t * (3 - 2 * t);
  }
}
