package org.isles.augment;

import java.util.random.RandomGenerator;
import org.isles.sampling.PatchSize;

/**
 * A smooth multiplicative field over a patch, as coil shading: {@code 1 + a s(x, y, z)} with
 * {@code s} a cubic polynomial in coordinates scaled to [-1, 1], random coefficients, scaled so
 * that max |s| over the patch is 1 (MONAI's RandBiasField uses Legendre polynomials the same way).
 * On z-scored images the field multiplies the signal above the channel's lowest value in the
 * patch, which stands for zero signal, so that it acts as shading on the scanner's numbers would.
 */
final class BiasField {
  static final int DEGREE = 3;

  private BiasField() {}

  /** The field's values for every voxel of the patch, in [1 - amplitude, 1 + amplitude]. */
  static float[] draw(PatchSize size, double amplitude, RandomGenerator random) {
    int terms = 0;
    int[][] powers = new int[(DEGREE + 1) * (DEGREE + 1) * (DEGREE + 1)][];
    for (int px = 0; px <= DEGREE; px++) {
      for (int py = 0; py + px <= DEGREE; py++) {
        for (int pz = 0; pz + py + px <= DEGREE; pz++) {
          powers[terms++] = new int[] {px, py, pz};
        }
      }
    }
    double[] coefficients = new double[terms];
    for (int t = 1; t < terms; t++) { // no constant term: the field's level comes from "1 +"
      coefficients[t] = random.nextDouble(-1, 1);
    }
    double[][] xPowers = powersAlong(size.nx());
    double[][] yPowers = powersAlong(size.ny());
    double[][] zPowers = powersAlong(size.nz());
    double[] s = new double[size.voxels()];
    double max = 0;
    int n = 0;
    for (int k = 0; k < size.nz(); k++) {
      for (int j = 0; j < size.ny(); j++) {
        for (int i = 0; i < size.nx(); i++, n++) {
          double value = 0;
          for (int t = 1; t < terms; t++) {
            value += coefficients[t] * xPowers[powers[t][0]][i] * yPowers[powers[t][1]][j] * zPowers[powers[t][2]][k];
          }
          s[n] = value;
          max = Math.max(max, Math.abs(value));
        }
      }
    }
    float[] field = new float[s.length];
    for (int v = 0; v < s.length; v++) {
      field[v] = (float) (1 + (max > 0 ? amplitude * s[v] / max : 0));
    }
    return field;
  }

  /** Multiplies {@code data[start .. start + field.length]} by the field about the channel's minimum. */
  static void apply(float[] data, int start, float[] field) {
    float floor = Float.POSITIVE_INFINITY;
    for (int v = 0; v < field.length; v++) {
      floor = Math.min(floor, data[start + v]);
    }
    for (int v = 0; v < field.length; v++) {
      data[start + v] = floor + field[v] * (data[start + v] - floor);
    }
  }

  /** {@code [p][index]}: the index's coordinate in [-1, 1] to the power p, for p up to the degree. */
  private static double[][] powersAlong(int length) {
    double[][] powers = new double[DEGREE + 1][length];
    for (int index = 0; index < length; index++) {
      double coordinate = unit(index, length);
      for (int p = 0; p <= DEGREE; p++) {
        powers[p][index] = Math.pow(coordinate, p);
      }
    }
    return powers;
  }

  /** Voxel index to [-1, 1] across the axis. */
  private static double unit(int index, int length) {
    return length == 1 ? 0 : 2.0 * index / (length - 1) - 1;
  }
}
