package org.isles.components;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.isles.testing.PythonOracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectedComponentsTest {
  private static final String SCIPY_LABEL = """
      import sys, numpy as np
      from scipy import ndimage
      folder, count = sys.argv[1], int(sys.argv[2])
      for case in range(count):
          nx, ny, nz = (int(v) for v in open(f'{folder}/shape{case}.txt').read().split())
          mask = np.fromfile(f'{folder}/mask{case}.f32', '<f4').reshape(nz, ny, nx) != 0
          for rank, connectivity in ((1, 6), (2, 18), (3, 26)):
              labels, n = ndimage.label(mask, ndimage.generate_binary_structure(3, rank))
              labels.astype('<i4').tofile(f'{folder}/labels{case}_{connectivity}.i32')
              np.bincount(labels.ravel(), minlength=n + 1).astype('<i4').tofile(f'{folder}/counts{case}_{connectivity}.i32')
      """;

  @Test
  void labelsMatchScipyForAllConnectivitiesDensitiesAndShapes(@TempDir Path folder) throws Exception {
    int[][] shapes = {{13, 11, 9}, {31, 6, 4}, {3, 17, 12}, {1, 1, 40}, {20, 20, 1}};
    double[] densities = {0.05, 0.2, 0.35, 0.6};
    Random random = new Random(20220527);
    int cases = 0;
    boolean[][] masks = new boolean[shapes.length * densities.length][];
    for (int[] shape : shapes) {
      for (double density : densities) {
        boolean[] mask = new boolean[shape[0] * shape[1] * shape[2]];
        float[] asFloats = new float[mask.length];
        for (int n = 0; n < mask.length; n++) {
          mask[n] = random.nextDouble() < density;
          asFloats[n] = mask[n] ? 1f : 0f;
        }
        PythonOracle.writeFloats(folder.resolve("mask" + cases + ".f32"), asFloats);
        Files.writeString(folder.resolve("shape" + cases + ".txt"), shape[0] + " " + shape[1] + " " + shape[2]);
        masks[cases++] = mask;
      }
    }
    PythonOracle.run(SCIPY_LABEL, folder.toString(), Integer.toString(cases));
    int c = 0;
    for (int[] shape : shapes) {
      for (double density : densities) {
        for (Connectivity connectivity : Connectivity.values()) {
          ConnectedComponents components =
              ConnectedComponents.label(masks[c], shape[0], shape[1], shape[2], connectivity);
          String suffix = c + "_" + connectivity.neighbours() + ".i32";
          int[] expectedCounts = PythonOracle.readInts(folder.resolve("counts" + suffix));
          String what = "shape " + shape[0] + "x" + shape[1] + "x" + shape[2] + " density " + density + " " + connectivity;
          assertEquals(expectedCounts.length - 1, components.count(), what);
          assertArrayEquals(PythonOracle.readInts(folder.resolve("labels" + suffix)), components.labels(), what);
          assertArrayEquals(expectedCounts, components.voxelCounts(), what);
        }
        c++;
      }
    }
  }

  @Test
  void diagonalContactIsOneLesionAtTwentySixButTwoAtSixAndEighteen() {
    int nx = 3, ny = 3, nz = 3;
    boolean[] mask = new boolean[27];
    mask[0] = true; // (0,0,0)
    mask[1 + nx * (1 + ny * 1)] = true; // (1,1,1): touches (0,0,0) only at a corner
    assertEquals(1, ConnectedComponents.label(mask, nx, ny, nz).count());
    assertEquals(2, ConnectedComponents.label(mask, nx, ny, nz, Connectivity.EIGHTEEN).count());
    assertEquals(2, ConnectedComponents.label(mask, nx, ny, nz, Connectivity.SIX).count());
    boolean[] edge = new boolean[27];
    edge[0] = true;
    edge[1 + nx] = true; // (1,1,0): shares an edge with (0,0,0)
    assertEquals(1, ConnectedComponents.label(edge, nx, ny, nz, Connectivity.EIGHTEEN).count());
    assertEquals(2, ConnectedComponents.label(edge, nx, ny, nz, Connectivity.SIX).count());
  }

  @Test
  void keepRenumbersTheRemainingComponentsInRasterOrder() {
    boolean[] mask = {true, false, true, true, false, true};
    ConnectedComponents components = ConnectedComponents.label(mask, 6, 1, 1);
    assertEquals(3, components.count());
    ConnectedComponents kept = components.keep(new boolean[] {false, false, true, true});
    assertArrayEquals(new int[] {0, 0, 1, 1, 0, 2}, kept.labels());
    assertArrayEquals(new int[] {3, 2, 1}, kept.voxelCounts());
  }

  @Test
  void boundingBoxCropsTheVoxelsItHolds() {
    boolean[] mask = new boolean[4 * 3 * 2];
    mask[1 + 4 * (2 + 3 * 1)] = true;
    mask[2 + 4 * (1 + 3 * 1)] = true;
    BoundingBox box = BoundingBox.of(mask, 4, 3, 2);
    assertEquals(new BoundingBox(1, 1, 1, 3, 3, 2), box);
    assertArrayEquals(new boolean[] {false, true, true, false}, box.crop(mask, 4, 3));
    assertEquals(new BoundingBox(0, 0, 0, 4, 3, 2), box.expand(1, 4, 3, 2));
    assertEquals(box, BoundingBox.ofIndices(new int[] {1 + 4 * (2 + 3), 2 + 4 * (1 + 3)}, 4, 3));
  }
}
