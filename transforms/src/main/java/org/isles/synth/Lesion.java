package org.isles.synth;

import java.util.SplittableRandom;

/**
 * One lesion in world space: a blobby union of randomly oriented ellipsoids with a
 * noise-perturbed boundary, and its {@link LesionAppearance}.
 */
final class Lesion {
  /**
   * Amplitudes of the boundary perturbation, in units of the blob radius: lobes as large as the
   * lesion and finer roughness. They are gentle enough to keep each blob star-shaped, hence one
   * connected piece.
   */
  private static final double LOBE_NOISE = 0.2;
  private static final double ROUGH_NOISE = 0.08;

  private final double[] center;
  private final double radiusMm;
  private final double[][] blobCenters;
  /** Per blob, 3x3 row-major: world offset from the blob centre to coordinates on the unit sphere. */
  private final double[][] blobToUnit;
  private final SmoothNoise lobes;
  private final SmoothNoise roughness;
  private final double[] boxMin = new double[3];
  private final double[] boxMax = new double[3];
  private final LesionAppearance appearance;
  /** Width of the partial-volume rim, in mm. */
  private final double edgeMm;

  /**
   * @param center world position (mm) of the main blob
   * @param volumeMl planned volume: the main blob is a sphere of this volume before it is
   *     stretched, joined with satellites and clipped to the brain
   * @param edgeMm width of the partial-volume rim
   */
  Lesion(SplittableRandom random, double[] center, double volumeMl, LesionAppearance appearance, double edgeMm) {
    this.edgeMm = edgeMm;
    this.center = center.clone();
    this.radiusMm = Math.cbrt(3 * volumeMl * 1000 / (4 * Math.PI));
    int blobs = 1 + random.nextInt(5);
    this.blobCenters = new double[blobs][];
    this.blobToUnit = new double[blobs][];
    double extent = 0;
    for (int b = 0; b < blobs; b++) {
      double[] semiAxes = b == 0 ? mainSemiAxes(random) : satelliteSemiAxes(random);
      blobCenters[b] = b == 0 ? center.clone() : satelliteCenter(random, blobToUnit[0]);
      blobToUnit[b] = toUnitSphere(randomRotation(random), semiAxes);
      // weight() is 0 once the unit-sphere radius exceeds this, whatever the noise
      double reach = 1 + LOBE_NOISE + ROUGH_NOISE + 0.5 * edgeMm / radiusMm;
      double blobExtent = reach * Math.max(semiAxes[0], Math.max(semiAxes[1], semiAxes[2]));
      for (int axis = 0; axis < 3; axis++) {
        double offset = Math.abs(blobCenters[b][axis] - center[axis]);
        extent = Math.max(extent, offset + blobExtent);
      }
    }
    for (int axis = 0; axis < 3; axis++) {
      boxMin[axis] = center[axis] - extent;
      boxMax[axis] = center[axis] + extent;
    }
    this.lobes = new SmoothNoise(random.nextLong(), Math.max(1.5, radiusMm));
    this.roughness = new SmoothNoise(random.nextLong(), Math.max(1.0, 0.4 * radiusMm));
    this.appearance = appearance;
  }

  LesionAppearance appearance() {
    return appearance;
  }

  /** Whether the two lesions' bounding boxes meet, so that one could change the other's voxels. */
  boolean mayTouch(Lesion other) {
    for (int axis = 0; axis < 3; axis++) {
      if (boxMax[axis] < other.boxMin[axis] || other.boxMax[axis] < boxMin[axis]) {
        return false;
      }
    }
    return true;
  }

  /** Partial-volume share of lesion at a world point: 0 well outside, 1 well inside, 0.5 on the boundary. */
  double weight(double x, double y, double z) {
    if (x < boxMin[0] || x > boxMax[0] || y < boxMin[1] || y > boxMax[1] || z < boxMin[2] || z > boxMax[2]) {
      return 0;
    }
    double nearest = Double.MAX_VALUE;
    for (int b = 0; b < blobCenters.length; b++) {
      double dx = x - blobCenters[b][0];
      double dy = y - blobCenters[b][1];
      double dz = z - blobCenters[b][2];
      double[] m = blobToUnit[b];
      double u = m[0] * dx + m[1] * dy + m[2] * dz;
      double v = m[3] * dx + m[4] * dy + m[5] * dz;
      double w = m[6] * dx + m[7] * dy + m[8] * dz;
      nearest = Math.min(nearest, u * u + v * v + w * w);
    }
    double radius = Math.sqrt(nearest) + LOBE_NOISE * lobes.at(x, y, z) + ROUGH_NOISE * roughness.at(x, y, z);
    return Math.min(1, Math.max(0, 0.5 + (1 - radius) * radiusMm / edgeMm));
  }

  /** Semi-axes of the main blob: log-normal stretch per axis, same volume as the planned sphere. */
  private double[] mainSemiAxes(SplittableRandom random) {
    double[] stretch = new double[3];
    double product = 1;
    for (int axis = 0; axis < 3; axis++) {
      stretch[axis] = Math.exp(0.45 * random.nextGaussian());
      product *= stretch[axis];
    }
    double normalize = Math.cbrt(product);
    for (int axis = 0; axis < 3; axis++) {
      stretch[axis] = radiusMm * stretch[axis] / normalize;
    }
    return stretch;
  }

  private double[] satelliteSemiAxes(SplittableRandom random) {
    return new double[] {
      radiusMm * (0.35 + 0.35 * random.nextDouble()),
      radiusMm * (0.35 + 0.35 * random.nextDouble()),
      radiusMm * (0.35 + 0.35 * random.nextDouble())
    };
  }

  /**
   * A satellite centre well inside the main blob, so that the union stays one connected lesion:
   * the boundary noise is too gentle to cut a point at most 0.8 of the way to the main surface.
   */
  private double[] satelliteCenter(SplittableRandom random, double[] mainToUnit) {
    double[] direction = unitVector(random);
    double unitLength = length(multiply(mainToUnit, direction));
    double distance = (0.4 + 0.4 * random.nextDouble()) / unitLength;
    return new double[] {
      center[0] + distance * direction[0], center[1] + distance * direction[1], center[2] + distance * direction[2]
    };
  }

  /** The matrix taking a world offset from the blob centre to coordinates where the blob is the unit ball. */
  private static double[] toUnitSphere(double[] rotation, double[] semiAxes) {
    double[] toUnit = new double[9];
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        toUnit[3 * r + c] = rotation[3 * c + r] / semiAxes[r];
      }
    }
    return toUnit;
  }

  private static double[] multiply(double[] matrix, double[] vector) {
    double[] result = new double[3];
    for (int r = 0; r < 3; r++) {
      result[r] = matrix[3 * r] * vector[0] + matrix[3 * r + 1] * vector[1] + matrix[3 * r + 2] * vector[2];
    }
    return result;
  }

  private static double length(double[] v) {
    return Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
  }

  /** A uniformly random rotation (from a random unit quaternion), 3x3 row-major. */
  private static double[] randomRotation(SplittableRandom random) {
    double a = random.nextGaussian();
    double b = random.nextGaussian();
    double c = random.nextGaussian();
    double d = random.nextGaussian();
    double norm = Math.sqrt(a * a + b * b + c * c + d * d);
    a /= norm;
    b /= norm;
    c /= norm;
    d /= norm;
    return new double[] {
      a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c),
      2 * (b * c + a * d), a * a - b * b + c * c - d * d, 2 * (c * d - a * b),
      2 * (b * d - a * c), 2 * (c * d + a * b), a * a - b * b - c * c + d * d
    };
  }

  private static double[] unitVector(SplittableRandom random) {
    double x = random.nextGaussian();
    double y = random.nextGaussian();
    double z = random.nextGaussian();
    double norm = Math.sqrt(x * x + y * y + z * z);
    return new double[] {x / norm, y / norm, z / norm};
  }
}
