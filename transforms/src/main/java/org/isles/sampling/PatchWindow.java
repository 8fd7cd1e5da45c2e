package org.isles.sampling;

/**
 * Where a patch lies in its case: the voxel at the patch's (0, 0, 0) corner, which may be negative
 * or reach past the volume when the patch is zero-padded, and the lesion voxel (linear grid index)
 * it was centred on, or -1 for a uniformly random patch.
 */
public record PatchWindow(int startX, int startY, int startZ, PatchSize size, int lesionVoxel) {
  public static final int RANDOM = -1;

  public int start(int axis) {
    return switch (axis) {
      case 0 -> startX;
      case 1 -> startY;
      case 2 -> startZ;
      default -> throw new IllegalArgumentException("axis must be 0, 1 or 2, got " + axis);
    };
  }

  /** The case coordinate of the patch centre along an axis; a half voxel for even sizes. */
  public double centre(int axis) {
    return start(axis) + (size.along(axis) - 1) / 2.0;
  }

  public boolean isForeground() {
    return lesionVoxel != RANDOM;
  }

  /** True when case voxel (i, j, k) falls inside the window. */
  public boolean contains(int i, int j, int k) {
    return i >= startX && i < startX + size.nx()
        && j >= startY && j < startY + size.ny()
        && k >= startZ && k < startZ + size.nz();
  }
}
