package org.isles.metrics;

import org.isles.volume.Grid;

/**
 * What the metrics need to know about a case's grid: its size (index {@code i + nx * (j + ny * k)}),
 * voxel spacing in mm for boundary distances, and the voxel volume in mL for volumes. The ISLES
 * 2022 code takes the voxel volume from the header's pixdim 1..3; a caller that has it passes it
 * here instead of the product of the spacings.
 */
public record MaskGeometry(
    int nx, int ny, int nz, double spacingX, double spacingY, double spacingZ, double voxelVolumeMl) {
  public MaskGeometry {
    if (nx <= 0 || ny <= 0 || nz <= 0) {
      throw new IllegalArgumentException("mask dimensions must be positive: " + nx + "x" + ny + "x" + nz);
    }
    if (!(spacingX > 0 && spacingY > 0 && spacingZ > 0 && voxelVolumeMl > 0)) {
      throw new IllegalArgumentException("voxel spacing and volume must be positive: "
          + spacingX + ", " + spacingY + ", " + spacingZ + " mm, " + voxelVolumeMl + " mL");
    }
  }

  /** Spacing and voxel volume from the grid's affine. */
  public static MaskGeometry of(Grid grid) {
    double[] spacing = grid.spacing();
    return new MaskGeometry(grid.nx(), grid.ny(), grid.nz(), spacing[0], spacing[1], spacing[2], grid.voxelVolumeMl());
  }

  /** Voxel volume = product of the spacings / 1000. */
  public static MaskGeometry of(int nx, int ny, int nz, double spacingX, double spacingY, double spacingZ) {
    return new MaskGeometry(nx, ny, nz, spacingX, spacingY, spacingZ, spacingX * spacingY * spacingZ / 1000.0);
  }

  public double[] spacing() {
    return new double[] {spacingX, spacingY, spacingZ};
  }

  public int size() {
    return Math.multiplyExact(Math.multiplyExact(nx, ny), nz);
  }

  void checkSize(int length, String what) {
    if (length != size()) {
      throw new IllegalArgumentException(
          what + " has " + length + " voxels but the grid " + nx + "x" + ny + "x" + nz + " has " + size());
    }
  }
}
