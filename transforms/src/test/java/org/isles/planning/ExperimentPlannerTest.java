package org.isles.planning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.isles.planning.ExperimentPlanner.CaseGeometry;
import org.isles.planning.ExperimentPlanner.Plan;
import org.junit.jupiter.api.Test;

class ExperimentPlannerTest {

  @Test
  void targetSpacingIsTheMedianWhenNoAxisIsClearlyCoarser() {
    List<CaseGeometry> cases =
        List.of(
            new CaseGeometry(new int[] {100, 100, 60}, new double[] {1, 1, 2}),
            new CaseGeometry(new int[] {100, 100, 60}, new double[] {2, 2, 2}),
            new CaseGeometry(new int[] {100, 100, 60}, new double[] {1.5, 1.5, 2.5}));
    assertArrayEquals(new double[] {1.5, 1.5, 2}, ExperimentPlanner.targetSpacing(cases), 1e-12);
  }

  @Test
  void aClearlyCoarserAxisUsesItsTenthPercentile() {
    // z medians 5 mm against 1 mm in-plane: 3x coarser, so z takes its 10th percentile.
    List<CaseGeometry> cases =
        List.of(
            new CaseGeometry(new int[] {200, 200, 30}, new double[] {1, 1, 5}),
            new CaseGeometry(new int[] {200, 200, 30}, new double[] {1, 1, 5}),
            new CaseGeometry(new int[] {200, 200, 50}, new double[] {1, 1, 3}),
            new CaseGeometry(new int[] {200, 200, 30}, new double[] {1, 1, 6}),
            new CaseGeometry(new int[] {200, 200, 30}, new double[] {1, 1, 5}));
    double[] target = ExperimentPlanner.targetSpacing(cases);
    // numpy.percentile([3, 5, 5, 5, 6], 10) = 3 + 0.4 * (5 - 3) = 3.8
    assertArrayEquals(new double[] {1, 1, 3.8}, target, 1e-12);
  }

  @Test
  void patchShrinksUntilItFitsTheBudgetAndStaysAMultipleOfSixteen() {
    List<CaseGeometry> cases = List.of(new CaseGeometry(new int[] {224, 224, 146}, new double[] {1, 1, 1}));
    Plan roomy = ExperimentPlanner.plan(cases, 32, 1000);
    assertArrayEquals(new int[] {128, 128, 128}, roomy.patchSize());
    Plan tight = ExperimentPlanner.plan(cases, 32, 1.0);
    assertTrue(tight.estimatedMemoryGb() <= 1.0, "fits: " + tight.estimatedMemoryGb());
    for (int side : tight.patchSize()) {
      assertEquals(0, side % 16, "multiple of 16: " + side);
      assertTrue(side < 128);
    }
  }

  @Test
  void percentileMatchesNumpyLinearInterpolation() {
    double[] values = {7, 1, 3, 9, 5};
    // numpy.percentile([1, 3, 5, 7, 9], [0, 10, 50, 95, 100]) = [1, 1.8, 5, 8.6, 9]
    assertEquals(1, ExperimentPlanner.percentile(values, 0), 1e-12);
    assertEquals(1.8, ExperimentPlanner.percentile(values, 10), 1e-12);
    assertEquals(5, ExperimentPlanner.percentile(values, 50), 1e-12);
    assertEquals(8.6, ExperimentPlanner.percentile(values, 95), 1e-12);
    assertEquals(9, ExperimentPlanner.percentile(values, 100), 1e-12);
  }
}
