package org.isles.sampling;

/** The extent of a patch in voxels along x, y and z (the grid's i, j, k axes). */
public record PatchSize(int nx, int ny, int nz) {
  public PatchSize {
    if (nx <= 0 || ny <= 0 || nz <= 0) {
      throw new IllegalArgumentException("patch size must be positive: " + nx + "x" + ny + "x" + nz);
    }
  }

  public static PatchSize cube(int edge) {
    return new PatchSize(edge, edge, edge);
  }

  /** Extent along axis 0 (x), 1 (y) or 2 (z). */
  public int along(int axis) {
    return switch (axis) {
      case 0 -> nx;
      case 1 -> ny;
      case 2 -> nz;
      default -> throw new IllegalArgumentException("axis must be 0, 1 or 2, got " + axis);
    };
  }

  public int voxels() {
    return Math.multiplyExact(Math.multiplyExact(nx, ny), nz);
  }

  @Override
  public String toString() {
    return nx + "x" + ny + "x" + nz;
  }
}
