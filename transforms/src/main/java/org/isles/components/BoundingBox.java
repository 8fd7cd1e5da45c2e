package org.isles.components;

/**
 * A half-open box of voxels [x0, x1) x [y0, y1) x [z0, z1) in a grid of nx x ny voxels per slice,
 * index order {@code i + nx * (j + ny * k)}. Metrics crop to the box around the lesions so that
 * labelling and distance transforms run on the small part of the volume that matters.
 */
public record BoundingBox(int x0, int y0, int z0, int x1, int y1, int z1) {
  public static final BoundingBox EMPTY = new BoundingBox(0, 0, 0, 0, 0, 0);

  /** The smallest box holding every true voxel of {@code mask}, or {@link #EMPTY}. */
  public static BoundingBox of(boolean[] mask, int nx, int ny, int nz) {
    checkLength(mask.length, nx, ny, nz);
    int minX = nx, minY = ny, minZ = nz, maxX = -1, maxY = -1, maxZ = -1;
    int index = 0;
    for (int k = 0; k < nz; k++) {
      for (int j = 0; j < ny; j++) {
        for (int i = 0; i < nx; i++, index++) {
          if (mask[index]) {
            minX = Math.min(minX, i);
            maxX = Math.max(maxX, i);
            minY = Math.min(minY, j);
            maxY = Math.max(maxY, j);
            minZ = Math.min(minZ, k);
            maxZ = k;
          }
        }
      }
    }
    return maxX < 0 ? EMPTY : new BoundingBox(minX, minY, minZ, maxX + 1, maxY + 1, maxZ + 1);
  }

  /** The smallest box holding the voxels at the given linear indices, or {@link #EMPTY}. */
  public static BoundingBox ofIndices(int[] indices, int nx, int ny) {
    if (indices.length == 0) {
      return EMPTY;
    }
    int minX = Integer.MAX_VALUE, minY = Integer.MAX_VALUE, minZ = Integer.MAX_VALUE;
    int maxX = -1, maxY = -1, maxZ = -1;
    for (int index : indices) {
      int i = index % nx;
      int j = (index / nx) % ny;
      int k = index / (nx * ny);
      minX = Math.min(minX, i);
      maxX = Math.max(maxX, i);
      minY = Math.min(minY, j);
      maxY = Math.max(maxY, j);
      minZ = Math.min(minZ, k);
      maxZ = Math.max(maxZ, k);
    }
    return new BoundingBox(minX, minY, minZ, maxX + 1, maxY + 1, maxZ + 1);
  }

  public boolean isEmpty() {
    return x1 <= x0 || y1 <= y0 || z1 <= z0;
  }

  public int nx() {
    return x1 - x0;
  }

  public int ny() {
    return y1 - y0;
  }

  public int nz() {
    return z1 - z0;
  }

  public int size() {
    return isEmpty() ? 0 : nx() * ny() * nz();
  }

  public BoundingBox union(BoundingBox other) {
    if (isEmpty()) {
      return other;
    }
    if (other.isEmpty()) {
      return this;
    }
    return new BoundingBox(
        Math.min(x0, other.x0), Math.min(y0, other.y0), Math.min(z0, other.z0),
        Math.max(x1, other.x1), Math.max(y1, other.y1), Math.max(z1, other.z1));
  }

  /** This box grown by {@code margin} voxels on every side, clipped to an nx x ny x nz grid. */
  public BoundingBox expand(int margin, int nx, int ny, int nz) {
    if (isEmpty()) {
      return this;
    }
    return new BoundingBox(
        Math.max(0, x0 - margin), Math.max(0, y0 - margin), Math.max(0, z0 - margin),
        Math.min(nx, x1 + margin), Math.min(ny, y1 + margin), Math.min(nz, z1 + margin));
  }

  /** The part of {@code values} (a grid of nx x ny voxels per slice) inside this box. */
  public boolean[] crop(boolean[] values, int nx, int ny) {
    boolean[] cropped = new boolean[size()];
    for (int k = 0, n = 0; k < nz(); k++) {
      for (int j = 0; j < ny(); j++, n += nx()) {
        System.arraycopy(values, x0 + nx * ((y0 + j) + ny * (z0 + k)), cropped, n, nx());
      }
    }
    return cropped;
  }

  /** The part of {@code values} (a grid of nx x ny voxels per slice) inside this box. */
  public float[] crop(float[] values, int nx, int ny) {
    float[] cropped = new float[size()];
    for (int k = 0, n = 0; k < nz(); k++) {
      for (int j = 0; j < ny(); j++, n += nx()) {
        System.arraycopy(values, x0 + nx * ((y0 + j) + ny * (z0 + k)), cropped, n, nx());
      }
    }
    return cropped;
  }

  static void checkLength(int length, int nx, int ny, int nz) {
    if ((long) nx * ny * nz != length) {
      throw new IllegalArgumentException(
          "array of " + length + " voxels does not match dimensions " + nx + "x" + ny + "x" + nz);
    }
  }
}
