package org.isles.nifti;

import org.isles.volume.Grid;
import org.isles.volume.Volume;

/**
 * A whole NIfTI image: its header and every voxel, scaled as nibabel's {@code get_fdata} gives
 * them, in file order (x fastest, then y, z, t, ...). Doubles keep every supported datatype
 * within 1e-6 relative of nibabel.
 */
public record NiftiImage(NiftiHeader header, double[] data) {
  public NiftiImage {
    if (data.length != header.voxelCount()) {
      throw new IllegalArgumentException(header + " has " + header.voxelCount() + " voxels, data has " + data.length);
    }
  }

  /** The number of 3-D volumes: the product of dim[4..ndim]. */
  public long volumeCount() {
    return header.volumeCount();
  }

  /** Volume {@code index} (counting over dims 4..7 in file order) as float data on the header's grid. */
  public Volume volume(int index) {
    if (index < 0 || index >= volumeCount()) {
      throw new IndexOutOfBoundsException(header.source() + " has " + volumeCount() + " volumes, no volume " + index);
    }
    Grid grid = grid();
    int size = grid.size();
    int start = index * size;
    float[] values = new float[size];
    for (int n = 0; n < size; n++) {
      values[n] = (float) data[start + n];
    }
    return new Volume(grid, values);
  }

  /** The first 3-D volume; for a 3-D image, the image itself. */
  public Volume firstVolume() {
    return volume(0);
  }

  /** The 3-D grid of one volume: dims 1..3 (1 where the image has fewer) and the affine. */
  public Grid grid() {
    return header.grid();
  }
}
