package org.isles.nifti;

/**
 * The NIfTI qform: a unit quaternion (b, c, d; a is implied non-negative), qfac (the sign of the
 * third axis) and voxel sizes. Both directions follow nibabel's {@code get_qform} and
 * {@code set_qform} so files round-trip between the two.
 */
record Qform(double b, double c, double d, double qfac, double[] zooms, double[] offset) {

  /** The 4x4 row-major affine {@code R * diag(zooms[0], zooms[1], qfac * zooms[2])} plus offset. */
  double[] affine(String source) {
    double aSquared = 1 - (b * b + c * c + d * d);
    // nibabel tolerates rounding of float32-stored quaternions down to -3 eps before refusing.
    if (aSquared < -3 * Math.ulp(1f)) {
      throw new NiftiException("invalid qform quaternion (b, c, d) = (" + b + ", " + c + ", " + d + ") in " + source);
    }
    double a = aSquared < 0 ? 0 : Math.sqrt(aSquared);
    double[][] rotation = rotation(a, b, c, d);
    double[] scale = {zooms[0], zooms[1], qfac * zooms[2]};
    double[] affine = new double[16];
    for (int r = 0; r < 3; r++) {
      for (int col = 0; col < 3; col++) {
        affine[4 * r + col] = rotation[r][col] * scale[col];
      }
      affine[4 * r + 3] = offset[r];
    }
    affine[15] = 1;
    return affine;
  }

  /**
   * The qform nibabel stores for {@code affine}: column lengths as zooms, qfac -1 for a
   * left-handed affine, and the quaternion of the nearest rotation (shear is dropped).
   */
  static Qform fromAffine(double[] affine) {
    double[] zooms = new double[3];
    double[][] rotation = new double[3][3];
    for (int col = 0; col < 3; col++) {
      for (int r = 0; r < 3; r++) {
        zooms[col] += affine[4 * r + col] * affine[4 * r + col];
      }
      zooms[col] = Math.sqrt(zooms[col]);
      for (int r = 0; r < 3; r++) {
        rotation[r][col] = zooms[col] == 0 ? (r == col ? 1 : 0) : affine[4 * r + col] / zooms[col];
      }
    }
    double qfac = 1;
    if (determinant(rotation) < 0) {
      qfac = -1;
      for (int r = 0; r < 3; r++) {
        rotation[r][2] = -rotation[r][2];
      }
    }
    double[] quaternion = quaternion(nearestRotation(rotation));
    return new Qform(
        quaternion[1], quaternion[2], quaternion[3], qfac, zooms,
        new double[] {affine[3], affine[7], affine[11]});
  }

  /** nibabel's {@code quat2mat}. */
  private static double[][] rotation(double w, double x, double y, double z) {
    double norm = w * w + x * x + y * y + z * z;
    if (norm < Math.ulp(1.0)) {
      return new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    }
    double s = 2 / norm;
    double xs = x * s;
    double ys = y * s;
    double zs = z * s;
    return new double[][] {
      {1 - (y * ys + z * zs), x * ys - w * zs, x * zs + w * ys},
      {x * ys + w * zs, 1 - (x * xs + z * zs), y * zs - w * xs},
      {x * zs - w * ys, y * zs + w * xs, 1 - (x * xs + y * ys)}
    };
  }

  /**
   * The orthogonal polar factor of {@code m}, which equals nibabel's SVD-based {@code P @ Qs}:
   * Newton's iteration {@code X <- (X + X^-T) / 2} converges to it quadratically.
   */
  private static double[][] nearestRotation(double[][] m) {
    double[][] x = m;
    for (int iteration = 0; iteration < 100; iteration++) {
      double[][] inverseTranspose = inverseTranspose(x);
      double[][] next = new double[3][3];
      double change = 0;
      for (int r = 0; r < 3; r++) {
        for (int c = 0; c < 3; c++) {
          next[r][c] = 0.5 * (x[r][c] + inverseTranspose[r][c]);
          change = Math.max(change, Math.abs(next[r][c] - x[r][c]));
        }
      }
      x = next;
      if (change < 1e-15) {
        break;
      }
    }
    return x;
  }

  private static double[][] inverseTranspose(double[][] m) {
    double det = determinant(m);
    double[][] cofactors = new double[3][3];
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        int r1 = (r + 1) % 3;
        int r2 = (r + 2) % 3;
        int c1 = (c + 1) % 3;
        int c2 = (c + 2) % 3;
        cofactors[r][c] = (m[r1][c1] * m[r2][c2] - m[r1][c2] * m[r2][c1]) / det;
      }
    }
    return cofactors;
  }

  private static double determinant(double[][] m) {
    return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
        - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
        + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  }

  /** Shepperd's method; returns (w, x, y, z) with w >= 0, as nibabel stores it. */
  private static double[] quaternion(double[][] m) {
    double trace = m[0][0] + m[1][1] + m[2][2];
    double w;
    double x;
    double y;
    double z;
    if (trace > 0) {
      double s = 2 * Math.sqrt(trace + 1);
      w = s / 4;
      x = (m[2][1] - m[1][2]) / s;
      y = (m[0][2] - m[2][0]) / s;
      z = (m[1][0] - m[0][1]) / s;
    } else if (m[0][0] > m[1][1] && m[0][0] > m[2][2]) {
      double s = 2 * Math.sqrt(1 + m[0][0] - m[1][1] - m[2][2]);
      w = (m[2][1] - m[1][2]) / s;
      x = s / 4;
      y = (m[0][1] + m[1][0]) / s;
      z = (m[0][2] + m[2][0]) / s;
    } else if (m[1][1] > m[2][2]) {
      double s = 2 * Math.sqrt(1 + m[1][1] - m[0][0] - m[2][2]);
      w = (m[0][2] - m[2][0]) / s;
      x = (m[0][1] + m[1][0]) / s;
      y = s / 4;
      z = (m[1][2] + m[2][1]) / s;
    } else {
      double s = 2 * Math.sqrt(1 + m[2][2] - m[0][0] - m[1][1]);
      w = (m[1][0] - m[0][1]) / s;
      x = (m[0][2] + m[2][0]) / s;
      y = (m[1][2] + m[2][1]) / s;
      z = s / 4;
    }
    double sign = w < 0 ? -1 : 1;
    return new double[] {sign * w, sign * x, sign * y, sign * z};
  }
}
