package org.isles.synth;

import java.util.SplittableRandom;
import org.isles.volume.Grid;

/**
 * The voxel grids of one synthetic case: DWI (shared by ADC and the mask) and a finer FLAIR grid,
 * both covering the same head with the same axis layout, each centred on the head with its own
 * small offset, as two acquisitions of one session are.
 */
record ScanGeometry(Grid dwi, Grid flair) {
  /** An adult head's field of view in mm along world x (left-right), y (posterior-anterior), z. */
  private static final double[] ADULT_FIELD_OF_VIEW_MM = {180, 220, 150};

  /** DWI voxel sizes seen in multi-centre stroke MRI: isotropic, thick-slice and in between. */
  private static final double[][] DWI_SPACINGS_MM = {
    {2, 2, 2}, {1, 1, 5}, {0.9, 0.9, 3}, {1.5, 1.5, 4}, {1.2, 1.2, 6}
  };

  /** How the voxel axes lie in the world. Directions are 3x3 row-major; column c is voxel axis c. */
  enum AxisLayout {
    RAS(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}),
    LAS(new double[] {-1, 0, 0, 0, 1, 0, 0, 0, 1}),
    LPS(new double[] {-1, 0, 0, 0, -1, 0, 0, 0, 1}),
    /** A sagittal acquisition: i runs anterior, j superior, k (the slice axis) left. */
    ASL(new double[] {0, 0, -1, 1, 0, 0, 0, 1, 0}),
    /** LAS tilted by a few degrees about a random axis, as when slices follow the AC-PC line. */
    OBLIQUE_LAS(LAS.directions);

    private final double[] directions;

    AxisLayout(double[] directions) {
      this.directions = directions;
    }
  }

  static ScanGeometry sample(SplittableRandom random, double[] headCenter, double size) {
    AxisLayout[] layouts = AxisLayout.values();
    AxisLayout layout = layouts[random.nextInt(layouts.length)];
    double[] directions = layout == AxisLayout.OBLIQUE_LAS ? tilted(layout.directions, random) : layout.directions;
    double[] dwiSpacing = DWI_SPACINGS_MM[random.nextInt(DWI_SPACINGS_MM.length)];
    double flairScale = 0.65 + 0.2 * random.nextDouble();
    double[] flairSpacing = {dwiSpacing[0] * flairScale, dwiSpacing[1] * flairScale, dwiSpacing[2] * flairScale};
    Grid dwi = grid(directions, dwiSpacing, offset(random, headCenter, size), size);
    Grid flair = grid(directions, flairSpacing, offset(random, headCenter, size), size);
    return new ScanGeometry(dwi, flair);
  }

  /** A grid whose centre voxel sits at {@code center} and that spans the scaled field of view. */
  private static Grid grid(double[] directions, double[] spacing, double[] center, double size) {
    int[] shape = new int[3];
    for (int c = 0; c < 3; c++) {
      int worldAxis = dominantRow(directions, c);
      shape[c] = Math.max(8, (int) Math.ceil(ADULT_FIELD_OF_VIEW_MM[worldAxis] * size / spacing[c]));
    }
    // float precision, as the NIfTI header stores it, so the grid read back equals this one
    double[] affine = new double[16];
    for (int r = 0; r < 3; r++) {
      double translation = center[r];
      for (int c = 0; c < 3; c++) {
        affine[4 * r + c] = (float) (directions[3 * r + c] * spacing[c]);
        translation -= affine[4 * r + c] * (shape[c] - 1) / 2.0;
      }
      affine[4 * r + 3] = (float) translation;
    }
    affine[15] = 1;
    return new Grid(shape[0], shape[1], shape[2], affine);
  }

  /** The centre of the voxel of {@code grid} nearest to a world point. */
  static double[] nearestVoxelCenter(Grid grid, double[] world) {
    double[][] m = new double[3][3];
    double[] b = new double[3];
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        m[r][c] = grid.affine(r, c);
      }
      b[r] = world[r] - grid.affine(r, 3);
    }
    double det = determinant(m);
    double[] voxel = new double[3];
    for (int c = 0; c < 3; c++) {
      double[][] replaced = new double[3][];
      for (int r = 0; r < 3; r++) {
        replaced[r] = m[r].clone();
        replaced[r][c] = b[r];
      }
      voxel[c] = Math.rint(determinant(replaced) / det);
    }
    return grid.toWorld(voxel[0], voxel[1], voxel[2]);
  }

  private static double determinant(double[][] m) {
    return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
        - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
        + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  }

  private static int dominantRow(double[] directions, int column) {
    int best = 0;
    for (int r = 1; r < 3; r++) {
      if (Math.abs(directions[3 * r + column]) > Math.abs(directions[3 * best + column])) {
        best = r;
      }
    }
    return best;
  }

  private static double[] offset(SplittableRandom random, double[] headCenter, double size) {
    return new double[] {
      headCenter[0] + (random.nextDouble() - 0.5) * 8 * size,
      headCenter[1] + (random.nextDouble() - 0.5) * 8 * size,
      headCenter[2] + (random.nextDouble() - 0.5) * 8 * size
    };
  }

  /** {@code directions} rotated by 6 to 15 degrees about a random axis (Rodrigues' formula). */
  private static double[] tilted(double[] directions, SplittableRandom random) {
    double[] axis = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
    double norm = Math.sqrt(axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]);
    double x = axis[0] / norm;
    double y = axis[1] / norm;
    double z = axis[2] / norm;
    double angle = Math.toRadians(6 + 9 * random.nextDouble());
    double cos = Math.cos(angle);
    double sin = Math.sin(angle);
    double t = 1 - cos;
    double[] rotation = {
      cos + x * x * t, x * y * t - z * sin, x * z * t + y * sin,
      y * x * t + z * sin, cos + y * y * t, y * z * t - x * sin,
      z * x * t - y * sin, z * y * t + x * sin, cos + z * z * t
    };
    double[] result = new double[9];
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        for (int k = 0; k < 3; k++) {
          result[3 * r + c] += rotation[3 * r + k] * directions[3 * k + c];
        }
      }
    }
    return result;
  }
}
