package org.isles.augment;

/**
 * A rotation and isotropic zoom about the patch centre, in voxel coordinates. {@link #matrix()}
 * maps an output position (relative to the patch centre) to the source position it reads from
 * (relative to the same centre in the case), so the output shows the source rotated by the inverse
 * rotation and magnified by {@code scale}. Image and label are resampled with the same transform.
 *
 * <p>Voxel coordinates are used as they are: after resampling to isotropic spacing this is a rigid
 * rotation; on anisotropic grids it also shears slightly, which is harmless at +-15 degrees.
 */
public record SpatialTransform(double angleX, double angleY, double angleZ, double scale) {
  public SpatialTransform {
    if (!(scale > 0)) {
      throw new IllegalArgumentException("scale must be positive, got " + scale);
    }
  }

  public static SpatialTransform identity() {
    return new SpatialTransform(0, 0, 0, 1);
  }

  public boolean isIdentity() {
    return angleX == 0 && angleY == 0 && angleZ == 0 && scale == 1;
  }

  /** Row-major 3x3: rotation Rz * Ry * Rx (angles in radians about x, y, z) divided by scale. */
  public double[] matrix() {
    double[] rx = {1, 0, 0, 0, Math.cos(angleX), -Math.sin(angleX), 0, Math.sin(angleX), Math.cos(angleX)};
    double[] ry = {Math.cos(angleY), 0, Math.sin(angleY), 0, 1, 0, -Math.sin(angleY), 0, Math.cos(angleY)};
    double[] rz = {Math.cos(angleZ), -Math.sin(angleZ), 0, Math.sin(angleZ), Math.cos(angleZ), 0, 0, 0, 1};
    double[] m = multiply(rz, multiply(ry, rx));
    for (int n = 0; n < 9; n++) {
      m[n] /= scale;
    }
    return m;
  }

  private static double[] multiply(double[] a, double[] b) {
    double[] product = new double[9];
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        for (int n = 0; n < 3; n++) {
          product[3 * r + c] += a[3 * r + n] * b[3 * n + c];
        }
      }
    }
    return product;
  }
}
