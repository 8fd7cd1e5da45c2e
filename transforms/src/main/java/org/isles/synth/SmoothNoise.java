package org.isles.synth;

/**
 * A smooth random field over world space (value noise): random values on a cubic lattice,
 * blended with smoothstep weights. It is a pure function of the seed and the point, so every
 * grid that samples it (DWI, FLAIR, any resolution or orientation) sees the same anatomy.
 */
final class SmoothNoise {
  private final long seed;
  private final double cellMm;

  /** @param cellMm lattice spacing: features are roughly this large */
  SmoothNoise(long seed, double cellMm) {
    this.seed = seed;
    this.cellMm = cellMm;
  }

  /** The field at a world point, in [-1, 1]. */
  double at(double x, double y, double z) {
    double gx = x / cellMm;
    double gy = y / cellMm;
    double gz = z / cellMm;
    long ix = (long) Math.floor(gx);
    long iy = (long) Math.floor(gy);
    long iz = (long) Math.floor(gz);
    double wx = smoothstep(gx - ix);
    double wy = smoothstep(gy - iy);
    double wz = smoothstep(gz - iz);
    double x00 = lerp(lattice(ix, iy, iz), lattice(ix + 1, iy, iz), wx);
    double x10 = lerp(lattice(ix, iy + 1, iz), lattice(ix + 1, iy + 1, iz), wx);
    double x01 = lerp(lattice(ix, iy, iz + 1), lattice(ix + 1, iy, iz + 1), wx);
    double x11 = lerp(lattice(ix, iy + 1, iz + 1), lattice(ix + 1, iy + 1, iz + 1), wx);
    return lerp(lerp(x00, x10, wy), lerp(x01, x11, wy), wz);
  }

  /** A uniform value in [-1, 1] for a lattice point, from a SplitMix64-style hash. */
  private double lattice(long ix, long iy, long iz) {
    long h = seed ^ (ix * 0x9E3779B97F4A7C15L) ^ (iy * 0xC2B2AE3D27D4EB4FL) ^ (iz * 0x165667B19E3779F9L);
    h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
    h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
    h = h ^ (h >>> 31);
    return (h >>> 11) * 0x1.0p-52 - 1.0;
  }

  private static double smoothstep(double t) {
    return t * t * (3 - 2 * t);
  }

  private static double lerp(double a, double b, double t) {
    return a + (b - a) * t;
  }
}
