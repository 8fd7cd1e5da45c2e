package org.isles.preprocess;

/** 4x4 row-major affine matrices (last row 0 0 0 1). */
final class AffineMath {
  private AffineMath() {}

  static double[] multiply(double[] a, double[] b) {
    double[] product = new double[16];
    for (int r = 0; r < 4; r++) {
      for (int c = 0; c < 4; c++) {
        double sum = 0;
        for (int k = 0; k < 4; k++) {
          sum += a[4 * r + k] * b[4 * k + c];
        }
        product[4 * r + c] = sum;
      }
    }
    return product;
  }

  /** The inverse of an affine, by the adjugate of its 3x3 part. */
  static double[] inverse(double[] a) {
    double a00 = a[0], a01 = a[1], a02 = a[2];
    double a10 = a[4], a11 = a[5], a12 = a[6];
    double a20 = a[8], a21 = a[9], a22 = a[10];
    double c00 = a11 * a22 - a12 * a21;
    double c01 = a02 * a21 - a01 * a22;
    double c02 = a01 * a12 - a02 * a11;
    double c10 = a12 * a20 - a10 * a22;
    double c11 = a00 * a22 - a02 * a20;
    double c12 = a02 * a10 - a00 * a12;
    double c20 = a10 * a21 - a11 * a20;
    double c21 = a01 * a20 - a00 * a21;
    double c22 = a00 * a11 - a01 * a10;
    double det = a00 * c00 + a01 * c10 + a02 * c20;
    if (det == 0 || !Double.isFinite(det)) {
      throw new IllegalArgumentException("affine is singular, cannot invert: determinant " + det);
    }
    double[] m = {c00 / det, c01 / det, c02 / det, 0, c10 / det, c11 / det, c12 / det, 0,
        c20 / det, c21 / det, c22 / det, 0, 0, 0, 0, 1};
    for (int r = 0; r < 3; r++) {
      m[4 * r + 3] = -(m[4 * r] * a[3] + m[4 * r + 1] * a[7] + m[4 * r + 2] * a[11]);
    }
    return m;
  }
}
