package org.isles.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.isles.volume.Grid;
import org.isles.volume.Volume;
import org.junit.jupiter.api.Test;

class OverlayTest {
  private static final int NX = 24;
  private static final int NY = 20;
  private static final int NZ = 8;

  @Test
  void radiologicalViewOfAnRasGridFlipsBothInPlaneAxes() {
    Grid ras = Grid.axisAligned(NX, NY, NZ, 1, 1, 2);
    BufferedImage slice = Overlay.slice(dwi(ras), new Overlay.Window(0, 100), cube(ras, 5, 3, 5), cube(ras, 7, 3, 5), 4);
    // Voxel (i, j) is drawn at (NX - 1 - i, NY - 1 - j): patient's right (high i) left, anterior (high j) up.
    assertEquals(Overlay.GROUND_TRUTH_RGB, rgb(slice, NX - 1 - 5, NY - 1 - 7), "left edge of the truth only");
    assertEquals(Overlay.GROUND_TRUTH_RGB, rgb(slice, NX - 1 - 9, NY - 1 - 7), "truth edge inside the prediction");
    assertEquals(Overlay.PREDICTION_RGB, rgb(slice, NX - 1 - 11, NY - 1 - 7), "right edge of the prediction only");
    assertEquals(Overlay.BOTH_RGB, rgb(slice, NX - 1 - 7, NY - 1 - 5), "corner shared by both outlines");
    assertGrey(slice, NX - 1 - 8, NY - 1 - 7, 4 * 7 + 8, "interior voxel shows the DWI");
  }

  @Test
  void theSameHeadStoredInFourAxisDirectionsLooksTheSame() {
    Grid ras = Grid.axisAligned(NX, NY, NZ, 1, 1, 2);
    Volume dwi = dwi(ras);
    for (int n = 0; n < dwi.data().length; n++) {
      dwi.data()[n] += n % NX; // a left-right gradient, so a wrong horizontal flip shows
    }
    boolean[] truth = cube(ras, 5, 3, 5);
    boolean[] prediction = cube(ras, 7, 3, 5);
    Overlay.Window window = new Overlay.Window(0, 100);
    BufferedImage expected = Overlay.slice(dwi, window, truth, prediction, 4);
    for (boolean flipI : new boolean[] {false, true}) {
      for (boolean flipJ : new boolean[] {false, true}) {
        // Reversing a voxel axis and negating its affine column keeps every voxel at its world position.
        double[] affine = ras.affine();
        if (flipI) {
          affine[0] = -1;
          affine[3] = NX - 1;
        }
        if (flipJ) {
          affine[5] = -1;
          affine[7] = NY - 1;
        }
        Grid stored = new Grid(NX, NY, NZ, affine);
        BufferedImage actual = Overlay.slice(
            reversed(dwi, stored, flipI, flipJ), window, reversed(truth, flipI, flipJ), reversed(prediction, flipI, flipJ), 4);
        for (int y = 0; y < NY; y++) {
          for (int x = 0; x < NX; x++) {
            assertEquals(rgb(expected, x, y), rgb(actual, x, y), stored.orientation() + " pixel " + x + "," + y);
          }
        }
      }
    }
  }

  private static Volume reversed(Volume volume, Grid grid, boolean flipI, boolean flipJ) {
    float[] data = new float[grid.size()];
    for (int n = 0; n < data.length; n++) {
      data[n] = volume.data()[source(n, flipI, flipJ)];
    }
    return new Volume(grid, data);
  }

  private static boolean[] reversed(boolean[] mask, boolean flipI, boolean flipJ) {
    boolean[] result = new boolean[mask.length];
    for (int n = 0; n < mask.length; n++) {
      result[n] = mask[source(n, flipI, flipJ)];
    }
    return result;
  }

  /** The RAS-grid index of the voxel that index n holds on the reversed grid. */
  private static int source(int n, boolean flipI, boolean flipJ) {
    int i = n % NX;
    int j = n / NX % NY;
    int k = n / (NX * NY);
    return (flipI ? NX - 1 - i : i) + NX * ((flipJ ? NY - 1 - j : j) + NY * k);
  }

  @Test
  void lpsGridIsShownAsStored() {
    double[] lps = {-1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1};
    Grid grid = new Grid(NX, NY, NZ, lps);
    assertEquals("LPS", grid.orientation());
    BufferedImage slice = Overlay.slice(dwi(grid), new Overlay.Window(0, 100), cube(grid, 5, 3, 5), cube(grid, 7, 3, 5), 4);
    assertEquals(Overlay.GROUND_TRUTH_RGB, rgb(slice, 5, 7));
    assertEquals(Overlay.PREDICTION_RGB, rgb(slice, 11, 7));
    assertEquals(Overlay.BOTH_RGB, rgb(slice, 7, 5));
  }

  @Test
  void renderShowsTheThreeLesionSlicesEnlarged() {
    Grid grid = Grid.axisAligned(NX, NY, NZ, 1, 1, 2);
    boolean[] truth = cube(grid, 5, 3, 5);
    boolean[] prediction = cube(grid, 7, 3, 5);
    prediction[grid.index(0, 0, 7)] = true; // one stray voxel: slice 7 has fewer lesion voxels than 3..5
    assertArrayEquals(new int[] {3, 4, 5}, Overlay.lesionSlices(grid, truth, prediction, 3));
    BufferedImage image = Overlay.render(dwi(grid), truth, prediction, "sub-a  Dice 0.6");
    int scale = Overlay.scale(grid);
    assertEquals(11, scale, "256 pixels across 24 voxels");
    // Per slice: a 5x5 truth square and the same square shifted by 2 voxels in i have 16 outline
    // voxels each, 6 of them shared (the top and bottom rows where they overlap).
    int pixelsPerVoxel = scale * scale;
    assertEquals(3 * 10 * pixelsPerVoxel, count(image, Overlay.GROUND_TRUTH_RGB));
    assertEquals(3 * 10 * pixelsPerVoxel, count(image, Overlay.PREDICTION_RGB));
    assertEquals(3 * 6 * pixelsPerVoxel, count(image, Overlay.BOTH_RGB));
  }

  @Test
  void aLongCaptionWidensTheImage() {
    Grid grid = Grid.axisAligned(4, 4, 1, 1, 1, 1);
    boolean[] none = new boolean[grid.size()];
    int panels = 4 * Overlay.scale(grid) + 2 * 4;
    assertEquals(panels, Overlay.render(dwi(grid), none, none, "a").getWidth(), "one panel and its two gaps");
    assertTrue(Overlay.render(dwi(grid), none, none, "a".repeat(80)).getWidth() > panels);
  }

  @Test
  void emptyMasksShowTheMiddleSlice() {
    Grid grid = Grid.axisAligned(NX, NY, NZ, 1, 1, 1);
    assertArrayEquals(new int[] {4}, Overlay.lesionSlices(grid, new boolean[grid.size()], new boolean[grid.size()], 3));
  }

  @Test
  void windowIsThe1stTo99thPercentileOfNonzeroVoxels() {
    float[] data = new float[200];
    for (int n = 0; n < 100; n++) {
      data[2 * n + 1] = n + 1;
    }
    Overlay.Window window = Overlay.Window.of(new Volume(Grid.axisAligned(200, 1, 1, 1, 1, 1), data));
    // numpy: np.percentile(np.arange(1, 101), [1, 99]) == [1.99, 99.01]
    assertEquals(1.99, window.low(), 1e-9);
    assertEquals(99.01, window.high(), 1e-9);
  }

  /** A DWI rising with j, 4 * j + 8, inside the window 0..100 used by the tests. */
  private static Volume dwi(Grid grid) {
    float[] data = new float[grid.size()];
    for (int k = 0; k < grid.nz(); k++) {
      for (int j = 0; j < grid.ny(); j++) {
        for (int i = 0; i < grid.nx(); i++) {
          data[grid.index(i, j, k)] = 4 * j + 8;
        }
      }
    }
    return new Volume(grid, data);
  }

  /** A cube of 5x5 voxels in plane starting at (i0, 5) over slices k0..k1. */
  static boolean[] cube(Grid grid, int i0, int k0, int k1) {
    boolean[] mask = new boolean[grid.size()];
    for (int k = k0; k <= k1; k++) {
      for (int j = 5; j < 10; j++) {
        for (int i = i0; i < i0 + 5; i++) {
          mask[grid.index(i, j, k)] = true;
        }
      }
    }
    return mask;
  }

  private static int rgb(BufferedImage image, int x, int y) {
    return image.getRGB(x, y) & 0xffffff;
  }

  private static void assertGrey(BufferedImage image, int x, int y, double value, String message) {
    int grey = (int) Math.round(255 * value / 100);
    assertEquals(grey << 16 | grey << 8 | grey, rgb(image, x, y), message);
  }

  static int count(BufferedImage image, int rgb) {
    int n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        n += rgb(image, x, y) == rgb ? 1 : 0;
      }
    }
    return n;
  }
}
