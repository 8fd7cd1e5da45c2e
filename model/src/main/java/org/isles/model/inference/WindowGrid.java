package org.isles.model.inference;

/**
 * Window start positions along one axis, as nnU-Net computes them: the fewest windows whose step
 * does not exceed {@code patch * (1 - overlap)}, spread evenly so the first starts at 0 and the
 * last ends at the border.
 */
public final class WindowGrid {
  private WindowGrid() {}

  /** Starts of windows of length {@code patch} covering {@code size >= patch} voxels. */
  public static int[] starts(int size, int patch, double overlap) {
    if (patch < 1 || size < patch || !(overlap >= 0 && overlap < 1)) {
      throw new IllegalArgumentException("window grid needs 1 <= patch <= size and 0 <= overlap < 1, got size "
          + size + ", patch " + patch + ", overlap " + overlap);
    }
    double targetStep = patch * (1 - overlap);
    int count = (int) Math.ceil((size - patch) / targetStep) + 1;
    double step = count > 1 ? (double) (size - patch) / (count - 1) : 0;
    int[] starts = new int[count];
    for (int i = 0; i < count; i++) {
      starts[i] = (int) Math.rint(step * i);  // numpy's round-half-even, like nnU-Net
    }
    return starts;
  }
}
