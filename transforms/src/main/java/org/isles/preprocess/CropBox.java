package org.isles.preprocess;

import java.util.Arrays;
import org.isles.volume.Grid;
import org.isles.volume.Volume;

/**
 * A box of voxels of a grid, {@code lo} inclusive to {@code hi} exclusive per axis. Cropping
 * translates the affine so every kept voxel keeps its world position; {@link #uncrop} puts a
 * cropped volume (e.g. a prediction) back on the full grid.
 */
public record CropBox(int[] lo, int[] hi) {
  public CropBox {
    if (lo.length != 3 || hi.length != 3) {
      throw new IllegalArgumentException("crop box needs 3 lo and 3 hi values: " + Arrays.toString(lo)
          + " " + Arrays.toString(hi));
    }
    for (int axis = 0; axis < 3; axis++) {
      if (lo[axis] < 0 || hi[axis] <= lo[axis]) {
        throw new IllegalArgumentException("crop box is empty or negative on axis " + axis + ": lo "
            + Arrays.toString(lo) + " hi " + Arrays.toString(hi));
      }
    }
    lo = lo.clone();
    hi = hi.clone();
  }

  /**
   * The bounding box of the nonzero voxels of {@code mask}, grown by {@code margin} voxels on every
   * side and clipped to the grid.
   */
  public static CropBox aroundNonzero(Volume mask, int margin) {
    if (margin < 0) {
      throw new IllegalArgumentException("crop margin must not be negative, got " + margin);
    }
    Grid grid = mask.grid();
    int[] shape = grid.shape();
    int[] lo = shape.clone();
    int[] hi = {-1, -1, -1};
    float[] data = mask.data();
    for (int k = 0; k < grid.nz(); k++) {
      for (int j = 0; j < grid.ny(); j++) {
        for (int i = 0; i < grid.nx(); i++) {
          if (data[grid.index(i, j, k)] != 0f) {
            lo[0] = Math.min(lo[0], i);
            lo[1] = Math.min(lo[1], j);
            lo[2] = Math.min(lo[2], k);
            hi[0] = Math.max(hi[0], i);
            hi[1] = Math.max(hi[1], j);
            hi[2] = Math.max(hi[2], k);
          }
        }
      }
    }
    if (hi[0] < 0) {
      throw new IllegalArgumentException("cannot crop around an empty mask on grid " + grid);
    }
    for (int axis = 0; axis < 3; axis++) {
      lo[axis] = Math.max(0, lo[axis] - margin);
      hi[axis] = Math.min(shape[axis], hi[axis] + 1 + margin);
    }
    return new CropBox(lo, hi);
  }

  @Override
  public int[] lo() {
    return lo.clone();
  }

  @Override
  public int[] hi() {
    return hi.clone();
  }

  public int[] shape() {
    return new int[] {hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]};
  }

  /** The sub-grid inside this box: same axes, origin moved to voxel {@code lo}. */
  public Grid crop(Grid grid) {
    int[] full = grid.shape();
    for (int axis = 0; axis < 3; axis++) {
      if (hi[axis] > full[axis]) {
        throw new IllegalArgumentException("crop box " + this + " exceeds grid " + grid);
      }
    }
    double[] affine = grid.affine();
    double[] origin = grid.toWorld(lo[0], lo[1], lo[2]);
    for (int r = 0; r < 3; r++) {
      affine[4 * r + 3] = origin[r];
    }
    int[] shape = shape();
    return new Grid(shape[0], shape[1], shape[2], affine);
  }

  public Volume crop(Volume volume) {
    Grid full = volume.grid();
    Grid cropped = crop(full);
    float[] data = new float[cropped.size()];
    int rowLength = cropped.nx();
    for (int k = 0; k < cropped.nz(); k++) {
      for (int j = 0; j < cropped.ny(); j++) {
        System.arraycopy(volume.data(), full.index(lo[0], lo[1] + j, lo[2] + k),
            data, cropped.index(0, j, k), rowLength);
      }
    }
    return new Volume(cropped, data);
  }

  /** {@code cropped} placed back into {@code full}, every voxel outside the box set to {@code fill}. */
  public Volume uncrop(Volume cropped, Grid full, float fill) {
    Grid expected = crop(full);
    if (!cropped.grid().sameGrid(expected, 1e-6)) {
      throw new IllegalArgumentException(
          "volume on grid " + cropped.grid() + " is not crop " + this + " of grid " + full);
    }
    float[] data = new float[full.size()];
    Arrays.fill(data, fill);
    int rowLength = expected.nx();
    for (int k = 0; k < expected.nz(); k++) {
      for (int j = 0; j < expected.ny(); j++) {
        System.arraycopy(cropped.data(), expected.index(0, j, k),
            data, full.index(lo[0], lo[1] + j, lo[2] + k), rowLength);
      }
    }
    return new Volume(full, data);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CropBox c && Arrays.equals(lo, c.lo) && Arrays.equals(hi, c.hi);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(lo) + Arrays.hashCode(hi);
  }

  @Override
  public String toString() {
    return "CropBox[lo=" + Arrays.toString(lo) + ", hi=" + Arrays.toString(hi) + "]";
  }
}
