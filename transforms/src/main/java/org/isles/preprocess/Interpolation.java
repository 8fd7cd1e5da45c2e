package org.isles.preprocess;

/**
 * How a value between voxel centres is computed, with scipy.ndimage's {@code mode='mirror'}
 * boundary (the image reflected about its first and last voxel centres). Each kind fills, for one
 * axis and one continuous source coordinate, the source indices it reads and their weights.
 */
public enum Interpolation {
  /** scipy order 0: the voxel whose centre is nearest, {@code floor(x + 0.5)}; for labels and masks. */
  NEAREST(1) {
    @Override
    void taps(double coordinate, int n, int[] indices, double[] weights, int at) {
      indices[at] = MirrorBoundary.index((int) Math.floor(MirrorBoundary.fold(coordinate, n) + 0.5), n);
      weights[at] = 1.0;
    }
  },
  /** scipy order 1: trilinear. */
  LINEAR(2) {
    @Override
    void taps(double coordinate, int n, int[] indices, double[] weights, int at) {
      double x = MirrorBoundary.fold(coordinate, n);
      int left = (int) Math.floor(x);
      double t = x - left;
      indices[at] = MirrorBoundary.index(left, n);
      indices[at + 1] = MirrorBoundary.index(left + 1, n);
      weights[at] = 1.0 - t;
      weights[at + 1] = t;
    }
  },
  /**
   * scipy order 3 with prefilter: the cubic B-spline through the voxel values. The weights here
   * apply to B-spline coefficients, which {@link SplinePrefilter} computes from the voxels.
   */
  CUBIC_BSPLINE(4) {
    @Override
    void taps(double coordinate, int n, int[] indices, double[] weights, int at) {
      double x = MirrorBoundary.fold(coordinate, n);
      int floor = (int) Math.floor(x);
      double t = x - floor;
      double s = 1.0 - t;
      for (int tap = 0; tap < 4; tap++) {
        indices[at + tap] = MirrorBoundary.index(floor - 1 + tap, n);
      }
      weights[at] = s * s * s / 6.0;
      weights[at + 1] = (4.0 - 6.0 * t * t + 3.0 * t * t * t) / 6.0;
      weights[at + 2] = (4.0 - 6.0 * s * s + 3.0 * s * s * s) / 6.0;
      weights[at + 3] = t * t * t / 6.0;
    }
  };

  private final int width;

  Interpolation(int width) {
    this.width = width;
  }

  /** Number of source voxels read per axis. */
  int width() {
    return width;
  }

  /**
   * Writes this kernel's {@link #width()} source indices and weights for {@code coordinate} on an
   * axis of {@code n} voxels into {@code indices} and {@code weights} from position {@code at}.
   */
  abstract void taps(double coordinate, int n, int[] indices, double[] weights, int at);
}
