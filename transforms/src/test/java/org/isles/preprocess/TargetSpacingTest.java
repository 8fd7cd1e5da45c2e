package org.isles.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.isles.volume.Grid;
import org.junit.jupiter.api.Test;

class TargetSpacingTest {
  private static final Grid OBLIQUE_THICK = TestVolumes.rotated(23, 19, 7, 0.9, 1.1, 5.5, 17);

  @Test
  void fixedSpacingGivesTheRequestedVoxelSizeAndRoundedShape() {
    Grid target = TargetSpacing.isotropic(2).gridFor(OBLIQUE_THICK);
    assertArrayEquals(new double[] {2, 2, 2}, target.spacing(), 1e-12);
    // round(23 * 0.9 / 2) = round(10.35), round(19 * 1.1 / 2) = round(10.45), round(7 * 5.5 / 2) = round(19.25)
    assertArrayEquals(new int[] {10, 10, 19}, target.shape());
    assertEquals(OBLIQUE_THICK.orientation(), target.orientation());
  }

  @Test
  void fieldOfViewCentreStaysInPlace() {
    for (TargetSpacing spacing : new TargetSpacing[] {TargetSpacing.isotropic(1), TargetSpacing.isotropic(2.3),
        TargetSpacing.maxZoom(2), new TargetSpacing.Fixed(new double[] {0.7, 3, 1.5})}) {
      Grid target = spacing.gridFor(OBLIQUE_THICK);
      double[] sourceCentre = OBLIQUE_THICK.toWorld(11, 9, 3);
      double[] targetCentre = target.toWorld((target.nx() - 1) / 2.0, (target.ny() - 1) / 2.0, (target.nz() - 1) / 2.0);
      assertArrayEquals(sourceCentre, targetCentre, 1e-9, spacing.toString());
    }
  }

  @Test
  void worldPointsAgreeThroughBothGrids() {
    // Target voxel n sits at source index offset + n * s_out / s_in, offset centring the field of view.
    Grid target = TargetSpacing.isotropic(1.3).gridFor(OBLIQUE_THICK);
    double[] in = OBLIQUE_THICK.spacing();
    int[] sourceShape = OBLIQUE_THICK.shape();
    int[] targetShape = target.shape();
    Random random = new Random(11);
    for (int trial = 0; trial < 100; trial++) {
      double[] targetIndex = {random.nextDouble() * 40 - 10, random.nextDouble() * 40 - 10, random.nextDouble() * 40 - 10};
      double[] sourceIndex = new double[3];
      for (int axis = 0; axis < 3; axis++) {
        double scale = 1.3 / in[axis];
        double offset = (sourceShape[axis] - 1) / 2.0 - scale * (targetShape[axis] - 1) / 2.0;
        sourceIndex[axis] = offset + scale * targetIndex[axis];
      }
      assertArrayEquals(OBLIQUE_THICK.toWorld(sourceIndex[0], sourceIndex[1], sourceIndex[2]),
          target.toWorld(targetIndex[0], targetIndex[1], targetIndex[2]), 1e-9);
    }
  }

  @Test
  void maxZoomOnlyRefinesAxesCoarserThanTheLimit() {
    assertArrayEquals(new double[] {0.9, 1.1, 3}, TargetSpacing.maxZoom(3).spacingFor(OBLIQUE_THICK.spacing()), 1e-12);
    Grid target = TargetSpacing.maxZoom(1).gridFor(OBLIQUE_THICK);
    assertArrayEquals(new double[] {0.9, 1, 1}, target.spacing(), 1e-12);
    assertEquals(23, target.nx());
  }

  @Test
  void spacingWithinAMicronOfTheSourceLeavesTheGridAlone() {
    Grid oneMm = TestVolumes.rotated(10, 10, 10, 1, 1, 1, 33);
    assertSame(oneMm, TargetSpacing.isotropic(1 + 5e-7).gridFor(oneMm));
    assertSame(OBLIQUE_THICK, TargetSpacing.maxZoom(6).gridFor(OBLIQUE_THICK));
  }

  @Test
  void rejectsNonPositiveSpacing() {
    assertThrows(IllegalArgumentException.class, () -> TargetSpacing.isotropic(0));
    assertThrows(IllegalArgumentException.class, () -> TargetSpacing.maxZoom(Double.NaN));
  }

  @Test
  void aTargetGridBeyondOneJavaArrayIsCountedInLongAndRefusedRatherThanOverflowing() {
    Grid claimed = Grid.axisAligned(64, 64, 64, 36, 36, 36);
    TargetSpacing twoMm = TargetSpacing.isotropic(2);
    assertArrayEquals(new long[] {1152, 1152, 1152}, twoMm.shapeFor(claimed));
    assertEquals(1152L * 1152 * 1152, TargetSpacing.voxelCount(twoMm.shapeFor(claimed)));
    assertArrayEquals(new int[] {1152, 1152, 1152}, twoMm.gridFor(claimed).shape(), "1.5e9 voxels still fit an array");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TargetSpacing.isotropic(1).gridFor(claimed));
    assertTrue(e.getMessage().startsWith("target grid 2304x2304x2304 at [1.0, 1.0, 1.0] mm from "), e.getMessage());

    // an absurd ratio saturates instead of wrapping to a small or negative size
    long[] absurd = TargetSpacing.isotropic(1e-300).shapeFor(Grid.axisAligned(4, 4, 4, 1e300, 1e300, 1e300));
    assertArrayEquals(new long[] {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE}, absurd);
    assertEquals(Long.MAX_VALUE, TargetSpacing.voxelCount(absurd));
    // the largest grid that fits is still built
    Grid wide = TargetSpacing.isotropic(1).gridFor(Grid.axisAligned(1000, 1000, 2, 1, 1, 500));
    assertArrayEquals(new int[] {1000, 1000, 1000}, wide.shape());
  }
}
