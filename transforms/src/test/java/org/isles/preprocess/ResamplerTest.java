package org.isles.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.isles.volume.Grid;
import org.isles.volume.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResamplerTest {
  /** 1e-5 of the images' intensity range (0..100). */
  private static final double TOLERANCE = 1e-5 * 100;

  @TempDir Path dir;

  /** Flipped x and y axes (LPS-like storage) off the origin, to keep sign handling honest. */
  private static Grid flipped(int nx, int ny, int nz, double sx, double sy, double sz) {
    return new Grid(nx, ny, nz, new double[] {-sx, 0, 0, 90, 0, -sy, 0, 110.5, 0, 0, sz, -60, 0, 0, 0, 1});
  }

  @Test
  void cubicUpsamplingMatchesScipy() throws IOException {
    Volume source = TestVolumes.noise(flipped(14, 12, 10, 2, 2, 2), 1);
    Grid target = TargetSpacing.isotropic(1).gridFor(source.grid());
    assertArrayEquals(new int[] {28, 24, 20}, target.shape());
    assertMatchesScipy(source, target, Interpolation.CUBIC_BSPLINE, 3);
  }

  @Test
  void cubicDownsamplingMatchesScipy() throws IOException {
    Volume source = TestVolumes.smooth(flipped(34, 30, 26, 1, 1, 1));
    Grid target = TargetSpacing.isotropic(1.7).gridFor(source.grid());
    assertArrayEquals(new int[] {20, 18, 15}, target.shape());
    assertMatchesScipy(source, target, Interpolation.CUBIC_BSPLINE, 3);
  }

  @Test
  void cubicThickSlicesToTwoAndOneMillimetreMatchScipy() throws IOException {
    Volume source = TestVolumes.noise(flipped(24, 22, 8, 1, 1, 5), 2);
    Grid twoMm = TargetSpacing.isotropic(2).gridFor(source.grid());
    assertArrayEquals(new int[] {12, 11, 20}, twoMm.shape());
    assertMatchesScipy(source, twoMm, Interpolation.CUBIC_BSPLINE, 3);
    Grid oneMm = TargetSpacing.isotropic(1).gridFor(source.grid());
    assertArrayEquals(new int[] {24, 22, 40}, oneMm.shape());
    assertMatchesScipy(source, oneMm, Interpolation.CUBIC_BSPLINE, 3);
  }

  @Test
  void maxZoomResamplesOnlyTheThickAxis() throws IOException {
    Volume source = TestVolumes.noise(TestVolumes.rotated(20, 18, 7, 0.9, 0.9, 5, 12), 3);
    Grid target = TargetSpacing.maxZoom(2).gridFor(source.grid());
    assertArrayEquals(new int[] {20, 18, 18}, target.shape());
    assertArrayEquals(new double[] {0.9, 0.9, 2}, target.spacing(), 1e-12);
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 2; c++) {
        assertEquals(source.grid().affine(r, c), target.affine(r, c), 0.0, "in-plane axes are untouched");
      }
    }
    assertMatchesScipy(source, target, Interpolation.CUBIC_BSPLINE, 3);
  }

  @Test
  void obliqueSourceOntoAxisAlignedTargetMatchesScipy() throws IOException {
    Volume source = TestVolumes.noise(TestVolumes.rotated(20, 20, 10, 1.2, 1.2, 3, 20), 4);
    double[] corner = source.grid().toWorld(0, 0, 0);
    Grid target = new Grid(22, 20, 16,
        new double[] {1.5, 0, 0, corner[0] - 10, 0, 1.5, 0, corner[1] - 5, 0, 0, 1.5, corner[2] - 8, 0, 0, 0, 1});
    assertMatchesScipy(source, target, Interpolation.CUBIC_BSPLINE, 3);
    assertMatchesScipy(source, target, Interpolation.LINEAR, 1);
  }

  @Test
  void axesOfOneAndTwoVoxelsMatchScipy() throws IOException {
    Volume source = TestVolumes.noise(flipped(7, 2, 1, 2, 2, 2), 15);
    Grid target = TargetSpacing.isotropic(0.8).gridFor(source.grid());
    assertArrayEquals(new int[] {18, 5, 3}, target.shape());
    assertMatchesScipy(source, target, Interpolation.CUBIC_BSPLINE, 3);
    assertMatchesScipy(source, target, Interpolation.LINEAR, 1);
  }

  @Test
  void linearMatchesScipy() throws IOException {
    Volume source = TestVolumes.noise(flipped(16, 14, 6, 1, 1, 4), 5);
    assertMatchesScipy(source, TargetSpacing.isotropic(1.5).gridFor(source.grid()), Interpolation.LINEAR, 1);
  }

  @Test
  void nearestLabelsEqualScipyExceptAtHalfVoxelTies() throws IOException {
    Volume thickSlices = TestVolumes.labels(flipped(24, 22, 8, 1.2, 1.2, 5), 6);
    assertNearestMatchesScipy(thickSlices, TargetSpacing.isotropic(2).gridFor(thickSlices.grid()));
    Volume twoMm = TestVolumes.labels(flipped(12, 10, 9, 2, 2, 2), 7);
    assertNearestMatchesScipy(twoMm, TargetSpacing.isotropic(1).gridFor(twoMm.grid()));
    Volume oblique = TestVolumes.labels(TestVolumes.rotated(16, 16, 8, 1, 1, 3, 25), 8);
    assertNearestMatchesScipy(oblique, Grid.axisAligned(20, 20, 14, 1.3, 1.3, 1.3));
  }

  @Test
  void sameGridIsACopyOfTheInput() {
    Volume source = TestVolumes.noise(TestVolumes.rotated(9, 8, 7, 1, 1, 1, 30), 9);
    Grid target = TargetSpacing.isotropic(1).gridFor(source.grid());
    assertSame(source.grid(), target);
    for (Interpolation interpolation : Interpolation.values()) {
      Volume resampled = Resampler.resample(source, target, interpolation);
      assertArrayEquals(source.data(), resampled.data());
      assertNotSame(source.data(), resampled.data());
    }
  }

  @Test
  void cubicSplinePassesThroughTheVoxelsOnAShiftedGrid() {
    // A whole-voxel shift is not the identity shortcut, so this runs the prefilter and the kernel.
    Volume source = TestVolumes.noise(Grid.axisAligned(12, 11, 10, 1, 1, 1), 10);
    Grid shifted = new CropBox(new int[] {2, 3, 1}, new int[] {11, 9, 10}).crop(source.grid());
    Volume resampled = Resampler.resample(source, shifted, Interpolation.CUBIC_BSPLINE);
    for (int k = 0; k < shifted.nz(); k++) {
      for (int j = 0; j < shifted.ny(); j++) {
        for (int i = 0; i < shifted.nx(); i++) {
          assertEquals(source.get(i + 2, j + 3, k + 1), resampled.get(i, j, k), 1e-4);
        }
      }
    }
  }

  private void assertMatchesScipy(Volume source, Grid target, Interpolation interpolation, int order)
      throws IOException {
    float[] expected = ScipyResampling.mapCoordinates(source, target, order, dir).values();
    float[] actual = Resampler.resample(source, target, interpolation).data();
    assertEquals(expected.length, actual.length);
    for (int n = 0; n < expected.length; n++) {
      assertEquals(expected[n], actual[n], TOLERANCE, "voxel " + n + " of " + target);
    }
  }

  private void assertNearestMatchesScipy(Volume labels, Grid target) throws IOException {
    ScipyResampling.Result expected = ScipyResampling.mapCoordinates(labels, target, 0, dir);
    float[] actual = Resampler.resample(labels, target, Interpolation.NEAREST).data();
    int compared = 0;
    for (int n = 0; n < actual.length; n++) {
      if (!expected.ties()[n]) {
        assertEquals(expected.values()[n], actual[n], 0.0, "voxel " + n + " of " + target);
        compared++;
      }
    }
    assertTrue(compared > actual.length / 4, "only " + compared + " of " + actual.length + " voxels off ties");
  }
}
