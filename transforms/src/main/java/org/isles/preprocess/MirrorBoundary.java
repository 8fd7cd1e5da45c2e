package org.isles.preprocess;

/**
 * scipy.ndimage's {@code mode='mirror'}: the signal continues as its reflection about the first
 * and last sample (d c b | a b c d | c b a), so it repeats with period {@code 2n - 2}.
 */
final class MirrorBoundary {
  private MirrorBoundary() {}

  /** The equivalent coordinate inside [0, n - 1]. */
  static double fold(double coordinate, int n) {
    if (coordinate >= 0 && coordinate <= n - 1) {
      return coordinate;
    }
    if (n == 1) {
      return 0.0;
    }
    int period = 2 * n - 2;
    double x = Math.abs(coordinate) % period;
    return x > n - 1 ? period - x : x;
  }

  /** The equivalent sample index inside [0, n - 1]. */
  static int index(int index, int n) {
    if (index >= 0 && index < n) {
      return index;
    }
    if (n == 1) {
      return 0;
    }
    int period = 2 * n - 2;
    int x = Math.floorMod(index, period);
    return x >= n ? period - x : x;
  }
}
