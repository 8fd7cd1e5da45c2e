package org.isles.volume;

/**
 * A 3-D scalar image: a {@link Grid} and one float per voxel in the grid's index order. The
 * array is shared, not copied: a transform that changes voxels makes a new Volume.
 */
public record Volume(Grid grid, float[] data) {
  public Volume {
    if (data.length != grid.size()) {
      throw new IllegalArgumentException(
          "volume data has " + data.length + " values but grid " + grid + " has " + grid.size());
    }
  }

  public static Volume zeros(Grid grid) {
    return new Volume(grid, new float[grid.size()]);
  }

  public float get(int i, int j, int k) {
    return data[grid.index(i, j, k)];
  }

  /** Voxels that are nonzero, the ISLES challenge's definition of a binary mask. */
  public boolean[] nonzero() {
    boolean[] mask = new boolean[data.length];
    for (int n = 0; n < data.length; n++) {
      mask[n] = data[n] != 0f;
    }
    return mask;
  }
}
