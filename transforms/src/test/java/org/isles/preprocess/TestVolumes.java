package org.isles.preprocess;

import java.util.Random;
import org.isles.volume.Grid;
import org.isles.volume.Volume;

/** Seeded test images: white noise (the hardest case for an interpolator) and a smooth field. */
final class TestVolumes {
  private TestVolumes() {}

  static Volume noise(Grid grid, long seed) {
    Random random = new Random(seed);
    float[] data = new float[grid.size()];
    for (int n = 0; n < data.length; n++) {
      data[n] = (float) (100 * random.nextDouble());
    }
    return new Volume(grid, data);
  }

  static Volume smooth(Grid grid) {
    float[] data = new float[grid.size()];
    for (int k = 0; k < grid.nz(); k++) {
      for (int j = 0; j < grid.ny(); j++) {
        for (int i = 0; i < grid.nx(); i++) {
          data[grid.index(i, j, k)] = (float) (50 + 30 * Math.sin(0.3 * i) * Math.cos(0.2 * j) + 5 * k);
        }
      }
    }
    return new Volume(grid, data);
  }

  /** Blocky integer labels 0..3, like a segmentation. */
  static Volume labels(Grid grid, long seed) {
    Random random = new Random(seed);
    float[] data = new float[grid.size()];
    for (int k = 0; k < grid.nz(); k++) {
      for (int j = 0; j < grid.ny(); j++) {
        for (int i = 0; i < grid.nx(); i++) {
          data[grid.index(i, j, k)] = random.nextInt(4);
        }
      }
    }
    return new Volume(grid, data);
  }

  /** A grid with spacing (sx, sy, sz), rotated by {@code degrees} about the world z and y axes, off the origin. */
  static Grid rotated(int nx, int ny, int nz, double sx, double sy, double sz, double degrees) {
    double a = Math.toRadians(degrees);
    double c = Math.cos(a);
    double s = Math.sin(a);
    double[][] rz = {{c, -s, 0}, {s, c, 0}, {0, 0, 1}};
    double[][] ry = {{c, 0, s}, {0, 1, 0}, {-s, 0, c}};
    double[] spacing = {sx, sy, sz};
    double[] affine = new double[16];
    for (int r = 0; r < 3; r++) {
      for (int col = 0; col < 3; col++) {
        double sum = 0;
        for (int m = 0; m < 3; m++) {
          sum += rz[r][m] * ry[m][col];
        }
        affine[4 * r + col] = sum * spacing[col];
      }
    }
    affine[3] = -40.5;
    affine[7] = 12.25;
    affine[11] = -7;
    affine[15] = 1;
    return new Grid(nx, ny, nz, affine);
  }
}
