package org.isles.distance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.isles.testing.PythonOracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EuclideanDistanceTransformTest {
  private static final String SCIPY_EDT = """
      import sys, numpy as np
      from scipy import ndimage
      folder, count = sys.argv[1], int(sys.argv[2])
      for case in range(count):
          nx, ny, nz, sx, sy, sz = open(f'{folder}/case{case}.txt').read().split()
          features = np.fromfile(f'{folder}/features{case}.f32', '<f4').reshape(int(nz), int(ny), int(nx)) != 0
          distances = ndimage.distance_transform_edt(~features, sampling=(float(sz), float(sy), float(sx)))
          distances.astype('<f8').tofile(f'{folder}/distances{case}.f64')
      """;

  private record Case(int nx, int ny, int nz, double[] spacing, boolean[] features) {}

  @Test
  void distancesMatchScipyWithAnisotropicSampling(@TempDir Path folder) throws Exception {
    Random random = new Random(7);
    int[][] shapes = {{17, 13, 11}, {40, 9, 6}, {5, 23, 19}, {30, 30, 1}};
    double[][] spacings = {{1, 1, 1}, {0.8, 1.1, 3.0}, {2.5, 0.45, 1.7}};
    double[] densities = {0.002, 0.02, 0.3};
    Case[] cases = new Case[shapes.length * spacings.length * densities.length];
    int c = 0;
    for (int[] shape : shapes) {
      for (double[] spacing : spacings) {
        for (double density : densities) {
          boolean[] features = new boolean[shape[0] * shape[1] * shape[2]];
          float[] asFloats = new float[features.length];
          features[random.nextInt(features.length)] = true;
          for (int n = 0; n < features.length; n++) {
            features[n] |= random.nextDouble() < density;
            asFloats[n] = features[n] ? 1f : 0f;
          }
          PythonOracle.writeFloats(folder.resolve("features" + c + ".f32"), asFloats);
          Files.writeString(folder.resolve("case" + c + ".txt"),
              shape[0] + " " + shape[1] + " " + shape[2] + " " + spacing[0] + " " + spacing[1] + " " + spacing[2]);
          cases[c++] = new Case(shape[0], shape[1], shape[2], spacing, features);
        }
      }
    }
    PythonOracle.run(SCIPY_EDT, folder.toString(), Integer.toString(cases.length));
    for (c = 0; c < cases.length; c++) {
      Case test = cases[c];
      double[] expected = PythonOracle.readDoubles(folder.resolve("distances" + c + ".f64"));
      double[] actual =
          EuclideanDistanceTransform.distances(test.features, test.nx, test.ny, test.nz, test.spacing);
      for (int n = 0; n < expected.length; n++) {
        assertEquals(expected[n], actual[n], 1e-6, "case " + c + " voxel " + n);
      }
      int[] queries = random.ints(25, 0, expected.length).toArray();
      double[] atQueries = EuclideanDistanceTransform.distancesAt(
          test.features, queries, test.nx, test.ny, test.nz, test.spacing);
      for (int q = 0; q < queries.length; q++) {
        assertEquals(expected[queries[q]], atQueries[q], 1e-6, "case " + c + " query voxel " + queries[q]);
      }
    }
  }

  @Test
  void singleFeatureGivesScaledEuclideanDistances() {
    boolean[] features = new boolean[4 * 3 * 2];
    features[0] = true;
    double[] distances = EuclideanDistanceTransform.distances(features, 4, 3, 2, new double[] {0.5, 2, 3});
    // voxel (3, 2, 1): sqrt(1.5^2 + 4^2 + 3^2)
    assertEquals(Math.sqrt(2.25 + 16 + 9), distances[3 + 4 * (2 + 3)], 1e-12);
    assertEquals(0.0, distances[0]);
  }

  @Test
  void gridWithoutFeaturesIsInfinitelyFar() {
    double[] distances = EuclideanDistanceTransform.distances(new boolean[8], 2, 2, 2, new double[] {1, 1, 1});
    for (double distance : distances) {
      assertTrue(Double.isInfinite(distance));
    }
  }
}
